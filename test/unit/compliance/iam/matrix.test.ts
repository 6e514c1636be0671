/**
 * The capability matrix of the shipped stacks, evaluated with the IAM policy simulator over their
 * synthesized documents: each role is allowed what its code calls and denied what it must never
 * do, decided by the statements the stack means to decide it.
 */
import { Testing } from 'cdktf';
import { iamDocumentsFromTerraform } from '../../../../compliance/iam/documents';
import { CapabilityMatrix, evaluateCapabilityMatrix, MatrixRow, RoleMatrix } from '../../../../compliance/iam/matrix';
import { renderMatrixTable } from '../../../../compliance/iam/render';
import { IamSimulator, loadIamSimulator } from '../../../../compliance/iam/simulator';
import { ENVIRONMENTS, PlatformConfig } from '../../../../stacks/config';
import { PlatformStack } from '../../../../stacks/platform-stack';

const config = (name: string) => ENVIRONMENTS.find((c) => c.environment === name)!;
const tfOf = (c: PlatformConfig) => JSON.parse(Testing.synth(new PlatformStack(Testing.app(), c, { env: {} })));

let simulator: IamSimulator;
const matrices = new Map<string, CapabilityMatrix & { status: 'simulated' }>();
beforeAll(async () => {
  simulator = await loadIamSimulator();
  for (const name of ['demo', 'dev', 'prod']) {
    const m = await evaluateCapabilityMatrix(simulator, iamDocumentsFromTerraform(tfOf(config(name))));
    if (m.status !== 'simulated') throw new Error(`${name}: ${m.status}`);
    matrices.set(name, m);
  }
}, 60_000);

const role = (stack: string, id: RoleMatrix['role']) => matrices.get(stack)!.roles.find((r) => r.role === id)!;
const rowOf = (stack: string, id: RoleMatrix['role'], capability: string, resource?: string): MatrixRow => {
  const hit = role(stack, id).rows.find((r) => r.capability === capability && (resource === undefined || r.resource === resource));
  if (!hit) throw new Error(`${stack}/${id} has no row ${capability} ${resource ?? ''}`);
  return hit;
};

describe.each(['demo', 'dev', 'prod'])('the %s stack', (stack) => {
  it('has every platform role in its matrix, each on it', () => {
    const m = matrices.get(stack)!;
    expect(m.roles.map((r) => [r.role, r.failures])).toEqual([['backup', 0], ['restoreDrill', 0], ['auditor', 0], ['appReader', 0], ['appWriter', 0]]);
    expect(m.notes).toEqual([]);
  });
});

describe('the prod matrix', () => {
  it('denies deleting the vault policy and lock by the vault access policy, even to the roles that back up', () => {
    for (const capability of ['delete-vault-policy', 'delete-vault-lock', 'delete-recovery-point']) {
      expect([capability, rowOf('prod', 'backup', capability).decision, rowOf('prod', 'backup', capability).statement]).toEqual([capability, 'explicitly denied', 'vault-access-policy:DenyManualRecoveryPointDeletion']);
    }
  });

  it("lets the drill restore this table's backups in both ARN formats, and no other table's", () => {
    expect(rowOf('prod', 'restoreDrill', 'backup:StartRestoreJob sourceBackup')).toMatchObject({ decision: 'allowed', statement: 'restore-drill:SourceTableBackups', handAsserted: true });
    expect(rowOf('prod', 'restoreDrill', 'backup:StartRestoreJob recoveryPoint')).toMatchObject({ decision: 'allowed', statement: 'restore-drill:SourceTableRecoveryPoints' });
    expect(rowOf('prod', 'restoreDrill', 'restore-other-recovery-point').decision).toBe('implicitly denied');
    expect(rowOf('prod', 'restoreDrill', 'restore-other-table-backup').decision).toBe('implicitly denied');
  });

  it('lets the roles create key grants only for AWS resources', () => {
    for (const id of ['backup', 'restoreDrill'] as const) expect(rowOf('prod', id, 'grant-key-to-anyone').decision).toBe('implicitly denied');
    expect(rowOf('prod', 'backup', 'kms:CreateGrant key kms:GrantIsForAWSResource=true,kms:ViaService=backup.${region}.amazonaws.com')).toMatchObject({ decision: 'allowed', statement: 'use-platform-keys:KeyGrantsForAwsResourcesOnly' });
  });

  it('trusts no principal it does not name: an administrator of the account cannot assume a role', () => {
    for (const id of ['auditor', 'restoreDrill', 'appReader', 'appWriter'] as const) {
      expect(rowOf('prod', id, 'assume-by-unnamed-principal')).toMatchObject({ decision: 'explicitly denied', statement: 'trust-policy:NobodyNamed' });
    }
  });

  it('keeps the audit logs on their own key that no platform role may decrypt', () => {
    const m = matrices.get('prod')!;
    const trailKey = rowOf('prod', 'auditor', 'decrypt-trail-logs').arn;
    expect(trailKey).not.toBe(rowOf('prod', 'auditor', 'decrypt-directly').arn);
    expect(m.roles.map((r) => rowOf('prod', r.role, 'decrypt-trail-logs').decision)).toEqual(m.roles.map(() => 'implicitly denied'));
  });

  it('passes the backup role to AWS Backup only', () => {
    expect(rowOf('prod', 'restoreDrill', 'iam:PassRole backupRole iam:PassedToService=backup.amazonaws.com')).toMatchObject({ decision: 'allowed', statement: 'restore-drill:PassBackupRoleToBackupOnly' });
    expect(rowOf('prod', 'restoreDrill', 'pass-role-elsewhere').decision).toBe('implicitly denied');
  });

  it('grants the auditor DescribeTrails (no resource-level permission) and the bucket policy status the live checks read', () => {
    expect(rowOf('prod', 'auditor', 'cloudtrail:DescribeTrails *')).toMatchObject({ decision: 'allowed', statement: 'audit-read-only:UnscopedDescribe' });
    expect(rowOf('prod', 'auditor', 's3:GetBucketPolicyStatus trailBucket')).toMatchObject({ decision: 'allowed', statement: 'audit-read-only:TrailBucket' });
  });

  it('prints as one table per role, with the deciding statement', () => {
    const text = renderMatrixTable(matrices.get('prod')!);
    expect(text).toMatch(/^restoreDrill \(tablesafe-prod-restore-drill\): \d+ capabilities, 0 off the matrix$/m);
    expect(text).toMatch(/ok\s+must-deny\s+delete-vault-lock\s+vault\s+DENIED \(explicit\) by vault-access-policy:DenyManualRecoveryPointDeletion/);
    expect(text).toMatch(/5 roles, \d+ simulated .*: every role matches its matrix\n$/);
  });
});

describe('what the matrix catches', () => {
  it('an organisation guardrail that denies a call the drill makes turns its row off the matrix', async () => {
    const guardrail = { name: 'scp-no-restores', document: { Version: '2012-10-17' as const, Statement: [{ Sid: 'NoRestores', Effect: 'Deny' as const, Action: 'backup:StartRestoreJob', Resource: '*' }] } };
    const m = await evaluateCapabilityMatrix(simulator, iamDocumentsFromTerraform(tfOf(config('prod'))), { extraDenyPolicies: [guardrail] });
    const drill = m.status === 'simulated' ? m.roles.find((r) => r.role === 'restoreDrill')! : undefined;
    expect(drill?.rows.filter((r) => !r.ok).map((r) => [r.capability, r.decision, r.statement])).toEqual([
      ['backup:StartRestoreJob recoveryPoint', 'explicitly denied', 'scp-no-restores:NoRestores'],
      ['backup:StartRestoreJob sourceBackup', 'explicitly denied', 'scp-no-restores:NoRestores'],
      ['backup:StartRestoreJob drRecoveryPoint', 'explicitly denied', 'scp-no-restores:NoRestores'],
    ]);
  });

  it('a named principal and a workload identity may assume exactly the roles named for them', async () => {
    const pipeline = 'arn:aws:iam::111122223333:role/ci-pipeline';
    const c: PlatformConfig = {
      ...config('prod'),
      trustedPrincipals: { arns: [pipeline], arnRoles: ['auditor'], terraformCloud: { organization: 'acme', workspace: 'tablesafe-prod' } },
    };
    const docs = iamDocumentsFromTerraform(tfOf(c));
    const trust = (name: string) => docs.roles.find((r) => r.name === name)!.trustPolicy.document;
    expect(JSON.stringify(trust('tablesafe-prod-auditor'))).toContain(pipeline);
    expect(JSON.stringify(trust('tablesafe-prod-restore-drill'))).not.toContain(pipeline);
    const [statement] = trust('tablesafe-prod-restore-drill').Statement as unknown as { Principal: { Federated: string }; Action: string; Condition: unknown }[];
    expect(statement.Principal.Federated).toMatch(/^arn:aws:iam::\d{12}:oidc-provider\/app\.terraform\.io$/);
    // The simulator does not evaluate web-identity token claims (it drops app.terraform.io:* keys),
    // so the claims the trust requires are asserted here as written.
    expect([statement.Action, statement.Condition]).toEqual([
      'sts:AssumeRoleWithWebIdentity',
      { StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' }, StringLike: { 'app.terraform.io:sub': 'organization:acme:project:*:workspace:tablesafe-prod:run_phase:*' } },
    ]);
    const pipelineAssumes = await simulator.simulate({
      principal: pipeline,
      action: 'sts:AssumeRole',
      resource: docs.roles.find((r) => r.name === 'tablesafe-prod-auditor')!.arn,
      identityPolicies: [],
      resourcePolicy: docs.roles.find((r) => r.name === 'tablesafe-prod-auditor')!.trustPolicy,
    });
    expect(pipelineAssumes).toMatchObject({ decision: 'allowed', statement: 'trust-policy:NamedPrincipals' });
  });
});
