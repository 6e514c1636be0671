/**
 * The live readers against a prod-shaped stack (provisioned table with a GSI, a DR vault and key
 * in us-west-2, vault locks): every fact a rule judges is read from the AWS APIs, in the
 * resource's own region. Each test breaks one thing in a healthy account and expects the rule
 * (and the contract check) to name it; the healthy account passes.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, ScalableTarget, ScalingPolicy } from '@aws-sdk/client-application-auto-scaling';
import { DescribeBackupVaultCommand, GetBackupVaultAccessPolicyCommand, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, TableDescription } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { AwsClients, createClients } from '../../../core/aws/clients';
import type { Contract } from '../../../core/contract';
import { gatherLiveState, LiveState } from '../../../compliance/facts/live-state';
import { complianceChecks, contractChecks } from '../../../verify/checks';
import type { CheckResult } from '../../../verify/checks/check';
import { ACCOUNT, contract, KEY_ARN, outputs, TABLE, TABLE_ARN, VAULT, VAULT_ARN } from './fixtures';

const DR = 'us-west-2';
const DR_VAULT = 'tablesafe-prod-dr-vault';
const DR_VAULT_ARN = `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:${DR_VAULT}`;
const DR_KEY_ARN = `arn:aws:kms:${DR}:${ACCOUNT}:key/dr-1`;
const GSI = 'by-status';
const TABLE_RES = `table/${TABLE}`;
const GSI_RES = `${TABLE_RES}/index/${GSI}`;
const DENY_DELETE = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });
const KEY_POLICY = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
const LOCK = { mode: 'governance' as const, minRetentionDays: 7, maxRetentionDays: 365 };

function prodContract(overrides: Partial<Contract['table']> = {}): Contract {
  const c = contract({ compliance: { pack: 'tablesafe-strict' } });
  return {
    ...c,
    drRegion: DR,
    table: {
      ...c.table,
      billingMode: 'PROVISIONED',
      capacity: { read: 10, write: 5 },
      autoscaling: { minRead: 10, maxRead: 200, minWrite: 5, maxWrite: 100, targetUtilizationPercent: 70 },
      globalSecondaryIndexes: [{ name: GSI, partitionKey: { name: 'Status', type: 'S' }, projectionType: 'ALL', capacity: { read: 10, write: 5 } }],
      ...overrides,
    },
    backup: { ...c.backup, lock: LOCK, drCopy: { region: DR, vaultName: DR_VAULT } },
  };
}

const prodOutputs = () => outputs({ drVaultName: DR_VAULT, drVaultArn: DR_VAULT_ARN, drKeyArn: DR_KEY_ARN });

function table(): TableDescription {
  return {
    TableName: TABLE,
    TableArn: TABLE_ARN,
    TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'Status', AttributeType: 'S' }],
    BillingModeSummary: { BillingMode: 'PROVISIONED' },
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [{ IndexName: GSI, KeySchema: [{ AttributeName: 'Status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } }],
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN },
    DeletionProtectionEnabled: true,
  };
}

/** A healthy account: what `world` answers unless a test changes it. */
interface World {
  targets: ScalableTarget[];
  policies: ScalingPolicy[];
  drPolicy?: string;
  drLocked: boolean;
  drRotation: boolean;
  drVaultError?: Error;
}

function healthyWorld(): World {
  const dims = (res: string, kind: 'table' | 'index') => (['Read', 'Write'] as const).map((d) => ({ ResourceId: res, ScalableDimension: `dynamodb:${kind}:${d}CapacityUnits` as const }));
  const all = [...dims(TABLE_RES, 'table'), ...dims(GSI_RES, 'index')];
  return {
    targets: all.map((t) => ({ ...t, ServiceNamespace: 'dynamodb', MinCapacity: 5, MaxCapacity: 200, RoleARN: 'r', CreationTime: new Date() })),
    policies: all.map((t, i) => ({ ...t, ServiceNamespace: 'dynamodb', PolicyName: `p${i}`, PolicyARN: `arn:p${i}`, PolicyType: 'TargetTrackingScaling', CreationTime: new Date() })),
    drPolicy: DENY_DELETE,
    drLocked: true,
    drRotation: true,
  };
}

const notFound = (message: string) => Object.assign(new Error(message), { name: 'ResourceNotFoundException' });
const denied = (what: string) => Object.assign(new Error(`User is not authorized to perform: ${what}`), { name: 'AccessDeniedException' });

let clients: AwsClients;
let world: World;
let mocks: ReturnType<typeof mockAll>;

function mockAll(c: AwsClients) {
  const ddb = mockClient(c.dynamodb);
  const backup = mockClient(c.backup);
  const kms = mockClient(c.kms);
  const scaling = mockClient(c.autoscaling);
  const drBackup = mockClient(c.backupIn(DR));
  const drKms = mockClient(c.kmsIn(DR));
  const rest = [mockClient(c.iam), mockClient(c.cloudtrail), mockClient(c.s3), mockClient(c.sts)];
  for (const m of [...rest, ddb, backup, kms, scaling, drBackup, drKms] as { onAnyCommand(): { resolves(v: object): unknown } }[]) m.onAnyCommand().resolves({});

  ddb.on(DescribeTableCommand).callsFake(() => ({ Table: table() }));
  ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } } });
  scaling.on(DescribeScalableTargetsCommand).callsFake((input) => ({ ScalableTargets: world.targets.filter((t) => input.ResourceIds.includes(t.ResourceId)) }));
  scaling.on(DescribeScalingPoliciesCommand).callsFake((input) => ({ ScalingPolicies: world.policies.filter((p) => p.ResourceId === input.ResourceId) }));

  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'key-1', Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' } });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  kms.on(GetKeyPolicyCommand).resolves({ Policy: KEY_POLICY });
  kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/tablesafe-demo', TargetKeyId: 'key-1' }] });
  backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: VAULT, BackupVaultArn: VAULT_ARN, EncryptionKeyArn: KEY_ARN, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
  backup.on(GetBackupVaultAccessPolicyCommand).resolves({ Policy: DENY_DELETE });

  drKms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'dr-1', Arn: DR_KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' } });
  drKms.on(GetKeyRotationStatusCommand).callsFake(() => ({ KeyRotationEnabled: world.drRotation }));
  drKms.on(GetKeyPolicyCommand).resolves({ Policy: KEY_POLICY });
  drKms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/tablesafe-prod-dr', TargetKeyId: 'dr-1' }] });
  drBackup.on(DescribeBackupVaultCommand).callsFake(() => {
    if (world.drVaultError) throw world.drVaultError;
    return { BackupVaultName: DR_VAULT, BackupVaultArn: DR_VAULT_ARN, EncryptionKeyArn: DR_KEY_ARN, Locked: world.drLocked, ...(world.drLocked ? { MinRetentionDays: 7, MaxRetentionDays: 365 } : {}) };
  });
  drBackup.on(GetBackupVaultAccessPolicyCommand).callsFake(() => {
    if (world.drPolicy === undefined) throw notFound(`Backup vault ${DR_VAULT} has no access policy`);
    return { Policy: world.drPolicy };
  });
  drBackup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
  return { ddb, backup, kms, scaling, drBackup, drKms, rest };
}

beforeEach(() => {
  clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
  world = healthyWorld();
  mocks = mockAll(clients);
});
afterEach(() => {
  for (const m of [mocks.ddb, mocks.backup, mocks.kms, mocks.scaling, mocks.drBackup, mocks.drKms, ...mocks.rest] as { restore(): void }[]) m.restore();
  clients.destroy();
});

async function verifyLive(c = prodContract()): Promise<{ live: LiveState; checks: CheckResult[] }> {
  const live = await gatherLiveState(c, prodOutputs(), clients);
  return { live, checks: [...contractChecks(c, prodOutputs(), live), ...complianceChecks(c, prodOutputs(), live)] };
}
const byId = (checks: CheckResult[], id: string) => {
  const found = checks.find((x) => x.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return found;
};

describe('live readers on a prod-shaped stack', () => {
  it('a correct deployment passes the GSI autoscaling, DR vault and DR key rules and checks', async () => {
    const { checks } = await verifyLive();
    for (const id of [`TS-DDB-005:${TABLE}`, `TS-BAK-002:${DR_VAULT}`, `TS-BAK-003:${DR_VAULT}`, `TS-BAK-002:${VAULT}`, `TS-BAK-003:${VAULT}`, 'TS-KMS-001:alias/tablesafe-prod-dr', 'TABLE-BILLING', 'BACKUP-DR-VAULT', 'BACKUP-DR-VAULT-POLICY', 'KEY-DR']) {
      expect({ id, status: byId(checks, id).status, message: byId(checks, id).message }).toEqual({ id, status: 'pass', message: expect.any(String) });
    }
  });

  it('asks Application Auto Scaling for the table and each GSI, with their policies', async () => {
    await verifyLive();
    expect(mocks.scaling.commandCalls(DescribeScalableTargetsCommand)[0].args[0].input.ResourceIds).toEqual([TABLE_RES, GSI_RES]);
    expect(mocks.scaling.commandCalls(DescribeScalingPoliciesCommand).map((c) => c.args[0].input.ResourceId).sort()).toEqual([TABLE_RES, GSI_RES].sort());
  });

  it('a GSI whose scalable target is missing fails TS-DDB-005 naming the GSI', async () => {
    world.targets = world.targets.filter((t) => !(t.ResourceId === GSI_RES && t.ScalableDimension === 'dynamodb:index:ReadCapacityUnits'));
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-DDB-005:${TABLE}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/without autoscaling: index by-status/) });
    expect(byId(checks, 'TABLE-BILLING').message).toMatch(/globalSecondaryIndexes\.by-status\.autoscaling\.targets: expected \["dynamodb:index:ReadCapacityUnits","dynamodb:index:WriteCapacityUnits"\], actual \["dynamodb:index:WriteCapacityUnits"\]/);
  });

  it('a GSI target without a scaling policy fails TS-DDB-005 naming the GSI', async () => {
    world.policies = world.policies.filter((p) => p.ResourceId !== GSI_RES);
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-DDB-005:${TABLE}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/index by-status/) });
    expect(byId(checks, 'TABLE-BILLING').message).toMatch(/globalSecondaryIndexes\.by-status\.autoscaling\.policies: expected a scaling policy for each target, actual none for dynamodb:index:ReadCapacityUnits, dynamodb:index:WriteCapacityUnits/);
  });

  it('autoscaling that cannot be read is not judged by TS-DDB-005; TABLE-BILLING reports the read', async () => {
    mocks.scaling.on(DescribeScalingPoliciesCommand).rejects(denied('application-autoscaling:DescribeScalingPolicies'));
    const { checks } = await verifyLive();
    expect(checks.find((x) => x.id === `TS-DDB-005:${TABLE}`)).toBeUndefined();
    expect(byId(checks, 'TABLE-BILLING')).toMatchObject({ status: 'fail', message: expect.stringMatching(/table\.autoscaling\.policies: could not read: AccessDeniedException/) });
  });

  it('the DR vault and its policy are read in us-west-2, never from the primary region', async () => {
    await verifyLive();
    expect(mocks.drBackup.commandCalls(DescribeBackupVaultCommand).map((c) => c.args[0].input.BackupVaultName)).toEqual([DR_VAULT]);
    expect(mocks.drBackup.commandCalls(GetBackupVaultAccessPolicyCommand).map((c) => c.args[0].input.BackupVaultName)).toEqual([DR_VAULT]);
    expect(mocks.backup.commandCalls(DescribeBackupVaultCommand).map((c) => c.args[0].input.BackupVaultName)).toEqual([VAULT]);
    expect(mocks.drKms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input.KeyId)).toEqual(['dr-1']);
  });

  it('a DR vault without its access policy in us-west-2 fails TS-BAK-002 for the DR vault only', async () => {
    world.drPolicy = undefined;
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-BAK-002:${DR_VAULT}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/vault has no access policy/) });
    expect(byId(checks, `TS-BAK-002:${VAULT}`).status).toBe('pass');
    expect(byId(checks, 'BACKUP-DR-VAULT-POLICY').message).toBe('drVault.accessPolicy: expected Deny backup:DeleteRecoveryPoint, actual no access policy');
  });

  it('a DR vault whose lock was removed fails TS-BAK-003 for the DR vault', async () => {
    world.drLocked = false;
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-BAK-003:${DR_VAULT}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/vault has no lock/) });
    expect(byId(checks, `TS-BAK-003:${VAULT}`).status).toBe('pass');
    expect(byId(checks, 'BACKUP-DR-VAULT').message).toMatch(/drVault\.locked: expected true, actual false/);
  });

  it('a DR key with rotation off fails TS-KMS-001 naming the DR key', async () => {
    world.drRotation = false;
    const { checks } = await verifyLive();
    expect(byId(checks, 'TS-KMS-001:alias/tablesafe-prod-dr')).toMatchObject({ status: 'fail', message: expect.stringMatching(/rotation is disabled/) });
    expect(byId(checks, 'TS-KMS-001:alias/tablesafe-demo').status).toBe('pass');
    expect(byId(checks, 'KEY-DR').message).toBe('key.rotation: expected true, actual false');
  });

  it('a DR vault that cannot be read fails BACKUP-DR-VAULT and is not judged from the outputs', async () => {
    world.drVaultError = denied('backup:DescribeBackupVault');
    const { checks } = await verifyLive();
    expect(byId(checks, 'BACKUP-DR-VAULT')).toMatchObject({ status: 'fail', message: expect.stringMatching(/could not read DR vault tablesafe-prod-dr-vault in us-west-2: AccessDeniedException/) });
    expect(checks.filter((x) => x.id.endsWith(`:${DR_VAULT}`))).toEqual([]);
  });

  it('a vault policy that cannot be read is not judged as missing', async () => {
    mocks.drBackup.on(GetBackupVaultAccessPolicyCommand).rejects(denied('backup:GetBackupVaultAccessPolicy'));
    const { checks } = await verifyLive();
    expect(checks.find((x) => x.id === `TS-BAK-002:${DR_VAULT}`)).toBeUndefined();
    expect(byId(checks, 'BACKUP-DR-VAULT-POLICY')).toMatchObject({ status: 'fail', message: expect.stringMatching(/could not read DR vault access policy: AccessDeniedException/) });
  });

  it('a DR vault encrypted with the AWS managed key (reported by its key ARN) fails TS-BAK-001', async () => {
    const awsKey = `arn:aws:kms:${DR}:${ACCOUNT}:key/aws-managed-backup`;
    mocks.drBackup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: DR_VAULT, BackupVaultArn: DR_VAULT_ARN, EncryptionKeyArn: awsKey, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
    mocks.drKms.on(DescribeKeyCommand, { KeyId: awsKey }).resolves({ KeyMetadata: { KeyId: 'aws-managed-backup', Arn: awsKey, KeyManager: 'AWS', Enabled: true } });
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-BAK-001:${DR_VAULT}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/vault uses an AWS key/) });
    expect(byId(checks, `TS-BAK-001:${VAULT}`).status).toBe('pass');
    expect(byId(checks, 'BACKUP-DR-VAULT').message).toMatch(/drVault\.encryptionKeyArn: expected .*key\/dr-1, actual .*aws-managed-backup/);
  });

  it('a table encrypted with the AWS managed DynamoDB key (reported by its key ARN) fails TS-DDB-002', async () => {
    const awsKey = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-managed-dynamodb`;
    mocks.ddb.on(DescribeTableCommand).resolves({ Table: { ...table(), SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: awsKey } } });
    mocks.kms.on(DescribeKeyCommand, { KeyId: awsKey }).resolves({ KeyMetadata: { KeyId: 'aws-managed-dynamodb', Arn: awsKey, KeyManager: 'AWS', Enabled: true } });
    const { checks } = await verifyLive();
    expect(byId(checks, `TS-DDB-002:${TABLE}`)).toMatchObject({ status: 'fail', message: expect.stringMatching(/AWS-managed key/) });
  });

  it('a declared replica is read in its region, with its key', async () => {
    const region = 'eu-west-1';
    const replicaKey = `arn:aws:kms:${region}:${ACCOUNT}:key/rep-1`;
    const ddbRep = mockClient(clients.dynamodbIn(region));
    const kmsRep = mockClient(clients.kmsIn(region));
    ddbRep.on(DescribeTableCommand).resolves({ Table: { ...table(), TableStatus: 'ACTIVE', SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: replicaKey } } });
    kmsRep.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'rep-1', Arn: replicaKey, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER' } });
    kmsRep.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kmsRep.on(GetKeyPolicyCommand).resolves({ Policy: KEY_POLICY });
    kmsRep.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/tablesafe-prod-replica', TargetKeyId: 'rep-1' }] });
    mocks.ddb.on(DescribeTableCommand).resolves({ Table: { ...table(), Replicas: [{ RegionName: region, KMSMasterKeyId: replicaKey }] } });
    const { checks } = await verifyLive(prodContract({ replicaRegions: [region] }));
    ddbRep.restore();
    kmsRep.restore();
    expect(byId(checks, 'TABLE-REPLICAS').status).toBe('pass');
    expect(byId(checks, `KEY-REPLICA-${region}`).message).toBe('key.rotation: expected true, actual false');
    expect(byId(checks, `TS-KMS-001:alias/tablesafe-prod-replica (${region})`).status).toBe('fail');
  });
});
