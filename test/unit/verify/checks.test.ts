import type { LiveState, Read } from '../../../compliance/facts/live-state';
import { contractChecks } from '../../../verify/checks';
import { rpoCheckAfterDrill } from '../../../verify/checks/backup';
import { isOwnFailure } from '../../../verify/checks/check';
import { contract, KEY_ARN, outputs, TABLE, TABLE_ARN, VAULT, VAULT_ARN } from './fixtures';

const NOW = new Date('2026-11-23T12:00:00Z');
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const denied = (what: string): Read<never> => ({ ok: false, error: `AccessDeniedException: not authorized to perform ${what}` });

function healthy(): LiveState {
  const role = (contractName: any, name: string) =>
    ok({ contractName, declared: contract().roles[contractName as 'backup'], arn: `arn:aws:iam::1:role/${name}`, role: { RoleName: name, Arn: `arn:aws:iam::1:role/${name}` } as any, inlinePolicies: { [`${name}-policy`]: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: TABLE_ARN }] }) }, managedPolicyArns: [] });
  return {
    readAt: NOW,
    table: ok({
      TableName: TABLE, TableArn: TABLE_ARN, TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN }, DeletionProtectionEnabled: true,
    }),
    pitr: ok({ PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: new Date('2026-11-20T00:00:00Z') }),
    ttl: ok({ TimeToLiveStatus: 'DISABLED' }),
    tags: ok({ project: 'tablesafe' }),
    scalableTargets: ok([]),
    key: ok({ metadata: { KeyId: 'k', Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER' }, rotation: true, policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' }] }) }),
    vault: ok({ BackupVaultName: VAULT, BackupVaultArn: VAULT_ARN, EncryptionKeyArn: KEY_ARN, Locked: false } as any),
    vaultPolicy: ok(JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: ['backup:DeleteRecoveryPoint'], Resource: '*' }] })),
    plan: ok({ BackupPlanArn: 'arn:plan', BackupPlan: { BackupPlanName: 'tablesafe-demo-plan', Rules: [{ RuleName: 'daily', TargetBackupVaultName: VAULT, ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 60, CompletionWindowMinutes: 180, Lifecycle: { DeleteAfterDays: 35 } }] } } as any),
    selection: ok({ SelectionId: 'sel-1', BackupSelection: { SelectionName: 'sel', IamRoleArn: 'arn:role', Resources: [TABLE_ARN] } } as any),
    recoveryPoints: ok([{ RecoveryPointArn: 'arn:rp', Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:00:00Z') }]),
    recentBackupJobs: ok([{ BackupJobId: 'j1', State: 'COMPLETED' }]),
    roles: [role('backup', 'tablesafe-demo-backup'), role('restoreDrill', 'tablesafe-demo-restore-drill'), role('appReader', 'tablesafe-demo-app-reader'), role('appWriter', 'tablesafe-demo-app-writer'), role('auditor', 'tablesafe-demo-auditor')],
  };
}

const run = (live: LiveState, c = contract()) => contractChecks(c, outputs(), live);
const find = (live: LiveState, id: string, c = contract()) => run(live, c).find((x) => x.id === id)!;

describe('contract checks', () => {
  it('all pass on a platform that matches the contract', () => {
    expect(run(healthy()).filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('TABLE-ACTIVE fails with the AWS error when the table cannot be read', () => {
    expect(find({ ...healthy(), table: denied('dynamodb:DescribeTable') }, 'TABLE-ACTIVE').message).toMatch(/could not read table orders: AccessDeniedException/);
  });

  it('TABLE-ACTIVE fails naming the status', () => {
    const live = healthy();
    expect(find({ ...live, table: ok({ ...(live.table as any).value, TableStatus: 'UPDATING' }) }, 'TABLE-ACTIVE').message).toBe('table.status: expected ACTIVE, actual UPDATING');
  });

  it('TABLE-DESIGN names a key schema difference', () => {
    const live = healthy();
    const t = { ...(live.table as any).value, KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] };
    expect(find({ ...live, table: ok(t) }, 'TABLE-DESIGN').message).toMatch(/table.keySchema: expected \["HASH ID"\], actual \["HASH PK"\]/);
  });

  it("TABLE-SSE fails when the table uses another key", () => {
    const live = healthy();
    const t = { ...(live.table as any).value, SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:other' } };
    expect(find({ ...live, table: ok(t) }, 'TABLE-SSE').message).toMatch(/table.sse.kmsMasterKeyArn: expected arn:aws:kms:.*, actual arn:other/);
  });

  it('TABLE-PITR fails when PITR was switched off', () => {
    expect(find({ ...healthy(), pitr: ok({ PointInTimeRecoveryStatus: 'DISABLED' }) }, 'TABLE-PITR').message).toBe('table.pointInTimeRecovery: expected ENABLED, actual DISABLED');
  });

  it('TABLE-DELETION-PROTECTION fails when off', () => {
    const live = healthy();
    expect(find({ ...live, table: ok({ ...(live.table as any).value, DeletionProtectionEnabled: false }) }, 'TABLE-DELETION-PROTECTION').message).toBe('table.deletionProtection: expected true, actual false');
  });

  it('TABLE-TTL fails when the declared TTL is off', () => {
    expect(find(healthy(), 'TABLE-TTL', contract({ table: { ...contract().table, ttlAttribute: 'expiresAt' } })).message).toBe('table.ttlAttribute: expected expiresAt, actual (none)');
  });

  it('TABLE-TAGS names a missing tag', () => {
    expect(find({ ...healthy(), tags: ok({}) }, 'TABLE-TAGS').message).toBe('table.tags.project: expected tablesafe, actual (none)');
  });

  it('KEY fails when rotation is off', () => {
    const live = healthy();
    expect(find({ ...live, key: ok({ ...(live.key as any).value, rotation: false }) }, 'KEY').message).toBe('key.rotation: expected true, actual false');
  });

  it('KEY fails on an unconditioned public principal', () => {
    const live = healthy();
    const policy = JSON.stringify({ Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
    expect(find({ ...live, key: ok({ ...(live.key as any).value, policy }) }, 'KEY').message).toMatch(/key.policy: expected no unconditioned Principal "\*", actual Principal "\*" in Open/);
  });

  it('BACKUP-VAULT fails when encrypted with another key', () => {
    const live = healthy();
    expect(find({ ...live, vault: ok({ ...(live.vault as any).value, EncryptionKeyArn: 'arn:aws:kms:us-east-1:1:alias/aws/backup' }) }, 'BACKUP-VAULT').message).toMatch(/vault.encryptionKeyArn: expected .*, actual arn:aws:kms:us-east-1:1:alias\/aws\/backup/);
  });

  it('BACKUP-VAULT-POLICY fails without a deny-deletion statement', () => {
    expect(find({ ...healthy(), vaultPolicy: ok(undefined) }, 'BACKUP-VAULT-POLICY').message).toBe('vault.accessPolicy: expected Deny backup:DeleteRecoveryPoint, actual no access policy');
  });

  it('BACKUP-REGION-SETTINGS passes when DynamoDB is opted in with advanced features', () => {
    expect(find({ ...healthy(), regionSettings: ok({ optIn: true, advancedFeatures: true }) }, 'BACKUP-REGION-SETTINGS').status).toBe('pass');
  });

  it('BACKUP-REGION-SETTINGS names the switched-off advanced features', () => {
    expect(find({ ...healthy(), regionSettings: ok({ optIn: true, advancedFeatures: false }) }, 'BACKUP-REGION-SETTINGS').message).toBe(
      'regionSettings.resourceTypeManagementPreference.DynamoDB: expected true, actual false',
    );
  });

  it('BACKUP-REGION-SETTINGS fails with the AWS error when the settings cannot be read', () => {
    expect(find({ ...healthy(), regionSettings: denied('backup:DescribeRegionSettings') }, 'BACKUP-REGION-SETTINGS').message).toMatch(/AccessDeniedException/);
  });

  it('BACKUP-REGION-SETTINGS is not run when the contract does not opt in', () => {
    expect(run(healthy()).some((c) => c.id === 'BACKUP-REGION-SETTINGS')).toBe(false);
  });

  it('BACKUP-PLAN names a changed schedule', () => {
    const live = healthy();
    const plan = JSON.parse(JSON.stringify((live.plan as any).value));
    plan.BackupPlan.Rules[0].ScheduleExpression = 'cron(0 5 ? * 1 *)';
    expect(find({ ...live, plan: ok(plan) }, 'BACKUP-PLAN').message).toBe('plan.rules.daily.schedule: expected cron(0 5 ? * * *), actual cron(0 5 ? * 1 *)');
  });

  it('BACKUP-SELECTION fails when the table is not selected', () => {
    const sel = { SelectionId: 'sel-1', BackupSelection: { SelectionName: 'sel', IamRoleArn: 'r', Resources: ['arn:aws:dynamodb:us-east-1:1:table/other'] } };
    expect(find({ ...healthy(), selection: ok(sel as any) }, 'BACKUP-SELECTION').message).toMatch(/selection.resources: expected covers .*table\/orders, actual .*table\/other/);
  });

  it('BACKUP-RPO fails when the latest point is older than the RPO', () => {
    const live = { ...healthy(), recoveryPoints: ok([{ RecoveryPointArn: 'arn:rp', Status: 'COMPLETED' as const, CreationDate: new Date('2026-11-21T12:00:00Z') }]) };
    expect(find(live, 'BACKUP-RPO').message).toBe('recoveryPoint.ageMinutes: expected <= 1440, actual 2880');
  });

  it('BACKUP-RPO fails when the recovery point was deleted', () => {
    expect(find({ ...healthy(), recoveryPoints: ok([]) }, 'BACKUP-RPO').message).toMatch(/expected a COMPLETED recovery point, actual none in the vault/);
  });

  it('BACKUP-RPO is judged again with the newer point the drill restored, aged as the drill measured it', () => {
    const live = { ...healthy(), recoveryPoints: ok([]) };
    const rejudged = rpoCheckAfterDrill(contract(), live, { recoveryPointArn: 'arn:fresh', recoveryPointCreatedAt: '2026-11-23T12:01:00.000Z', rpoMeasuredMinutes: 0.1 });
    expect(rejudged).toMatchObject({ id: 'BACKUP-RPO', status: 'pass', message: 'latest recovery point is 0.1 min old (RPO 1440 min)', evidence: expect.arrayContaining(['recovery point arn:fresh']) });
  });

  it('BACKUP-RPO stands when the drill restored a point the live checks already judged', () => {
    expect(rpoCheckAfterDrill(contract(), healthy(), { recoveryPointArn: 'arn:rp', recoveryPointCreatedAt: '2026-11-23T11:00:00.000Z', rpoMeasuredMinutes: 61 })).toBeUndefined();
  });

  it('BACKUP-RPO after the drill still fails a point older than the RPO', () => {
    const live = { ...healthy(), recoveryPoints: ok([]) };
    expect(rpoCheckAfterDrill(contract(), live, { recoveryPointArn: 'arn:old', recoveryPointCreatedAt: '2026-11-20T12:00:00.000Z', rpoMeasuredMinutes: 4320 })?.message).toBe('recoveryPoint.ageMinutes: expected <= 1440, actual 4320');
  });

  it('BACKUP-RPO stands as a read failure when the live checks could not list recovery points', () => {
    const live = { ...healthy(), recoveryPoints: denied('backup:ListRecoveryPointsByBackupVault') };
    expect(rpoCheckAfterDrill(contract(), live, { recoveryPointArn: 'arn:fresh', recoveryPointCreatedAt: '2026-11-23T12:01:00.000Z', rpoMeasuredMinutes: 0.1 })).toBeUndefined();
  });

  it('BACKUP-DR-VAULT and BACKUP-DR-VAULT-POLICY run only when the contract declares a DR copy', () => {
    expect(run(healthy()).filter((c) => c.id.startsWith('BACKUP-DR-') || c.id === 'KEY-DR')).toEqual([]);
  });

  it('BACKUP-JOBS fails naming FAILED jobs', () => {
    expect(find({ ...healthy(), recentBackupJobs: ok([{ BackupJobId: 'j9', State: 'FAILED' }]) }, 'BACKUP-JOBS').message).toMatch(/backupJobs.failedOrExpired: expected 0, actual 1 \(j9 FAILED\)/);
  });

  it('BACKUP-DR-COPY fails when the DR vault holds no copy', () => {
    const c = contract({ backup: { ...contract().backup, drCopy: { region: 'us-west-2', vaultName: 'dr' } } });
    expect(find({ ...healthy(), drRecoveryPoints: ok([]) }, 'BACKUP-DR-COPY', c).message).toMatch(/drCopy.recoveryPoint: expected a COMPLETED recovery point in dr \(us-west-2\), actual none/);
  });

  describe('BACKUP-DR-COPY judges the newest copy against the cycle of the rule that copies it', () => {
    // The daily rule copies to us-west-2: 1440 min interval + 60 start + 180 completion = 1680 min.
    const copying = () => contract({ backup: { ...contract().backup, drCopy: { region: 'us-west-2', vaultName: 'dr' }, rules: contract().backup.rules.map((r) => ({ ...r, copyToRegion: 'us-west-2' })) } });
    const copyAged = (minutes: number) => ok([{ RecoveryPointArn: 'arn:copy', Status: 'COMPLETED' as const, CreationDate: new Date(NOW.getTime() - minutes * 60_000) }]);

    it('passes a copy within the cycle and says how old it is', () => {
      const r = find({ ...healthy(), drRecoveryPoints: copyAged(1680) }, 'BACKUP-DR-COPY', copying());
      expect(r).toMatchObject({ status: 'pass', message: expect.stringMatching(/1680 min old \(at most 1680 min\)$/) });
    });

    it('fails a copy older than the cycle (the copy action stopped working)', () => {
      expect(find({ ...healthy(), drRecoveryPoints: copyAged(1681) }, 'BACKUP-DR-COPY', copying()).message).toBe("drCopy.ageMinutes: expected <= 1680 (the copying rule's interval and windows), actual 1681");
    });

    it('sets no age limit when no rule copies into the DR region (copies come only on demand)', () => {
      const onDemandOnly = contract({ backup: { ...contract().backup, drCopy: { region: 'us-west-2', vaultName: 'dr' } } });
      expect(find({ ...healthy(), drRecoveryPoints: copyAged(100_000) }, 'BACKUP-DR-COPY', onDemandOnly).status).toBe('pass');
    });
  });

  it('IAM role check fails on an undeclared inline policy and a * action', () => {
    const live = healthy();
    const r = (live.roles[0] as any).value;
    const roles = [ok({ ...r, inlinePolicies: { extra: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) } }), ...live.roles.slice(1)];
    const msg = find({ ...live, roles }, 'IAM-ROLE-backup').message;
    expect(msg).toMatch(/roles.backup.inlinePolicies: expected \["tablesafe-demo-backup-policy"\], actual \["extra"\]/);
    expect(msg).toMatch(/roles.backup.extra.actions: expected no \* actions, actual s3:\*/);
  });

  it('TRAIL is skipped when the contract declares none', () => {
    expect(find(healthy(), 'TRAIL').status).toBe('skip');
  });

  it('TRAIL fails when logging is off and data events miss the table', () => {
    const c = contract({ trail: { name: 't', multiRegion: true, logFileValidation: true, kmsEncrypted: true, dynamoDbDataEvents: true } });
    const trail = ok({ trail: { Name: 't', TrailARN: 'arn:t', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: KEY_ARN }, logging: false, selectors: { AdvancedEventSelectors: [], $metadata: {} } });
    const msg = find({ ...healthy(), trail }, 'TRAIL', c).message;
    expect(msg).toMatch(/trail.logging: expected true, actual false/);
    expect(msg).toMatch(/trail.dataEvents: expected AWS::DynamoDB::Table .*table\/orders, actual not selected/);
  });

  it('TRAIL-BUCKET fails when public access is not blocked', () => {
    const c = contract({ trail: { name: 't', multiRegion: true, logFileValidation: true, kmsEncrypted: true, dynamoDbDataEvents: false } });
    const trail = ok({ trail: { Name: 't', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: KEY_ARN }, logging: true, selectors: { $metadata: {} } });
    const bucket = ok({ publicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: true }, isPublic: false, versioning: true });
    expect(find({ ...healthy(), trail, bucket }, 'TRAIL-BUCKET', c).message).toBe('bucket.blockPublicPolicy: expected true, actual false');
  });
});

describe('isOwnFailure', () => {
  it('calls denied, throttled and unauthenticated calls errors of verify, and platform answers not', () => {
    for (const name of ['AccessDeniedException', 'AccessDenied', 'ThrottlingException', 'UnrecognizedClientException', 'ExpiredTokenException']) expect(isOwnFailure(Object.assign(new Error('x'), { name }))).toBe(true);
    for (const name of ['ResourceNotFoundException', 'InvalidRestoreTimeException', 'ValidationException']) expect(isOwnFailure(Object.assign(new Error('x'), { name }))).toBe(false);
  });
});
