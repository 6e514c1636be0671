import type { RoleFact } from '../../facts/types';
import { ROLE_KIND_TO_ID } from '../../iam/matrix';
import { compliant, nonCompliant, notApplicable, resourceOf, Rule } from '../rule';

/** Rows shown in a message; the compliance file holds them all. */
const SHOWN = 5;

export const roleMatchesCapabilityMatrix: Rule<RoleFact> = {
  id: 'TS-IAM-005',
  title: 'Roles match their capability matrix',
  severity: 'error',
  controls: ['SOC 2 CC6.3', 'ISO 27001 A.8.2', 'NIST AC-6'],
  explanation:
    'Each platform role is simulated with an IAM policy evaluator over the synthesized policies: it must be allowed every call its code makes and denied every destructive or escalating capability (delete the source or recovery points, remove the vault policy or lock, restore other tables, grant the key to anyone, be assumed by an unnamed principal).',
  appliesTo: 'role',
  evaluate: (r, facts) => {
    const id = r.roleKind ? ROLE_KIND_TO_ID[r.roleKind] : undefined;
    if (!id) return notApplicable(r, 'not a tablesafe platform role (no tablesafe:role tag)');
    const matrix = facts.iamMatrix;
    if (!matrix || matrix.status === 'unavailable') {
      const reason = matrix?.status === 'unavailable' ? matrix.reason : 'this input carries no capability matrix (only a Terraform JSON configuration with tablesafe roles is simulated)';
      return {
        status: 'unknown',
        resource: resourceOf(r),
        message: `cannot evaluate: the capability matrix was not simulated: ${reason}`,
        evidence: { resource: r.id, expected: 'a simulated capability matrix', actual: reason },
        remedy: matrix?.status === 'unavailable' ? matrix.remedy : 'check the synthesized cdk.tf.json of the stack',
      };
    }
    if (matrix.status === 'failed') {
      return nonCompliant(r, `the capability matrix could not be simulated: ${matrix.message}`, { expected: 'policies an IAM evaluator reads as written', actual: matrix.message }, matrix.remedy ?? 'fix the policy the message names');
    }
    const role = matrix.roles.find((m) => m.role === id);
    if (!role) return notApplicable(r, `no capability matrix for role ${id}`);
    const expected = 'every must-allow allowed, every must-deny denied';
    const failing = role.rows.filter((x) => !x.ok);
    if (failing.length === 0) {
      const allow = role.rows.filter((x) => x.kind === 'must-allow').length;
      return compliant(r, `${role.roleName} is allowed its ${allow} calls and denied ${role.rows.length - allow} forbidden capabilities`, expected, `${role.rows.length} simulated, 0 off`);
    }
    const describe = (x: (typeof failing)[number]) =>
      x.kind === 'must-deny' ? `${x.capability} (${x.action} on ${x.arn}) is ${x.decision}${x.statement ? ` by ${x.statement}` : ''}` : `${x.action} on ${x.arn} (${x.why}) is ${x.decision}`;
    const shown = failing.slice(0, SHOWN).map(describe);
    const more = failing.length > SHOWN ? `; ${failing.length - SHOWN} more in tablesafe.compliance.json (iamMatrix)` : '';
    return nonCompliant(
      r,
      `${role.roleName}: ${failing.length} capabilit${failing.length === 1 ? 'y is' : 'ies are'} off the matrix: ${shown.join('; ')}${more}`,
      { expected, actual: failing.map(describe).join('; ') },
      'narrow the statement named for a must-deny that is allowed (a resource, a condition, an explicit deny); grant the call of a must-allow that is denied on exactly its resource',
    );
  },
};
