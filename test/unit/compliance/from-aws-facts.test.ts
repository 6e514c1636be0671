/**
 * The live facts verify judges: factsFromAws turns the AWS API responses (a LiveState) into the
 * FactSet the rules read. Each test builds the snapshot by hand and asserts the facts a rule sees.
 */
import { factsFromAws } from '../../../compliance/facts/from-aws';
import type { LiveState, Read } from '../../../compliance/facts/live-state';
import { ACCOUNT, contract, KEY_ARN, outputs, REGION, TABLE, TABLE_ARN, VAULT, VAULT_ARN } from '../verify/fixtures';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = { ok: false as const, error: 'AccessDenied' };
const DR_REGION = 'us-west-2';
const DR_KEY_ARN = `arn:aws:kms:${DR_REGION}:${ACCOUNT}:key/dr-1`;
const DR_VAULT_ARN = `arn:aws:backup:${DR_REGION}:${ACCOUNT}:backup-vault:dr-vault`;
const TRES = `table/${TABLE}`;
const keyPolicy = JSON.stringify({ Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
const vaultPolicy = JSON.stringify({ Statement: { Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' } });

function base(over: Partial<LiveState> = {}): LiveState {
  return {
    readAt: new Date(0),
    table: ok({ TableName: TABLE, TableArn: TABLE_ARN }),
    pitr: ok(undefined),
    ttl: ok(undefined),
    tags: ok({}),
    scalableTargets: ok([]),
    scalingPolicies: ok([]),
    key: fail,
    vault: fail,
    vaultPolicy: fail,
    plan: fail,
    selection: fail,
    recoveryPoints: ok([]),
    recentBackupJobs: ok([]),
    roles: [],
    ...over,
  };
}

const dims = (...pairs: [string, string][]): never[] => pairs.map(([ResourceId, ScalableDimension]) => ({ ResourceId, ScalableDimension })) as never[];

describe('factsFromAws: the table', () => {
  it('reports a provisioned, customer-key encrypted table with its autoscaling, tags, PITR and replicas', () => {
    const gsiA = `${TRES}/index/byCustomer`;
    const gsiB = `${TRES}/index/byDate`;
    const live = base({
      table: ok({
        TableName: TABLE,
        TableArn: TABLE_ARN,
        BillingModeSummary: { BillingMode: 'PROVISIONED' },
        SSEDescription: { Status: 'ENABLED', KMSMasterKeyArn: KEY_ARN },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [{ IndexName: 'byCustomer' }, { IndexName: 'byDate' }, {}],
        Replicas: [{ RegionName: 'eu-west-1' }, {}],
      }),
      tags: ok({ project: 'tablesafe' }),
      pitr: ok({ PointInTimeRecoveryStatus: 'ENABLED' }),
      keyMetadata: { [KEY_ARN]: ok({ KeyId: 'k', KeyManager: 'CUSTOMER' }) },
      scalableTargets: ok([
        ...dims([TRES, 'dynamodb:table:ReadCapacityUnits'], [TRES, 'dynamodb:table:WriteCapacityUnits'], [gsiA, 'dynamodb:index:ReadCapacityUnits'], [gsiA, 'dynamodb:index:WriteCapacityUnits'], [gsiB, 'dynamodb:index:ReadCapacityUnits']),
        {} as never,
      ]),
      // byDate's write dimension has a policy but no target: not autoscaled. A policy without ids matches nothing.
      scalingPolicies: ok([
        ...dims([TRES, 'dynamodb:table:ReadCapacityUnits'], [TRES, 'dynamodb:table:WriteCapacityUnits'], [gsiA, 'dynamodb:index:ReadCapacityUnits'], [gsiA, 'dynamodb:index:WriteCapacityUnits'], [gsiB, 'dynamodb:index:WriteCapacityUnits']),
        { PolicyName: 'x' },
      ] as never),
    });
    const [t] = factsFromAws(contract(), outputs(), live).tables;
    expect(t).toEqual({
      kind: 'table',
      id: TABLE_ARN,
      name: TABLE,
      refs: [TABLE_ARN, TABLE],
      tags: { project: 'tablesafe' },
      pitrEnabled: true,
      sse: { keyType: 'CUSTOMER_MANAGED', kmsKeyRef: KEY_ARN },
      deletionProtection: true,
      billingMode: 'PROVISIONED',
      // The unnamed index ('') has no scaling at all.
      autoscaling: { read: true, write: true, indexesWithout: ['byDate', ''] },
      replicaRegions: ['eu-west-1'],
    });
  });

  it('marks the table write dimension without a target as not autoscaled (a target with no policy neither)', () => {
    const live = base({
      table: ok({ TableName: TABLE, BillingModeSummary: { BillingMode: 'PROVISIONED' } }),
      scalableTargets: ok(dims([TRES, 'dynamodb:table:ReadCapacityUnits'], [TRES, 'dynamodb:table:WriteCapacityUnits'])),
      scalingPolicies: ok(dims([TRES, 'dynamodb:table:ReadCapacityUnits']) as never),
    });
    const [t] = factsFromAws(contract(), outputs(), live).tables;
    expect(t.autoscaling).toEqual({ read: true, write: false, indexesWithout: [] });
    expect(t.unknown).toBeUndefined();
  });

  it('names the table from the outputs and the contract when DescribeTable omits them, and leaves unreadable values unknown', () => {
    const live = base({
      table: ok({ BillingModeSummary: { BillingMode: 'PROVISIONED' }, SSEDescription: { Status: 'UPDATING', KMSMasterKeyArn: KEY_ARN } }),
      tags: fail,
      pitr: fail,
      scalingPolicies: undefined,
      keyMetadata: { [KEY_ARN]: fail },
    });
    const [t] = factsFromAws(contract(), outputs(), live).tables;
    expect(t).toMatchObject({ id: TABLE_ARN, name: TABLE, refs: [], tags: {}, pitrEnabled: false, deletionProtection: false, billingMode: 'PROVISIONED', replicaRegions: [] });
    // The key's metadata failed: who manages it is unknown, reported customer-managed meanwhile.
    expect(t.sse).toEqual({ keyType: 'CUSTOMER_MANAGED', kmsKeyRef: KEY_ARN });
    expect(t.unknown).toEqual(['autoscaling', 'sse']);
    expect(t.autoscaling).toEqual({ read: false, write: false, indexesWithout: [] });
    expect(factsFromAws(contract(), outputs({ tableArn: undefined }), live).tables[0].id).toBe(TABLE);
  });

  it('reads an on-demand table whose SSE is off or uses the AWS key', () => {
    const off = base({ table: ok({ TableName: TABLE, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, SSEDescription: { Status: 'DISABLED', KMSMasterKeyArn: KEY_ARN } }), scalableTargets: fail });
    const [t] = factsFromAws(contract(), outputs(), off).tables;
    expect(t.sse).toEqual({ keyType: 'AWS_OWNED' });
    expect(t.billingMode).toBe('PAY_PER_REQUEST');
    expect(t.unknown).toBeUndefined();
    const noBilling = factsFromAws(contract(), outputs(), base({ table: ok({ TableName: TABLE }) })).tables[0];
    expect(noBilling.billingMode).toBe('PROVISIONED');
    expect(noBilling.sse).toEqual({ keyType: 'AWS_OWNED' });
    expect(noBilling.pitrEnabled).toBe(false);
    const disabledPitr = factsFromAws(contract(), outputs(), base({ pitr: ok({ PointInTimeRecoveryStatus: 'DISABLED' }) })).tables[0];
    expect(disabledPitr.pitrEnabled).toBe(false);
    const awsKey = 'arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb';
    const snap = base({ table: ok({ TableName: TABLE, SSEDescription: { Status: 'ENABLED', KMSMasterKeyArn: awsKey } }) });
    expect(factsFromAws(contract(), outputs(), snap).tables[0].sse).toEqual({ keyType: 'AWS_MANAGED', kmsKeyRef: awsKey });
    const meta = base({ table: ok({ TableName: TABLE, SSEDescription: { Status: 'ENABLED', KMSMasterKeyArn: KEY_ARN } }), keyMetadata: { [KEY_ARN]: ok({ KeyId: 'k', KeyManager: 'AWS' }) } });
    expect(factsFromAws(contract(), outputs(), meta).tables[0].sse).toEqual({ keyType: 'AWS_MANAGED', kmsKeyRef: KEY_ARN });
    const noMetaCustomer = base({ table: ok({ TableName: TABLE, SSEDescription: { Status: 'ENABLED', KMSMasterKeyArn: KEY_ARN } }) });
    expect(factsFromAws(contract(), outputs(), noMetaCustomer).tables[0].sse).toEqual({ keyType: 'CUSTOMER_MANAGED', kmsKeyRef: KEY_ARN });
    expect(factsFromAws(contract(), outputs(), base({ table: fail })).tables).toEqual([]);
  });

  it('tells the AWS managed DynamoDB key only by its exact alias, and ignores the key of a table whose SSE is off', () => {
    const sse = (arn: string, Status = 'ENABLED', over: Partial<LiveState> = {}) => factsFromAws(contract(), outputs(), base({ table: ok({ TableName: TABLE, SSEDescription: { Status, KMSMasterKeyArn: arn } } as never), ...over })).tables[0];
    expect(sse('arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb-custom').sse).toEqual({ keyType: 'CUSTOMER_MANAGED', kmsKeyRef: 'arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb-custom' });
    // SSE disabled: the key's unreadable metadata does not make the table's encryption unknown.
    const off = sse(KEY_ARN, 'DISABLED', { keyMetadata: { [KEY_ARN]: fail } });
    expect(off.sse).toEqual({ keyType: 'AWS_OWNED' });
    expect(off.unknown).toBeUndefined();
    const noKey = factsFromAws(contract(), outputs(), base({ table: ok({ TableName: TABLE, SSEDescription: { Status: 'ENABLED' } }), keyMetadata: { undefined: fail } as never })).tables[0];
    expect(noKey.sse).toEqual({ keyType: 'AWS_OWNED' });
    expect(noKey.unknown).toBeUndefined();
  });
});

describe('factsFromAws: keys', () => {
  const drContract = () => contract({ backup: { ...contract().backup, drCopy: { region: DR_REGION, vaultName: 'dr-vault' } } });

  it('reports the stack key, the DR key and each replica key with their refs, rotation, state and policy', () => {
    const live = base({
      key: ok({ metadata: { Arn: KEY_ARN, KeyId: '1111-2222', Enabled: true, KeySpec: 'SYMMETRIC_DEFAULT' }, rotation: true, policy: keyPolicy, aliases: ['alias/tablesafe-demo'] }),
      drKey: ok({ metadata: { Arn: DR_KEY_ARN, KeyId: 'dr-1' }, rotation: false, aliases: ['alias/dr'] }),
      replicas: [
        { region: 'eu-west-1', table: fail, key: ok({ metadata: { KeyId: 'rep-1', Enabled: false }, rotation: true, aliases: ['alias/rep'] }) },
        { region: 'eu-west-2', table: fail, key: ok({ metadata: { Arn: 'arn:rep2' } as never, rotation: false }) },
        { region: 'eu-west-3', table: fail, key: ok({ metadata: {} as never, rotation: false }) },
        { region: 'ap-south-1', table: fail, key: fail },
      ],
    });
    const keys = factsFromAws(drContract(), outputs({ drKeyArn: DR_KEY_ARN }), live).keys;
    expect(keys[0]).toEqual({
      kind: 'key',
      id: KEY_ARN,
      name: 'alias/tablesafe-demo',
      refs: [KEY_ARN, '1111-2222', 'alias/tablesafe-demo', KEY_ARN, 'alias/tablesafe-demo'],
      tags: {},
      rotationEnabled: true,
      enabled: true,
      keySpec: 'SYMMETRIC_DEFAULT',
      policy: [{ sid: 'Root', effect: 'Allow', principals: [`AWS:arn:aws:iam::${ACCOUNT}:root`], actions: ['kms:*'], resources: ['*'], hasCondition: false, conditionKeys: [] }],
    });
    expect(keys[1]).toMatchObject({ id: DR_KEY_ARN, name: 'alias/dr', refs: [DR_KEY_ARN, 'dr-1', 'alias/dr', DR_KEY_ARN], rotationEnabled: false, enabled: false, policy: undefined });
    expect(keys.slice(2).map((k) => [k.id, k.name, k.refs, k.enabled])).toEqual([
      ['rep-1', 'alias/rep (eu-west-1)', ['rep-1', 'alias/rep'], false],
      ['arn:rep2', 'arn:rep2 (eu-west-2)', ['arn:rep2'], false],
      ['replica key (eu-west-3)', 'replica key (eu-west-3)', [], false],
    ]);
  });

  it('names the DR key by its ARN, the drKeyArn output, or "DR key", and skips it without a DR copy', () => {
    const dr = (metadata: object) => base({ drKey: ok({ metadata: metadata as never, rotation: true }) });
    expect(factsFromAws(drContract(), outputs(), dr({ Arn: DR_KEY_ARN })).keys.map((k) => k.name)).toEqual([DR_KEY_ARN]);
    expect(factsFromAws(drContract(), outputs({ drKeyArn: DR_KEY_ARN }), dr({})).keys.map((k) => [k.name, k.refs])).toEqual([[DR_KEY_ARN, [DR_KEY_ARN]]]);
    expect(factsFromAws(drContract(), outputs(), dr({})).keys.map((k) => k.name)).toEqual(['DR key']);
    expect(factsFromAws(contract(), outputs(), dr({ Arn: DR_KEY_ARN })).keys).toEqual([]);
    // The stack key is named by the keyAlias output, the contract's alias when the output is missing.
    const stackKey = base({ key: ok({ metadata: { KeyId: 'k1' }, rotation: true }) });
    expect(factsFromAws(contract(), outputs({ keyAlias: 'alias/deployed' }), stackKey).keys[0]).toMatchObject({ id: 'k1', name: 'alias/deployed', refs: ['k1', KEY_ARN, 'alias/deployed'] });
    expect(factsFromAws(contract(), outputs({ keyAlias: undefined }), base({ key: ok({ metadata: {} as never, rotation: true }) })).keys[0]).toMatchObject({ id: 'alias/tablesafe-demo', name: 'alias/tablesafe-demo', policy: undefined });
  });
});

describe('factsFromAws: vaults', () => {
  const lockedContract = (changeableForDays?: number) =>
    contract({ backup: { ...contract().backup, lock: { mode: 'compliance', minRetentionDays: 7, maxRetentionDays: 365, ...(changeableForDays === undefined ? {} : { changeableForDays }) }, drCopy: { region: DR_REGION, vaultName: 'dr-vault' } } });

  it('reports the vault and the DR vault with their keys, policies and compliance lock', () => {
    const live = base({
      vault: ok({ BackupVaultArn: VAULT_ARN, BackupVaultName: VAULT, EncryptionKeyArn: KEY_ARN, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 } as never),
      vaultPolicy: ok(vaultPolicy),
      drVault: ok({ BackupVaultArn: DR_VAULT_ARN, BackupVaultName: 'dr-vault' } as never),
      drVaultPolicy: ok(undefined),
      keyMetadata: { [KEY_ARN]: ok({ KeyId: 'k', KeyManager: 'CUSTOMER' }) },
    });
    const [v, dr] = factsFromAws(lockedContract(10), outputs(), live).vaults;
    expect(v).toEqual({
      kind: 'vault',
      id: VAULT_ARN,
      name: VAULT,
      refs: [VAULT_ARN, VAULT],
      tags: {},
      region: REGION,
      kmsKeyRef: KEY_ARN,
      kmsKeyType: 'CUSTOMER_MANAGED',
      accessPolicy: [expect.objectContaining({ effect: 'Deny', principals: ['*'], actions: ['backup:DeleteRecoveryPoint'] })],
      lock: { minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 10 },
      isDrVault: false,
    });
    // No key ARN: AWS Backup's default key. No policy set: an empty policy, known.
    expect(dr).toEqual({ kind: 'vault', id: DR_VAULT_ARN, name: 'dr-vault', refs: [DR_VAULT_ARN, 'dr-vault'], tags: {}, region: DR_REGION, kmsKeyRef: undefined, kmsKeyType: 'AWS_MANAGED', accessPolicy: undefined, lock: undefined, isDrVault: true });
    expect(factsFromAws(lockedContract(), outputs(), live).vaults[0].lock).toEqual({ minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 3 });
    const governance = contract({ backup: { ...contract().backup, lock: { mode: 'governance', minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 10 } } });
    expect(factsFromAws(governance, outputs(), live).vaults[0].lock).toEqual({ minRetentionDays: 7, maxRetentionDays: 365 });
    expect(factsFromAws(contract(), outputs(), live).vaults[0].lock).toEqual({ minRetentionDays: 7, maxRetentionDays: 365 });
  });

  it('lists the policy and the key type it could not read as unknown, and names the vault from the contract', () => {
    const live = base({
      vault: ok({ EncryptionKeyArn: KEY_ARN } as never),
      vaultPolicy: fail,
      drVault: ok({ EncryptionKeyArn: 'arn:aws:kms:us-west-2:123456789012:alias/aws/backup' } as never),
      keyMetadata: { [KEY_ARN]: fail },
    });
    const [v, dr] = factsFromAws(lockedContract(), outputs(), live).vaults;
    expect(v).toMatchObject({ id: VAULT_ARN, name: VAULT, refs: [], kmsKeyType: 'CUSTOMER_MANAGED', accessPolicy: undefined, unknown: ['accessPolicy', 'kmsKeyType'] });
    // drVaultPolicy not read at all; the DR name from the contract (no drVaultName output), its key AWS's by alias.
    expect(dr).toMatchObject({ id: 'dr-vault', name: 'dr-vault', region: DR_REGION, kmsKeyType: 'AWS_MANAGED', unknown: ['accessPolicy'] });
    const named = factsFromAws(lockedContract(), outputs({ vaultArn: undefined, drVaultName: 'dr-out', drVaultArn: DR_VAULT_ARN }), live).vaults;
    expect(named.map((x) => [x.id, x.name])).toEqual([[VAULT, VAULT], [DR_VAULT_ARN, 'dr-out']]);
    expect(factsFromAws(contract(), outputs(), live).vaults.map((x) => x.name)).toEqual([VAULT]);
    // Only the exact alias/aws/backup is AWS Backup's key.
    const lookalike = base({ vault: ok({ EncryptionKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/aws/backup-team' } as never), vaultPolicy: ok(undefined) });
    expect(factsFromAws(contract(), outputs(), lookalike).vaults[0]).toMatchObject({ kmsKeyType: 'CUSTOMER_MANAGED', accessPolicy: undefined });
    expect(factsFromAws(contract(), outputs(), lookalike).vaults[0].unknown).toBeUndefined();
    expect(factsFromAws(contract(), outputs(), base()).vaults).toEqual([]);
  });
});

describe('factsFromAws: plan and selection', () => {
  it('reports the plan rules with lifecycle, continuous backup and copy actions', () => {
    const live = base({
      plan: ok({
        BackupPlanArn: 'arn:plan',
        BackupPlanId: 'plan-1',
        BackupPlan: {
          BackupPlanName: 'live-plan',
          Rules: [
            { RuleName: 'daily', TargetBackupVaultName: VAULT, ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 60, CompletionWindowMinutes: 180, Lifecycle: { DeleteAfterDays: 35, MoveToColdStorageAfterDays: 10 }, EnableContinuousBackup: true, CopyActions: [{ DestinationBackupVaultArn: DR_VAULT_ARN, Lifecycle: { DeleteAfterDays: 90, MoveToColdStorageAfterDays: 30 } }, {}] },
            {},
          ],
        },
      } as never),
    });
    expect(factsFromAws(contract(), outputs(), live).plans).toEqual([
      {
        kind: 'plan',
        id: 'arn:plan',
        name: 'live-plan',
        refs: ['arn:plan', 'plan-1'],
        tags: {},
        rules: [
          { name: 'daily', schedule: 'cron(0 5 ? * * *)', targetVaultRef: VAULT, startWindowMinutes: 60, completionWindowMinutes: 180, deleteAfterDays: 35, coldStorageAfterDays: 10, continuousBackup: true, copyActions: [{ destinationVaultRef: DR_VAULT_ARN, deleteAfterDays: 90, coldStorageAfterDays: 30 }, { destinationVaultRef: '', deleteAfterDays: undefined, coldStorageAfterDays: undefined }] },
          { name: '', schedule: undefined, targetVaultRef: '', startWindowMinutes: undefined, completionWindowMinutes: undefined, deleteAfterDays: undefined, coldStorageAfterDays: undefined, continuousBackup: false, copyActions: [] },
        ],
      },
    ]);
    const bare = factsFromAws(contract(), outputs(), base({ plan: ok({} as never) })).plans[0];
    expect(bare).toEqual({ kind: 'plan', id: outputs().planArn, name: 'tablesafe-demo-plan', refs: [], tags: {}, rules: [] });
    expect(factsFromAws(contract(), outputs({ planArn: undefined }), base({ plan: ok({} as never) })).plans[0].id).toBe('');
  });

  it('reports the selection with resources and tag conditions, falling back on the outputs', () => {
    const live = base({
      selection: ok({ SelectionId: 'sel-live', BackupPlanId: 'plan-live', BackupSelection: { SelectionName: 'sel', IamRoleArn: 'r', Resources: [TABLE_ARN], NotResources: ['arn:x'], ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }, {}] } } as never),
    });
    expect(factsFromAws(contract(), outputs(), live).selections).toEqual([
      { kind: 'selection', id: 'sel-live', name: 'sel', refs: ['sel-live'], tags: {}, planRef: 'plan-live', resources: [TABLE_ARN], notResources: ['arn:x'], tagConditions: [{ key: 'backup', value: 'yes' }, { key: '', value: '' }] },
    ]);
    const bare = base({ selection: ok({} as never) });
    expect(factsFromAws(contract(), outputs(), bare).selections).toEqual([
      { kind: 'selection', id: 'sel-1', name: 'tablesafe-demo-selection', refs: [], tags: {}, planRef: 'plan-1', resources: [], notResources: [], tagConditions: [] },
    ]);
    expect(factsFromAws(contract(), outputs({ selectionId: undefined, planId: undefined }), bare).selections[0]).toMatchObject({ id: '', planRef: '' });
  });
});
