/**
 * The pack catalogue: what each pack holds a stack to, how an unknown pack name is refused, and the
 * README's rules table rendered from it (header, one row per rule, cells that cannot break the table).
 */
import { ALL_RULES } from '../../../compliance/rules/index';
import { DEFAULT_PACK, getPack, PACKS, packNames, renderPackTable, rulesOf, tableCell } from '../../../compliance/rules/packs';
import { thrownTablesafeError } from '../../helpers/errors';

describe('packs', () => {
  it('are tablesafe-baseline and tablesafe-strict, each under its own name, strict by default', () => {
    expect(packNames()).toEqual(['tablesafe-baseline', 'tablesafe-strict']);
    expect(packNames().map((n) => getPack(n).name)).toEqual(packNames());
    expect(DEFAULT_PACK).toBe('tablesafe-strict');
  });

  it('baseline lowers exactly the hygiene rules to warnings and keeps every other rule at its own severity', () => {
    const baseline = PACKS['tablesafe-baseline'];
    expect(baseline.rules.filter((e) => e.severity === 'warning').map((e) => e.ruleId).sort()).toEqual(['TS-BAK-005', 'TS-CT-004', 'TS-DDB-006', 'TS-PLAN-001', 'TS-S3-003']);
    expect(baseline.rules.map((e) => e.ruleId)).toEqual(ALL_RULES.map((r) => r.id));
    expect(baseline.rules.find((e) => e.ruleId === 'TS-DDB-001')?.severity).toBe('error');
  });

  it('baseline warns on unknowns; strict fails on them except TS-IAM-005', () => {
    expect({ unknown: PACKS['tablesafe-baseline'].unknown, warns: PACKS['tablesafe-baseline'].unknownWarns }).toEqual({ unknown: 'warn', warns: undefined });
    expect({ unknown: PACKS['tablesafe-strict'].unknown, warns: PACKS['tablesafe-strict'].unknownWarns }).toEqual({ unknown: 'fail', warns: ['TS-IAM-005'] });
  });

  it('describe what they hold a stack to', () => {
    expect(PACKS['tablesafe-baseline'].description).toMatch(/^Every environment: data protected, recoverable and audited; hygiene findings and settings not known before apply as warnings/);
    expect(PACKS['tablesafe-strict'].description).toMatch(/^Every rule at error level; a setting a rule needs that is not known before apply fails the run too/);
  });
});

describe('getPack', () => {
  it('refuses an unknown pack with TS_E_UNKNOWN_PACK, naming the known packs and the field', () => {
    const e = thrownTablesafeError(() => getPack('tablesafe-lax'));
    expect({ code: e.code, message: e.message, remedy: e.remedy, field: e.field }).toEqual({
      code: 'TS_E_UNKNOWN_PACK',
      message: 'pack "tablesafe-lax" is unknown; known packs: tablesafe-baseline, tablesafe-strict',
      remedy: 'name one of the known packs',
      field: 'pack',
    });
  });
});

describe('rulesOf', () => {
  it('resolves each entry to its rule with the severity the pack gives it', () => {
    const entries = rulesOf({ name: 'custom', description: 'two rules', rules: [{ ruleId: 'TS-DDB-006', severity: 'error' }, { ruleId: 'TS-KMS-001', severity: 'warning' }] });
    expect(entries.map(({ rule, severity }) => [rule.id, rule.title, severity])).toEqual([
      ['TS-DDB-006', 'Table carries the required tags', 'error'],
      ['TS-KMS-001', 'Automatic key rotation is enabled', 'warning'],
    ]);
  });

  it('refuses a pack that lists a rule that does not exist, naming the pack and the rule', () => {
    expect(() => rulesOf({ name: 'custom', description: 'a typo', rules: [{ ruleId: 'TS-DDB-099', severity: 'error' }] })).toThrow('pack custom lists unknown rule TS-DDB-099');
  });
});

describe('renderPackTable', () => {
  const lines = renderPackTable().split('\n');
  /** The cells of a row, split on unescaped pipes. */
  const cells = (line: string) => line.slice(2, -2).split(/(?<!\\) \| /);

  it('has a header naming the rule, its title, each pack, the controls and the reason, and a separator row', () => {
    expect(lines[0]).toBe('| Rule | Title | `tablesafe-baseline` | `tablesafe-strict` | Controls | Why |');
    expect(lines[1]).toBe('|---|---|---|---|---|---|');
  });

  it('has one row per rule, in rule order, each with one cell per column', () => {
    const rows = lines.slice(2);
    expect(rows.map((row) => cells(row)[0])).toEqual(ALL_RULES.map((r) => r.id));
    expect(rows.every((row) => row.startsWith('| ') && row.endsWith(' |') && cells(row).length === 6)).toBe(true);
  });

  it('shows each rule with its title, its severity in each pack, its controls and why', () => {
    expect(lines).toContain(
      '| TS-DDB-006 | Table carries the required tags | warning | error | SecurityHub DynamoDB.5 '
      + '| Tags name the owner, environment and data class of a table; cost, access and incident tooling rely on them. |',
    );
    const pitr = lines.find((l) => l.startsWith('| TS-DDB-001 |'));
    expect(cells(pitr!).slice(0, 5)).toEqual(['TS-DDB-001', 'Point-in-time recovery is enabled', 'error', 'error', 'SecurityHub DynamoDB.2, CKV_AWS_28, AWS Config dynamodb-pitr-enabled']);
  });

  it('escapes pipes and flattens line breaks so a rule text cannot break the table', () => {
    expect(tableCell('allow a|b\nor c')).toBe('allow a\\|b or c');
    expect(tableCell('plain text')).toBe('plain text');
  });
});
