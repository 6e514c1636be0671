import { Aspects, IAspect, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { COMPLIANCE_FILE_NAME, Contract } from '../../core/contract';
import { TablesafeError } from '../../core/errors';
import { factsFromTerraform } from '../../compliance/facts/from-terraform';
import { requirementsFromContract } from '../../compliance/facts/requirements';
import { DEFAULT_REQUIREMENTS, Requirements } from '../../compliance/facts/types';
import { ComplianceReport, describeViolation, evaluatePack } from '../../compliance/rules/evaluate';
import { DEFAULT_PACK, getPack } from '../../compliance/rules/packs';
import { assertValidSuppressions, Suppression } from '../../compliance/rules/suppressions';
import { removeStackFiles, writeStackFileOnSynth } from '../common/stack-files';
import { withIamMatrix } from '../../compliance/iam/matrix-sync';
import type { NamedPolicy } from '../../compliance/iam/simulator';

const HOOK_ID = 'TablesafeCompliance';

export interface ComplianceOptions {
  /** Rule pack to evaluate. @default 'tablesafe-strict' */
  readonly pack?: string;
  /** Reasoned exceptions (rule id + resource + reason ≥ 10 characters). @default none */
  readonly suppressions?: readonly Suppression[];
  /**
   * The stack's contract: the requirements are derived from it (`requirementsFromContract`), the
   * same way verify derives them from the contract file after apply. A function is called at
   * synth, when the stack is complete. Give either this or `requirements`.
   * @default none
   */
  readonly contract?: Contract | (() => Contract);
  /**
   * Explicit requirements (RPO, retention, vault lock, DR copy, tags, platform tables), for stacks
   * without a contract. Give either this or `contract`.
   * @default DEFAULT_REQUIREMENTS
   */
  readonly requirements?: Requirements;
  /**
   * Guardrails of the real organisation the stack cannot see (SCPs, RCPs, permission boundaries),
   * as deny policies: the capability matrix (TS-IAM-005) is evaluated under them.
   * @default none
   */
  readonly iamGuardrails?: readonly NamedPolicy[];
}

/** The requirements a stack is held to under `options`: derived from its contract, or as given. */
export function complianceRequirements(options: ComplianceOptions = {}): Requirements {
  if (options.contract === undefined) return options.requirements ?? DEFAULT_REQUIREMENTS;
  return requirementsFromContract(typeof options.contract === 'function' ? options.contract() : options.contract);
}

/**
 * Evaluates a compliance pack on the stack's own synthesized Terraform JSON. Facts come from the
 * same JSON `cdktf synth` writes, so the check sees exactly what Terraform will apply.
 */
export function checkStackCompliance(stack: TerraformStack, options: ComplianceOptions = {}): ComplianceReport {
  const tf = stack.toTerraform();
  const facts = factsFromTerraform(tf, { scope: stack.node.id, requirements: complianceRequirements(options) });
  // The platform roles are simulated over the same JSON (TS-IAM-005); stacks without them have no matrix.
  const withMatrix = withIamMatrix(facts, tf, { extraDenyPolicies: options.iamGuardrails });
  return evaluatePack(options.pack ?? DEFAULT_PACK, withMatrix, options.suppressions ?? []);
}

/** The synth error: every violation, one per line, with rule id, construct path, message and remedy. */
export function complianceError(report: ComplianceReport): TablesafeError {
  return new TablesafeError(
    'TS_E_COMPLIANCE',
    `stack "${report.scope}" violates ${report.violations.length} rule(s) of ${report.pack}:\n  ${report.violations.map(describeViolation).join('\n  ')}`,
    'fix each resource as its remedy says, or add a suppression { ruleId, resource, reason } explaining the exception',
  );
}

/**
 * The Aspect form of the check. On its first visit of a stack it registers the stack's compliance
 * step; the step runs during synthesis, after every Aspect has run, so it sees the final tree:
 * it writes `cdktf.out/stacks/<stack>/tablesafe.compliance.json` (pack, rules evaluated, findings,
 * suppressions) and then, on a violation, removes the stack's earlier `cdk.tf.json` and contract and
 * throws a TablesafeError (TS_E_COMPLIANCE) listing every error-level, unsuppressed violation.
 */
export class ComplianceAspect implements IAspect {
  private readonly hooked = new WeakSet<TerraformStack>();

  constructor(readonly options: ComplianceOptions = {}) {
    getPack(options.pack ?? DEFAULT_PACK);
    assertValidSuppressions(options.suppressions ?? []);
    if (options.contract !== undefined && options.requirements !== undefined) {
      throw new TablesafeError(
        'TS_E_COMPLIANCE_INVALID',
        'ComplianceOptions: both contract and requirements given',
        'give the contract (requirements are derived from it) or explicit requirements, not both',
      );
    }
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.hooked.has(node)) return;
    this.hooked.add(node);
    const stack = node;
    // A child of its own: the stack itself may carry another synthesis hook (only one fits a construct).
    let id = HOOK_ID;
    for (let n = 2; stack.node.tryFindChild(id); n++) id = `${HOOK_ID}${n}`;
    writeStackFileOnSynth(new Construct(stack, id), COMPLIANCE_FILE_NAME, () => checkStackCompliance(stack, this.options), (report, dir) => {
      if (report.violations.length > 0) {
        // The report stays as evidence of the failure; an earlier run's cdk.tf.json and contract
        // go, so nothing in the folder can be applied or verified as if this synth had passed.
        removeStackFiles(stack, dir, [COMPLIANCE_FILE_NAME]);
        throw complianceError(report);
      }
    });
  }
}

/**
 * Holds `stack` to a compliance pack on every synth (`app.synth()`, `cdktf synth`,
 * `Testing.fullSynth`). Call it once per stack, e.g. at the end of the stack's constructor:
 *
 * ```ts
 * applyCompliance(this, { pack: 'tablesafe-strict', contract: () => this.contract() });
 * // or, for a stack without a contract, explicit requirements:
 * applyCompliance(this, {
 *   pack: 'tablesafe-strict',
 *   requirements: { ...DEFAULT_REQUIREMENTS, vaultLock: true, rpoMinutes: 60, platformTables: ['orders'] },
 *   suppressions: [{ ruleId: 'TS-DDB-005', resource: 'aws_dynamodb_table.orders', reason: 'on-demand in dev only' }],
 * });
 * ```
 *
 * Synth then writes `cdktf.out/stacks/<stack>/tablesafe.compliance.json` and fails with a
 * TablesafeError (`TS_E_COMPLIANCE`) listing every unsuppressed error-level violation (rule id,
 * resource path, message, remedy). Invalid options (unknown pack, a suppression without a known
 * rule id, a resource or a reason of ≥ 10 characters) throw right away (`TS_E_SUPPRESSION_INVALID`).
 * `Testing.synth` does not run synthesis hooks; tests call `checkStackCompliance(stack, options)`.
 */
export function applyCompliance(stack: TerraformStack, options: ComplianceOptions = {}): ComplianceAspect {
  const aspect = new ComplianceAspect(options);
  Aspects.of(stack).add(aspect);
  return aspect;
}
