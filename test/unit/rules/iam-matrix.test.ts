/** TS-IAM-005: a pure judgement of the capability matrix the facts carry. */
import { roleMatchesCapabilityMatrix as rule } from '../../../compliance/rules/iam/capability-matrix';
import { evaluatePack } from '../../../compliance/rules/evaluate';
import { CapabilityMatrix, failedMatrix, MatrixRow, unavailableMatrix } from '../../../compliance/iam/matrix';
import { factSet, role } from './fact-builder';

const drill = role({ id: 'aws_iam_role.drill', name: 'tablesafe-prod-restore-drill', roleKind: 'restore-drill' });
const row = (o: Partial<MatrixRow>): MatrixRow => ({ capability: 'dynamodb:Scan sourceTable', kind: 'must-allow', action: 'dynamodb:Scan', resource: 'sourceTable', arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t', decision: 'allowed', statement: 'restore-drill:ReadSourceTable', ok: true, why: 'made by drill', ...o });
const matrix = (...rows: MatrixRow[]): CapabilityMatrix => ({
  schema: 'tablesafe.iam-matrix/1',
  status: 'simulated',
  simulator: { package: '@cloud-copilot/iam-simulate', dataVersion: 'test' },
  account: '111122223333',
  roles: [{ role: 'restoreDrill', roleName: 'tablesafe-prod-restore-drill', roleArn: 'arn:aws:iam::111122223333:role/tablesafe-prod-restore-drill', rows, failures: rows.filter((r) => !r.ok).length }],
  notes: [],
});

describe('TS-IAM-005 roles match their capability matrix', () => {
  it('passes a role whose rows are all as required', () => {
    expect(rule.evaluate(drill, factSet({ roles: [drill], iamMatrix: matrix(row({})) })).status).toBe('compliant');
  });

  it('fails a role allowed a must-deny, naming the capability and the statement', () => {
    const wide = row({ capability: 'restore-other-recovery-point', kind: 'must-deny', action: 'backup:StartRestoreJob', decision: 'allowed', statement: 'restore-drill:RecoveryPoints', ok: false });
    const f = rule.evaluate(drill, factSet({ roles: [drill], iamMatrix: matrix(row({}), wide) }));
    expect([f.status, f.message]).toEqual(['non-compliant', expect.stringMatching(/1 capability is off the matrix: restore-other-recovery-point \(backup:StartRestoreJob on .*\) is allowed by restore-drill:RecoveryPoints/)]);
  });

  it('fails a role denied a call its code makes', () => {
    const f = rule.evaluate(drill, factSet({ roles: [drill], iamMatrix: matrix(row({ decision: 'implicitly denied', statement: undefined, ok: false })) }));
    expect(f.message).toMatch(/dynamodb:Scan on .* \(made by drill\) is implicitly denied/);
  });

  it('reports unknown, with the install command, when the simulator is not installed', () => {
    const f = rule.evaluate(drill, factSet({ roles: [drill], iamMatrix: unavailableMatrix('the IAM policy simulator is not installed') }));
    expect([f.status, f.remedy]).toEqual(['unknown', expect.stringMatching(/npm install --save-dev @cloud-copilot\/iam-simulate/)]);
  });

  it('reports unknown when the input carries no matrix, and fails a matrix that could not be simulated', () => {
    expect(rule.evaluate(drill, factSet({ roles: [drill] })).status).toBe('unknown');
    expect(rule.evaluate(drill, factSet({ roles: [drill], iamMatrix: failedMatrix('TS_E_IAM_SIMULATION', 'policy "x" statement #0: condition operator "BoolIfExits" is not an IAM condition operator') })).message).toMatch(/could not be simulated: .*BoolIfExits/);
  });

  it('does not apply to roles that are not platform roles', () => {
    expect(rule.evaluate(role(), factSet({ iamMatrix: matrix() })).status).toBe('not-applicable');
  });

  it('warns, not fails, under tablesafe-strict when the simulator is absent, unless --unknown fail is explicit', () => {
    const facts = factSet({ roles: [drill], iamMatrix: unavailableMatrix('not installed') });
    const strict = evaluatePack('tablesafe-strict', facts);
    const explicit = evaluatePack('tablesafe-strict', facts, [], { unknown: 'fail' });
    const ids = (fs: readonly { ruleId: string }[]) => fs.map((f) => f.ruleId).filter((id) => id === 'TS-IAM-005');
    expect([ids(strict.violations), ids(strict.warnings), ids(explicit.violations)]).toEqual([[], ['TS-IAM-005'], ['TS-IAM-005']]);
  });

  it('puts the matrix the facts carry into the report (tablesafe.compliance.json)', () => {
    const m = matrix(row({}));
    expect(evaluatePack('tablesafe-strict', factSet({ roles: [drill], iamMatrix: m })).iamMatrix).toBe(m);
  });
});
