/** All live checks of a deployed stack: contract diffs plus the contract's compliance pack on live facts. */
import type { Contract } from '../../core/contract';
import { factsFromAws } from '../../compliance/facts/from-aws';
import type { StackOutputs } from '../../core/outputs';
import { evaluatePack } from '../../compliance/rules/evaluate';
import type { AwsClients } from '../../core/aws/clients';
import type { Suppression } from '../../compliance/rules/suppressions';
import { backupChecks } from './backup';
import { check, CheckResult } from './check';
import { gatherLiveState, LiveState } from '../../compliance/facts/live-state';
import { evidenceBucketChecks, keyChecks, roleChecks, trailChecks } from './security';
import { tableChecks } from './table';

export function contractChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  return [...tableChecks(contract, outputs, live), ...keyChecks(contract, outputs, live), ...backupChecks(contract, outputs, live), ...trailChecks(contract, outputs, live), ...evidenceBucketChecks(contract, outputs, live), ...roleChecks(live)];
}

/** The contract's compliance pack over live facts: one check per rule and resource. */
export function complianceChecks(contract: Contract, outputs: StackOutputs, live: LiveState, suppressions: readonly Suppression[] = []): CheckResult[] {
  const report = evaluatePack(contract.compliance.pack, factsFromAws(contract, outputs, live), suppressions);
  return report.findings
    // Live, a fact is unknown only when its read failed; the contract check of that resource already
    // fails with the AWS error, so the rule does not judge what nobody could read.
    .filter((f) => f.status !== 'not-applicable' && f.status !== 'unknown')
    .map((f) => {
      const evidence = f.evidence ? [`${f.evidence.resource}: expected ${f.evidence.expected}, actual ${f.evidence.actual}`] : [f.resource.id];
      const id = `${f.ruleId}:${f.resource.name}`;
      if (f.status === 'compliant') return check(id, f.title, 'compliance', { status: 'pass', message: f.message, evidence });
      if (f.suppressedBy) return check(id, f.title, 'compliance', { status: 'skip', message: `suppressed: ${f.suppressedBy.reason} (${f.message})`, evidence });
      if (f.severity === 'warning') return check(id, f.title, 'compliance', { status: 'skip', message: `warning, does not fail the run: ${f.message}`, evidence });
      return check(id, f.title, 'compliance', { status: 'fail', message: `${f.message}${f.remedy ? ` — ${f.remedy}` : ''}`, evidence });
    });
}

export async function runLiveChecks(
  contract: Contract,
  outputs: StackOutputs,
  clients: AwsClients,
  suppressions: readonly Suppression[] = [],
  now = new Date(),
): Promise<{ checks: CheckResult[]; live: LiveState }> {
  const live = await gatherLiveState(contract, outputs, clients, now);
  let compliance: CheckResult[];
  try {
    compliance = complianceChecks(contract, outputs, live, suppressions);
  } catch (e) {
    compliance = [check('COMPLIANCE', `Compliance pack ${contract.compliance.pack}`, 'compliance', { status: 'fail', message: `could not evaluate: ${(e as Error).message}`, error: true })];
  }
  return { checks: [...contractChecks(contract, outputs, live), ...compliance], live };
}
