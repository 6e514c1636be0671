/** What TS-IAM-005 tells the user about a role's capability matrix: status, message, evidence and remedy. */
import { roleMatchesCapabilityMatrix as rule } from '../../../compliance/rules/iam/capability-matrix';
import { CapabilityMatrix, failedMatrix, MatrixRow, unavailableMatrix } from '../../../compliance/iam/matrix';
import { factSet, role } from './fact-builder';

const ROLE = 'aws_iam_role.drill';
const drill = role({ id: ROLE, name: 'tablesafe-prod-restore-drill', roleKind: 'restore-drill' });
const ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/t';
const allow = (o: Partial<MatrixRow> = {}): MatrixRow => ({ capability: 'dynamodb:Scan sourceTable', kind: 'must-allow', action: 'dynamodb:Scan', resource: 'sourceTable', arn: ARN, decision: 'allowed', statement: 'restore-drill:Read', ok: true, why: 'made by drill', ...o });
const deny = (o: Partial<MatrixRow> = {}): MatrixRow => allow({ capability: 'delete-source', kind: 'must-deny', action: 'dynamodb:DeleteTable', decision: 'implicitly denied', statement: undefined, ...o });
const entry = (role: 'restoreDrill' | 'backup', roleName: string, rows: MatrixRow[]) => ({ role, roleName, roleArn: `arn:aws:iam::111122223333:role/${roleName}`, rows, failures: rows.filter((r) => !r.ok).length });
const matrix = (...roles: ReturnType<typeof entry>[]): CapabilityMatrix => ({
  schema: 'tablesafe.iam-matrix/1', status: 'simulated', simulator: { package: '@cloud-copilot/iam-simulate', dataVersion: 'test' }, account: '111122223333', roles, notes: [],
});
const judge = (m: CapabilityMatrix | undefined, r = drill) => rule.evaluate(r, factSet({ roles: [r], iamMatrix: m }));
const EXPECTED = 'every must-allow allowed, every must-deny denied';

describe('TS-IAM-005 findings', () => {
  it('counts the calls allowed and the capabilities denied of a role on its matrix', () => {
    const m = matrix(entry('backup', 'tablesafe-prod-backup', [allow({ ok: false })]), entry('restoreDrill', 'tablesafe-prod-restore-drill', [allow(), allow({ action: 'dynamodb:Query' }), deny()]));
    expect(judge(m)).toMatchObject({
      status: 'compliant',
      message: 'tablesafe-prod-restore-drill is allowed its 2 calls and denied 1 forbidden capabilities',
      evidence: { resource: ROLE, expected: EXPECTED, actual: '3 simulated, 0 off' },
    });
  });

  it('names each capability off the matrix: the must-deny allowed (with its statement) and the call denied', () => {
    const rows = [allow(), deny({ decision: 'allowed', statement: 'restore-drill:Wide', ok: false }), deny({ capability: 'remove-vault-lock', action: 'backup:DeleteBackupVaultLockConfiguration', decision: 'allowed', ok: false }), allow({ decision: 'implicitly denied', ok: false })];
    const described = `delete-source (dynamodb:DeleteTable on ${ARN}) is allowed by restore-drill:Wide; remove-vault-lock (backup:DeleteBackupVaultLockConfiguration on ${ARN}) is allowed; dynamodb:Scan on ${ARN} (made by drill) is implicitly denied`;
    expect(judge(matrix(entry('restoreDrill', 'tablesafe-prod-restore-drill', rows)))).toMatchObject({
      status: 'non-compliant',
      message: `tablesafe-prod-restore-drill: 3 capabilities are off the matrix: ${described}`,
      evidence: { resource: ROLE, expected: EXPECTED, actual: described },
      remedy: 'narrow the statement named for a must-deny that is allowed (a resource, a condition, an explicit deny); grant the call of a must-allow that is denied on exactly its resource',
    });
  });

  it('shows five failing rows in the message and points to the compliance file for the rest; the evidence holds them all', () => {
    const failing = (n: number) => Array.from({ length: n }, (_, i) => deny({ capability: `cap-${i}`, decision: 'allowed', ok: false }));
    const seven = judge(matrix(entry('restoreDrill', 'r', failing(7))));
    expect(seven.message).toMatch(/^r: 7 capabilities are off the matrix: cap-0 .*cap-4 \([^)]*\) is allowed; 2 more in tablesafe\.compliance\.json \(iamMatrix\)$/);
    expect(seven.message).not.toContain('cap-5');
    expect(seven.evidence?.actual.split('; ')).toHaveLength(7);
    const five = judge(matrix(entry('restoreDrill', 'r', failing(5))));
    expect(five.message).toMatch(/cap-4 \([^)]*\) is allowed$/);
    expect(judge(matrix(entry('restoreDrill', 'r', failing(6)))).message).toMatch(/; 1 more in tablesafe\.compliance\.json \(iamMatrix\)$/);
    expect(judge(matrix(entry('restoreDrill', 'r', failing(1)))).message).toMatch(/^r: 1 capability is off the matrix: cap-0/);
  });

  it('does not apply to a platform role the matrix does not cover, saying which', () => {
    expect(judge(matrix(entry('backup', 'tablesafe-prod-backup', [allow()])))).toMatchObject({ status: 'not-applicable', message: 'no capability matrix for role restoreDrill' });
  });

  it('does not apply to a role without the tablesafe:role tag, saying why', () => {
    const plain = role({ id: 'aws_iam_role.other' });
    expect(judge(matrix(entry('restoreDrill', 'r', [allow({ ok: false })])), plain)).toMatchObject({ status: 'not-applicable', message: 'not a tablesafe platform role (no tablesafe:role tag)' });
  });

  it('reports unknown when the input carries no matrix, saying why and what to check', () => {
    const reason = 'this input carries no capability matrix (only a Terraform JSON configuration with tablesafe roles is simulated)';
    expect(judge(undefined)).toEqual({
      status: 'unknown',
      resource: expect.objectContaining({ id: ROLE }),
      message: `cannot evaluate: the capability matrix was not simulated: ${reason}`,
      evidence: { resource: ROLE, expected: 'a simulated capability matrix', actual: reason },
      remedy: 'check the synthesized cdk.tf.json of the stack',
    });
  });

  it('reports unknown with the reason and remedy of a matrix that was not simulated', () => {
    const m = unavailableMatrix('the IAM policy simulator is not installed');
    expect(judge(m)).toMatchObject({
      status: 'unknown',
      message: 'cannot evaluate: the capability matrix was not simulated: the IAM policy simulator is not installed',
      evidence: { resource: ROLE, expected: 'a simulated capability matrix', actual: 'the IAM policy simulator is not installed' },
      remedy: m.status === 'unavailable' ? m.remedy : '',
    });
  });

  it('fails a matrix that could not be simulated, with its message, and its remedy or a default one', () => {
    const message = 'policy "x" statement #0: condition operator "BoolIfExits" is not an IAM condition operator';
    expect(judge(failedMatrix('TS_E_IAM_SIMULATION', message))).toMatchObject({
      status: 'non-compliant',
      message: `the capability matrix could not be simulated: ${message}`,
      evidence: { resource: ROLE, expected: 'policies an IAM evaluator reads as written', actual: message },
      remedy: 'fix the policy the message names',
    });
    expect(judge(failedMatrix('TS_E_IAM_SIMULATION', message, 'spell the operator BoolIfExists')).remedy).toBe('spell the operator BoolIfExists');
  });
});
