/**
 * `tablesafe check <stack-dir-or-cdk.tf.json> [--pack P] [--format table|json|junit|md] [--out DIR]
 * [--suppressions FILE]`: evaluates a compliance pack on any synthesized Terraform JSON.
 * Exit 0 compliant, 1 violations, 2 the input or options cannot be used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { choiceOption, pathOption, readCommandLine } from '../core/args';
import { COMPLIANCE_FILE_NAME, CONTRACT_FILE_NAME, parseContract } from '../core/contract';
import { isTablesafeError, TablesafeError, usageError } from '../core/errors';
import { factsFromTerraform, isTerraformJson } from '../compliance/facts/from-terraform';
import { requirementsFromContract } from '../compliance/facts/requirements';
import { DEFAULT_REQUIREMENTS, Requirements } from '../compliance/facts/types';
import { ComplianceReport, evaluatePack } from '../compliance/rules/evaluate';
import { DEFAULT_PACK, packNames } from '../compliance/rules/packs';
import { renderJunit, renderMarkdown, renderTable } from '../compliance/rules/render';
import type { Suppression } from '../compliance/rules/suppressions';

const FORMATS = ['table', 'json', 'junit', 'md'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: tablesafe check <stack-dir | cdk.tf.json> [--pack ${packNames().join('|')}] [--format ${FORMATS.join('|')}] [--out DIR] [--suppressions FILE]

  Evaluates a compliance pack (default ${DEFAULT_PACK}) on synthesized Terraform JSON.
  A stack dir is read as <dir>/cdk.tf.json, with requirements from <dir>/${CONTRACT_FILE_NAME} when present.
  Exit codes: 0 compliant, 1 violations, 2 unreadable input or invalid options.`;

interface Options {
  readonly input: string;
  readonly pack: string;
  readonly format: Format;
  readonly out?: string;
  readonly suppressions?: string;
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const line = readCommandLine(argv, {
    command: 'tablesafe check',
    options: { '--pack': 'value', '--format': 'value', '--out': 'value', '--suppressions': 'value' },
    maxPositionals: 1,
  });
  if (line.help) return 'help';
  const input = line.positionals[0];
  if (!input) throw usageError('<stack-dir | cdk.tf.json>: a value is required');
  const pack = choiceOption(line, '--pack', packNames()) ?? DEFAULT_PACK;
  const format = choiceOption(line, '--format', FORMATS) ?? 'table';
  return { input, pack, format, out: pathOption(line, '--out'), suppressions: pathOption(line, '--suppressions') };
}

/** Input that cannot be used (exit 2). */
const inputError = (message: string, cause?: unknown) => new TablesafeError('TS_E_CHECK_INPUT', message, undefined, { cause });

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(`${what} ${file} is not valid JSON: ${(e as Error).message.replace(/\s+/g, " ")}`, e);
  }
}

function loadInput(input: string): { tf: unknown; file: string; requirements: Requirements; scope: string } {
  let file = input;
  let contractFile: string | undefined;
  if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
    file = path.join(input, 'cdk.tf.json');
    contractFile = path.join(input, CONTRACT_FILE_NAME);
  } else {
    const sibling = path.join(path.dirname(input), CONTRACT_FILE_NAME);
    if (path.basename(input) === 'cdk.tf.json') contractFile = sibling;
  }
  const tf = readJson(file, 'Terraform JSON');
  if (!isTerraformJson(tf)) throw inputError(`${file} is not Terraform JSON (no resource, data, provider or terraform block)`);
  let requirements = DEFAULT_REQUIREMENTS;
  if (contractFile && fs.existsSync(contractFile)) {
    try {
      requirements = requirementsFromContract(parseContract(readJson(contractFile, 'contract'), contractFile));
    } catch (e) {
      throw isTablesafeError(e) ? e : inputError(`contract ${(e as Error).message}`, e);
    }
  }
  const scope = path.basename(input) === 'cdk.tf.json' ? path.basename(path.dirname(path.resolve(input))) : path.basename(input);
  return { tf, file, requirements, scope };
}

function loadSuppressions(file: string | undefined): Suppression[] {
  if (!file) return [];
  const json = readJson(file, 'suppressions file');
  const list = Array.isArray(json) ? json : (json as { suppressions?: unknown })?.suppressions;
  if (!Array.isArray(list)) throw inputError(`suppressions file ${file} must hold an array of { ruleId, resource, reason } (or { "suppressions": [...] })`);
  return list as Suppression[];
}

function render(report: ComplianceReport, format: Format): string {
  switch (format) {
    case 'json': return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit': return renderJunit(report);
    case 'md': return renderMarkdown(report);
    case 'table': return renderTable(report);
  }
}

const EXTENSION: Record<Format, string> = { table: 'txt', json: 'json', junit: 'xml', md: 'md' };

export async function runCheckCli(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    console.error(`tablesafe check: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const input = loadInput(options.input);
    const suppressions = loadSuppressions(options.suppressions);
    const facts = factsFromTerraform(input.tf, { scope: input.scope, requirements: input.requirements });
    const report = evaluatePack(options.pack, facts, suppressions);
    process.stdout.write(render(report, options.format));
    if (options.out) {
      fs.mkdirSync(options.out, { recursive: true });
      fs.writeFileSync(path.join(options.out, COMPLIANCE_FILE_NAME), `${JSON.stringify(report, null, 2)}\n`);
      if (options.format !== 'json') fs.writeFileSync(path.join(options.out, `tablesafe.compliance.${EXTENSION[options.format]}`), render(report, options.format));
    }
    return report.violations.length > 0 ? 1 : 0;
  } catch (e) {
    if (isTablesafeError(e)) {
      console.error(`tablesafe check: ${e.toLine()}`);
      return 2;
    }
    throw e;
  }
}
