/**
 * `runCheck`: a compliance pack over Terraform JSON — a synthesized or hand-written configuration,
 * or a plan (`terraform show -json <planfile>`) — as a library call. The input is data (the JSON
 * and, optionally, the stack's contract); `loadCheckInput` reads it from a stack dir or a file.
 * `tablesafe check` is these two calls plus argument parsing and rendering.
 *
 * Errors are TablesafeErrors with stable codes:
 * - `TS_E_INPUT_UNREADABLE`: a file cannot be read (missing, a directory, no permission);
 * - `TS_E_INPUT_INVALID`: the input is not JSON, or not Terraform JSON;
 * - `TS_E_CONTRACT_INVALID`: the contract is not a tablesafe contract;
 * - `TS_E_PACK_UNKNOWN`: the pack name is not a known pack;
 * - `TS_E_SUPPRESSION_INVALID`: a suppressions file does not hold a list, or a suppression lacks a
 *   known rule id, a resource or a reason of ≥ 10 characters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Contract, CONTRACT_FILE_NAME, parseContract } from '../core/contract';
import { TablesafeError } from '../core/errors';
import { readSuppressions } from '../core/outputs';
import { factsFromTerraform, isTerraformJson, isTerraformPlanJson } from './facts/from-terraform';
import { requirementsFromContract } from './facts/requirements';
import { withIamMatrix } from './iam/matrix-sync';
import { type MatrixOptions, unavailableMatrix } from './iam/matrix';
import { configurationOfPlan } from './iam/plan-configuration';
import type { Json } from './facts/terraform-json';
import type { NamedPolicy } from './iam/simulator';
import { DEFAULT_REQUIREMENTS, FactSet, Requirements } from './facts/types';
import { ComplianceReport, evaluatePack, UnknownPolicy, UNKNOWN_POLICIES } from './rules/evaluate';
import { DEFAULT_PACK, packNames } from './rules/packs';
import { renderJunit, renderMarkdown, renderSarif, renderTable } from './rules/render';
import type { Suppression } from './rules/suppressions';

export interface CheckInput {
  /**
   * Terraform JSON, parsed: a configuration (a cdktf `cdk.tf.json` or any `*.tf.json`) or a plan
   * (`terraform show -json <planfile>`).
   */
  readonly terraform: unknown;
  /**
   * The stack's contract (`tablesafe.contract.json`), parsed. The requirements the rules hold
   * the facts to (RPO, retention, vault lock, DR copy, deny of manual deletion, required tags)
   * are derived from it, as at synth and by verify.
   * @default none: DEFAULT_REQUIREMENTS
   */
  readonly contract?: Contract;
  /**
   * Suppressions the stack was synthesized with (`tablesafe.compliance.json` beside the contract),
   * so a stack that passed synth with reasoned exceptions passes check too; `options.suppressions`
   * add to them.
   * @default none
   */
  readonly suppressions?: readonly Suppression[];
  /** Stack or file name shown in the report. @default the cdktf stack name in the JSON, else `terraform` */
  readonly scope?: string;
  /** Where the input was read from, for messages. @default none */
  readonly files?: { readonly terraform: string; readonly contract?: string };
}

export interface CheckOptions {
  /** Rule pack to evaluate. @default the contract's pack, else 'tablesafe-strict' (DEFAULT_PACK) */
  readonly pack?: string;
  /** Reasoned exceptions (rule id + resource + reason ≥ 10 characters). @default none */
  readonly suppressions?: readonly Suppression[];
  /**
   * What unknown findings (settings the input does not determine) do to the exit code: `fail`,
   * `warn` or `ignore`. @default the pack's policy (tablesafe-strict: fail, tablesafe-baseline: warn)
   */
  readonly unknown?: UnknownPolicy;
  /**
   * Organisation guardrails (SCP-like deny policies) the capability matrix is evaluated under.
   * @default none
   */
  readonly iamGuardrails?: readonly NamedPolicy[];
}

export interface CheckReport {
  /** The pack's report: every finding, the violations, warnings and suppressions. */
  readonly compliance: ComplianceReport;
  /** The requirements the facts were held to. */
  readonly requirements: Requirements;
  /** `contract` when derived from the input's contract, `default` otherwise. */
  readonly requirementsFrom: 'contract' | 'default';
  /** What was checked: a configuration or a plan. */
  readonly input: 'configuration' | 'plan';
  /** The file checked, when read from one. */
  readonly file?: string;
  /**
   * What `tablesafe check` exits with: 0 compliant, 1 an unsuppressed error-level violation (or an
   * error-level unknown under the `fail` unknown policy).
   */
  readonly exitCode: 0 | 1;
}

/** Output formats of `renderCheckReport` (and `tablesafe check --format`). */
export const CHECK_FORMATS = ['table', 'json', 'junit', 'md', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/**
 * Evaluates `options.pack` on the Terraform JSON of `input`, with requirements from its contract
 * when it has one. No files, no network; a configuration with platform roles is simulated in a
 * child process (the IAM policy simulator, when installed).
 */
export function runCheck(input: CheckInput, options: CheckOptions = {}): CheckReport {
  const pack = options.pack ?? input.contract?.compliance?.pack ?? DEFAULT_PACK;
  if (!packNames().includes(pack)) {
    throw new TablesafeError('TS_E_PACK_UNKNOWN', `pack "${pack}" is unknown`, `use one of ${packNames().join(', ')}`);
  }
  const where = input.files?.terraform ?? 'input';
  if (!isTerraformJson(input.terraform)) {
    throw new TablesafeError('TS_E_INPUT_INVALID', `${where} is not Terraform JSON (no resource, data, provider or terraform block)`, 'pass the cdk.tf.json of a synthesized stack, or any *.tf.json');
  }
  let requirements = DEFAULT_REQUIREMENTS;
  if (input.contract !== undefined) {
    const source = input.files?.contract ?? 'contract';
    let contract: Contract;
    try {
      contract = parseContract(input.contract, source);
    } catch (e) {
      throw new TablesafeError('TS_E_CONTRACT_INVALID', `contract ${(e as Error).message}`, 're-run `npx cdktf synth` with this tablesafe version', { cause: e });
    }
    requirements = requirementsFromContract(contract);
  }
  if (options.unknown !== undefined && !UNKNOWN_POLICIES.includes(options.unknown)) {
    throw new TablesafeError('TS_E_UNKNOWN_POLICY', `unknown policy "${String(options.unknown)}" is not one of ${UNKNOWN_POLICIES.join(', ')}`, `use one of ${UNKNOWN_POLICIES.join(', ')}`);
  }
  let compliance: ComplianceReport;
  try {
    const plan = isTerraformPlanJson(input.terraform);
    const facts = factsFromTerraform(input.terraform, { scope: input.scope, requirements });
    // A configuration with platform roles is simulated too (TS-IAM-005), on a worker thread.
    const withMatrix = withInputMatrix(facts, input.terraform, plan, { extraDenyPolicies: options.iamGuardrails });
    compliance = evaluatePack(pack, withMatrix, [...(input.suppressions ?? []), ...(options.suppressions ?? [])], { unknown: options.unknown, plan });
  } catch (e) {
    // A last line of defence: input so deeply nested that it exhausts the stack is reported, never a stack trace.
    if (e instanceof RangeError) throw new TablesafeError('TS_E_INPUT_INVALID', `${where} nests too deeply to check (${e.message})`, 'check the file that generated it; Terraform JSON nests a few levels deep', { cause: e });
    throw e;
  }
  return {
    compliance,
    requirements,
    requirementsFrom: input.contract !== undefined ? 'contract' : 'default',
    input: isTerraformPlanJson(input.terraform) ? 'plan' : 'configuration',
    ...(input.files?.terraform ? { file: input.files.terraform } : {}),
    exitCode: compliance.violations.length > 0 ? 1 : 0,
  };
}

/**
 * The facts with the capability matrix of the input: a configuration as it is; a plan as the
 * configuration its planned values make, when it knows every IAM-relevant value (a plan of an
 * applied stack), else an unavailable matrix naming what is known only after apply.
 */
function withInputMatrix(facts: FactSet, terraform: unknown, plan: boolean, options: MatrixOptions): FactSet {
  if (!plan) return withIamMatrix(facts, terraform, options);
  if (!facts.roles.some((r) => r.roleKind)) return facts;
  const configuration = configurationOfPlan(terraform as Json);
  if ('tfJson' in configuration) return withIamMatrix(facts, configuration.tfJson, options);
  const shown = configuration.unknown.slice(0, 3).join(', ') + (configuration.unknown.length > 3 ? ` and ${configuration.unknown.length - 3} more` : '');
  return { ...facts, iamMatrix: unavailableMatrix(`the plan knows ${shown} only after apply`, 'check the stack directory (tablesafe check <stack-dir>), or a plan of the applied stack') };
}

/** The report as `tablesafe check` prints it. `toolVersion` goes into SARIF. */
export function renderCheckReport(report: CheckReport, format: CheckFormat, options: { toolVersion?: string } = {}): string {
  switch (format) {
    case 'json': return `${JSON.stringify(report.compliance, null, 2)}\n`;
    case 'junit': return renderJunit(report.compliance);
    case 'md': return renderMarkdown(report.compliance);
    case 'table': return renderTable(report.compliance);
    case 'sarif': return renderSarif(report.compliance, { ...(report.file ? { artifact: report.file } : {}), ...(options.toolVersion ? { toolVersion: options.toolVersion } : {}) });
  }
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TablesafeError('TS_E_INPUT_UNREADABLE', `cannot read ${what} ${file}: ${code ?? (e as Error).message}`, `check that ${file} exists and is readable`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TablesafeError('TS_E_INPUT_INVALID', `${what} ${file} is not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`, `fix or regenerate ${file}`, { cause: e });
  }
}

/**
 * Reads the input of a check from `target`: a stack dir (its `cdk.tf.json`, and its
 * `tablesafe.contract.json` when present), a Terraform JSON file (with the contract beside it
 * when the file is a `cdk.tf.json`) or a plan (`terraform show -json`, with the contract beside it
 * when there is one). `options.contract` names the contract explicitly. The scope is the stack
 * dir's name, else the file's. Throws TS_E_INPUT_UNREADABLE, TS_E_INPUT_INVALID (not JSON) or
 * TS_E_CONTRACT_INVALID.
 */
export function loadCheckInput(target: string, options: { readonly contract?: string } = {}): CheckInput {
  let file = target;
  let contractFile: string | undefined;
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    file = path.join(target, 'cdk.tf.json');
    contractFile = path.join(target, CONTRACT_FILE_NAME);
  } else if (path.basename(target) === 'cdk.tf.json') {
    contractFile = path.join(path.dirname(target), CONTRACT_FILE_NAME);
  }
  // Whether the JSON is Terraform JSON is runCheck's to say, for loaded and given input alike.
  const terraform = readJson(file, 'Terraform JSON');
  if (contractFile === undefined && isTerraformPlanJson(terraform)) contractFile = path.join(path.dirname(path.resolve(file)), CONTRACT_FILE_NAME);
  if (options.contract !== undefined) {
    if (!fs.existsSync(options.contract)) throw new TablesafeError('TS_E_INPUT_UNREADABLE', `cannot read contract ${options.contract}: ENOENT`, `check that ${options.contract} exists and is readable`);
    contractFile = options.contract;
  }
  const withContract = contractFile !== undefined && fs.existsSync(contractFile);
  let contract: Contract | undefined;
  if (withContract) {
    const json = readJson(contractFile!, 'contract');
    try {
      contract = parseContract(json, contractFile);
    } catch (e) {
      throw new TablesafeError('TS_E_CONTRACT_INVALID', `contract ${(e as Error).message}`, 're-run `npx cdktf synth` with this tablesafe version', { cause: e });
    }
  }
  const scope = path.basename(target) === 'cdk.tf.json' ? path.basename(path.dirname(path.resolve(target))) : path.basename(target);
  const suppressions = withContract ? readSuppressions(contractFile!) : [];
  return { terraform, contract, suppressions, scope, files: { terraform: file, ...(withContract ? { contract: contractFile } : {}) } };
}

/** Reads suppressions from a JSON file: an array of { ruleId, resource, reason }, or { "suppressions": [...] }. */
export function loadSuppressions(file: string): Suppression[] {
  const json = readJson(file, 'suppressions file');
  const list = Array.isArray(json) ? json : (json as { suppressions?: unknown })?.suppressions;
  if (!Array.isArray(list)) {
    throw new TablesafeError('TS_E_SUPPRESSION_INVALID', `suppressions file ${file} must hold an array of { ruleId, resource, reason } (or { "suppressions": [...] })`, 'fix the file');
  }
  return list as Suppression[];
}
