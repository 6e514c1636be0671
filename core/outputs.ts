/**
 * Loading what verify holds the account against: the contract written at synth and the stack's
 * Terraform outputs (ids that exist only after apply). Two ways in:
 * - `--stack NAME`: `cdktf.out/stacks/NAME/tablesafe.contract.json` + `terraform output -json`
 *   run in `cdktf.out/stacks/NAME`;
 * - `--contract FILE --outputs FILE`: files saved by a pipeline (e.g. a Terraform Cloud run), the
 *   outputs file in `terraform output -json` format.
 * Every failure is a TablesafeError whose message names the cause and whose remedy says what to do.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMPLIANCE_FILE_NAME, Contract, CONTRACT_FILE_NAME, OutputKey, parseContract } from './contract';
import type { Suppression } from './contract';
import { isTablesafeError, TablesafeError } from './errors';
import { findTerraform, terraformErrorSummary } from './terraform';

/** Output values by contract key; an empty string output (absent feature) is `undefined`. */
export type StackOutputs = Readonly<Partial<Record<OutputKey, string>>>;

/** Outputs without which verify cannot run at all. */
export const REQUIRED_OUTPUTS: readonly OutputKey[] = ['tableName', 'tableArn', 'keyArn', 'vaultName', 'planId', 'selectionId', 'backupRoleArn'];

export interface VerifyInputs {
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  /** Where they came from, for the report. */
  readonly contractPath: string;
  readonly outputsSource: string;
  /** Suppressions the stack was synthesized with (`tablesafe.compliance.json` beside the contract); none when absent. */
  readonly suppressions: readonly Suppression[];
}

/**
 * Runs `terraform output -json` in `cwd` and resolves its stdout; rejects with an error carrying
 * terraform's `stderr`, or with a TablesafeError when terraform cannot be found.
 */
export type TerraformOutputRunner = (cwd: string) => Promise<string>;

/** The terraform of `findTerraform` (TABLESAFE_TERRAFORM, else PATH), with `env` (default process.env). */
export const runTerraformOutput = (cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> =>
  new Promise((resolve, reject) => {
    const binary = findTerraform(env);
    execFile(
      binary,
      ['output', '-json', '-no-color'],
      { cwd, env: { ...env, CHECKPOINT_DISABLE: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(String(stdout));
        // A string code (ENOENT, EACCES) means terraform never ran; a number is its exit code.
        if (typeof err.code === 'string') {
          return reject(new TablesafeError('TS_E_TERRAFORM_SPAWN', `could not run ${binary}: ${err.message}`, 'check that terraform is installed and executable (TABLESAFE_TERRAFORM, else PATH)', { cause: err }));
        }
        return reject(Object.assign(err, { stderr: String(stderr) }));
      },
    );
  });

export interface LoadOptions {
  /** Stack name under `cdktf.out/stacks/`. Either this or `contractFile` + `outputsFile`. */
  readonly stack?: string;
  readonly contractFile?: string;
  readonly outputsFile?: string;
  /**
   * Project root holding `cdktf.out/`.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * How `terraform output -json` is run (injectable for tests).
   * @default runTerraformOutput
   */
  readonly terraformOutput?: TerraformOutputRunner;
}

export function stackDir(cwd: string, stack: string): string {
  return path.join(cwd, 'cdktf.out', 'stacks', stack);
}

export async function loadInputs(options: LoadOptions): Promise<VerifyInputs> {
  const cwd = options.cwd ?? process.cwd();
  if (options.stack && (options.contractFile || options.outputsFile)) {
    throw new TablesafeError('TS_E_USAGE', 'both --stack and --contract/--outputs given', 'use --stack NAME, or --contract FILE --outputs FILE');
  }
  if (options.stack) {
    const dir = stackDir(cwd, options.stack);
    const contractPath = path.join(dir, CONTRACT_FILE_NAME);
    const contract = readContract(contractPath, `run \`npx cdktf synth\` first (stack "${options.stack}")`);
    let raw: string;
    try {
      raw = await (options.terraformOutput ?? runTerraformOutput)(dir);
    } catch (e) {
      if (isTablesafeError(e)) throw e;
      const detail = terraformErrorSummary(String((e as { stderr?: string }).stderr || ''), (e as Error).message);
      throw new TablesafeError(
        'TS_E_TERRAFORM_OUTPUT',
        `\`terraform output -json\` failed in ${dir}: ${detail}`,
        `run \`npx cdktf deploy ${options.stack}\` (or \`terraform init\` there), or pass --contract FILE --outputs FILE`,
        { cause: e },
      );
    }
    const outputs = parseOutputs(raw, `terraform output -json (${dir})`, contract, `stack not applied: run \`npx cdktf deploy ${options.stack}\``);
    return { contract, outputs, contractPath, outputsSource: `terraform output -json in ${dir}`, suppressions: readSuppressions(contractPath) };
  }
  if (options.contractFile && options.outputsFile) {
    const contract = readContract(path.resolve(cwd, options.contractFile), 'pass the tablesafe.contract.json written by `npx cdktf synth`');
    const outputsPath = path.resolve(cwd, options.outputsFile);
    if (!existsSync(outputsPath)) {
      throw new TablesafeError('TS_E_OUTPUTS_MISSING', `outputs file ${outputsPath} does not exist`, 'save it with `terraform output -json > outputs.json` after apply');
    }
    const outputs = parseOutputs(readFileSync(outputsPath, 'utf8'), outputsPath, contract, `stack not applied: apply it, then save \`terraform output -json > ${options.outputsFile}\``);
    const contractPath = path.resolve(cwd, options.contractFile);
    return { contract, outputs, contractPath, outputsSource: outputsPath, suppressions: readSuppressions(contractPath) };
  }
  throw new TablesafeError('TS_E_USAGE', 'no stack given', 'use --stack NAME, or --contract FILE --outputs FILE');
}

/**
 * The suppressions synth recorded in `tablesafe.compliance.json` beside the contract, so live
 * findings are judged with the same explicit exceptions as at synth.
 */
export function readSuppressions(contractPath: string): Suppression[] {
  const file = path.join(path.dirname(contractPath), COMPLIANCE_FILE_NAME);
  if (!existsSync(file)) return [];
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { suppressions?: unknown };
    return Array.isArray(json.suppressions) ? (json.suppressions as Suppression[]) : [];
  } catch (e) {
    throw new TablesafeError('TS_E_COMPLIANCE_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, 're-run `npx cdktf synth`', { cause: e });
  }
}

/** Reads and validates a contract file; a missing or invalid one is a TablesafeError with `remedy`. */
export function readContract(file: string, remedy: string): Contract {
  if (!existsSync(file)) throw new TablesafeError('TS_E_CONTRACT_MISSING', `contract ${file} does not exist`, remedy);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TablesafeError('TS_E_CONTRACT_INVALID', `contract ${file} is not valid JSON: ${(e as Error).message}`, 're-run `npx cdktf synth`', { cause: e });
  }
  return parseContract(json, file);
}

/**
 * Parses `terraform output -json` (`{"name": {"value": …, "type": …, "sensitive": …}}`) and maps
 * the contract's output names to values. No outputs at all means the stack was never applied.
 */
export function parseOutputs(raw: string, source: string, contract: Contract, notAppliedRemedy: string): StackOutputs {
  let json: unknown;
  try {
    json = JSON.parse(raw.trim() === '' ? '{}' : raw);
  } catch (e) {
    throw new TablesafeError('TS_E_OUTPUTS_INVALID', `${source} is not valid JSON: ${(e as Error).message}`, 'pass the output of `terraform output -json`', { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TablesafeError('TS_E_OUTPUTS_INVALID', `${source} is not a JSON object`, 'pass the output of `terraform output -json`');
  }
  const values = Object.fromEntries(
    Object.entries(json as Record<string, unknown>).map(([name, entry]) => [name, entry && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : undefined]),
  );
  return outputsFromValues(values, source, contract, notAppliedRemedy);
}

/**
 * Maps output values by name (`{"table_name": "…"}`, as `terraform output -json` holds them
 * unwrapped) to the contract's output keys. Names come from the contract, never from literals.
 */
export function outputsFromValues(values: Readonly<Record<string, unknown>>, source: string, contract: Contract, notAppliedRemedy: string): StackOutputs {
  if (Object.keys(values).length === 0) throw new TablesafeError('TS_E_NOT_APPLIED', `${source} has no outputs`, notAppliedRemedy);
  const outputs: Partial<Record<OutputKey, string>> = {};
  for (const [key, name] of Object.entries(contract.outputs) as [OutputKey, string][]) {
    const value = values[name];
    if (typeof value === 'string' && value !== '') outputs[key] = value;
    else if (typeof value === 'number') outputs[key] = String(value);
  }
  const missing = REQUIRED_OUTPUTS.filter((k) => outputs[k] === undefined);
  if (missing.length) {
    throw new TablesafeError(
      'TS_E_NOT_APPLIED',
      `${source} lacks output(s) ${missing.map((k) => contract.outputs[k]).join(', ')}`,
      notAppliedRemedy,
    );
  }
  return outputs;
}
