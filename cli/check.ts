/**
 * `tablesafe check <stack-dir | cdk.tf.json | plan.json> [--pack P] [--unknown fail|warn|ignore]
 * [--format table|json|junit|md|sarif] [--out DIR] [--suppressions FILE] [--contract FILE]`:
 * evaluates a compliance pack on any Terraform JSON configuration or plan.
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
import { CHECK_FORMATS, CheckFormat, loadCheckInput, loadSuppressions, renderCheckReport, runCheck } from '../compliance';
import { DEFAULT_PACK, packNames } from '../compliance/rules/packs';
import { UNKNOWN_POLICIES, UnknownPolicy } from '../compliance/rules/evaluate';
import { toolVersion } from './version';

const USAGE = `usage: tablesafe check <stack-dir | cdk.tf.json | plan.json> [--pack ${packNames().join('|')}] [--unknown ${UNKNOWN_POLICIES.join('|')}]
                       [--format ${CHECK_FORMATS.join('|')}] [--out DIR] [--suppressions FILE] [--contract FILE]

  Evaluates a compliance pack (default ${DEFAULT_PACK}) on Terraform JSON: a synthesized or hand-written
  configuration, or a plan (terraform show -json <planfile>).
  A stack dir is read as <dir>/cdk.tf.json, with requirements from <dir>/${CONTRACT_FILE_NAME} when present
  (a plan uses the contract beside it, or --contract).
  Verdicts: compliant, non-compliant, unknown (a setting not known before apply), not applicable, suppressed.
  --unknown: what unknown findings do (default: the pack's; tablesafe-strict fails, tablesafe-baseline warns).
  Exit codes: 0 compliant, 1 violations (or unknowns under fail), 2 unreadable input or invalid options.`;

interface Options {
  readonly input: string;
  readonly pack?: string;
  readonly unknown?: UnknownPolicy;
  readonly format: CheckFormat;
  readonly out?: string;
  readonly suppressions?: string;
  readonly contract?: string;
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const line = readCommandLine(argv, {
    command: 'tablesafe check',
    options: { '--pack': 'value', '--unknown': 'value', '--format': 'value', '--out': 'value', '--suppressions': 'value', '--contract': 'value' },
    maxPositionals: 1,
  });
  if (line.help) return 'help';
  const input = line.positionals[0];
  if (!input) throw usageError('<stack-dir | cdk.tf.json | plan.json>: a value is required');
  // Unset: the stack's own pack (its contract), else the default.
  const pack = choiceOption(line, '--pack', packNames());
  const format = choiceOption(line, '--format', CHECK_FORMATS) ?? 'table';
  const unknown = choiceOption(line, '--unknown', UNKNOWN_POLICIES);
  return { input, pack, unknown, format, out: pathOption(line, '--out'), suppressions: pathOption(line, '--suppressions'), contract: pathOption(line, '--contract') };
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
    const suppressions = options.suppressions ? loadSuppressions(options.suppressions) : [];
    const report = runCheck(input, { pack: options.pack, suppressions, unknown: options.unknown });
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
