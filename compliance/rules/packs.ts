/**
 * Rule packs, as cdk-nag's: a named list of rule ids, each with the severity it has in the pack.
 *
 * - `tablesafe-baseline`: what every environment must meet. Hygiene rules (tags, lifecycle
 *   validity, data events) are warnings, so a dev stack synths while they are fixed.
 * - `tablesafe-strict`: every rule at error level; `demo`, `dev` and `prod` synth clean under it.
 *
 * Environment-dependent rules (vault lock, DR copy, RPO, required tags, platform tables) read the
 * FactSet's requirements, so the same pack holds a dev stack to dev requirements.
 */
import { ALL_RULES, ruleById } from './index';
import type { AnyRule, Severity } from './rule';
import { TablesafeError } from '../../core/errors';

export interface PackEntry {
  readonly ruleId: string;
  readonly severity: Severity;
}

export interface Pack {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly PackEntry[];
  /**
   * What an `unknown` finding (a setting the input does not determine) does to a run: `fail` for
   * error-level rules, or `warn`. `tablesafe check --unknown` overrides it.
   * @default 'warn'
   */
  readonly unknown?: 'fail' | 'warn';
  /**
   * Rules whose unknown findings warn even when `unknown` is `fail`, unless `--unknown` is given:
   * TS-IAM-005 is unknown where the optional IAM simulator (a development dependency, AGPL-3.0) is
   * not installed, and an install without it must still synthesize.
   * @default none
   */
  readonly unknownWarns?: readonly string[];
}

const WARNING_IN_BASELINE = new Set(['TS-DDB-006', 'TS-BAK-005', 'TS-CT-004', 'TS-S3-003', 'TS-PLAN-001']);

export const PACKS: Readonly<Record<string, Pack>> = {
  'tablesafe-baseline': {
    name: 'tablesafe-baseline',
    description: 'Every environment: data protected, recoverable and audited; hygiene findings and settings not known before apply as warnings.',
    rules: ALL_RULES.map((r) => ({ ruleId: r.id, severity: WARNING_IN_BASELINE.has(r.id) ? 'warning' : r.severity })),
    unknown: 'warn',
  },
  'tablesafe-strict': {
    name: 'tablesafe-strict',
    description: 'Every rule at error level; a setting a rule needs that is not known before apply fails the run too.',
    rules: ALL_RULES.map((r) => ({ ruleId: r.id, severity: 'error' })),
    unknown: 'fail',
    unknownWarns: ['TS-IAM-005'],
  },
};

/** The pack `tablesafe check` and every environment use unless told otherwise (config `compliance.pack`, `--pack`). */
export const DEFAULT_PACK = 'tablesafe-strict';

export function packNames(): string[] {
  return Object.keys(PACKS);
}

/** The pack by name; throws TS_E_UNKNOWN_PACK naming the known packs when there is no such pack. */
export function getPack(name: string): Pack {
  const pack = PACKS[name];
  if (!pack) throw new TablesafeError('TS_E_UNKNOWN_PACK', `pack "${name}" is unknown; known packs: ${packNames().join(', ')}`, 'name one of the known packs', { field: 'pack' });
  return pack;
}

export function rulesOf(pack: Pack): { rule: AnyRule; severity: Severity }[] {
  return pack.rules.map((e) => {
    const rule = ruleById(e.ruleId);
    if (!rule) throw new Error(`pack ${pack.name} lists unknown rule ${e.ruleId}`);
    return { rule, severity: e.severity };
  });
}

/** A markdown table cell: a `|` in a rule's text would split the cell, a line break would end the row. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README table: one row per rule, its severity in each pack, its controls and why. */
export function renderPackTable(): string {
  const names = packNames();
  const severity = (pack: string, id: string) => PACKS[pack].rules.find((e) => e.ruleId === id)?.severity ?? '—';
  const header = ['Rule', 'Title', ...names.map((n) => `\`${n}\``), 'Controls', 'Why'];
  const rows = ALL_RULES.map((r) => [r.id, r.title, ...names.map((n) => severity(n, r.id)), r.controls.join(', '), r.explanation]);
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(tableCell).join(' | ')} |`),
  ].join('\n');
}
