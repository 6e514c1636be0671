import { demo, dev, ENVIRONMENTS, PlatformConfig, prod } from '../../../stacks/config';
import { OUTPUT_NAMES, parseContract } from '../../../core/contract';
import { synthPlatform } from '../../helpers/stacks';

const synthesized = new Map(ENVIRONMENTS.map((c) => [c.environment, synthPlatform(c)]));
const get = (env: string) => synthesized.get(env)!;

describe('PlatformStack', () => {
  it.each(ENVIRONMENTS.map((c) => c.environment))('%s emits every output verify needs', (env) => {
    expect(Object.keys(get(env).out.json.output).sort()).toEqual(Object.values(OUTPUT_NAMES).sort());
  });

  it('demo is seed 000\'s table: partition key ID, on-demand, deletion protection off, PITR on', () => {
    const t = get('demo').out.only('aws_dynamodb_table');
    expect(t).toMatchObject({ hash_key: 'ID', billing_mode: 'PAY_PER_REQUEST', deletion_protection_enabled: false, point_in_time_recovery: { enabled: true } });
  });

  it('demo has no vault lock and no DR copy, and destroys its recovery points', () => {
    const { out } = get('demo');
    expect(out.count('aws_backup_vault_lock_configuration')).toBe(0);
    expect(out.count('aws_backup_vault')).toBe(1);
    expect(out.only('aws_backup_vault').force_destroy).toBe(true);
  });

  it('prod locks both vaults, copies daily recovery points to the DR region and protects the table', () => {
    const { out } = get('prod');
    expect(out.count('aws_backup_vault_lock_configuration')).toBe(2);
    const vaults = Object.values(out.resources('aws_backup_vault')) as any[];
    expect(vaults.map((v) => v.provider ?? 'aws').sort()).toEqual(['aws', 'aws.dr']);
    const daily = out.only('aws_backup_plan').rule.find((r: any) => r.rule_name === 'daily');
    expect(daily.copy_action[0].destination_vault_arn).toMatch(/dr-vault/);
    expect(out.only('aws_dynamodb_table').deletion_protection_enabled).toBe(true);
  });

  it('prod is provisioned with autoscaling on the table and its GSI', () => {
    const { out } = get('prod');
    expect(out.only('aws_dynamodb_table').billing_mode).toBe('PROVISIONED');
    expect(out.count('aws_appautoscaling_target')).toBe(4);
  });

  it('selects the table for backup with the backup role, and records its data events in the trail', () => {
    const { out } = get('dev');
    const sel = out.only('aws_backup_selection');
    expect(sel.resources).toEqual([expect.stringMatching(/aws_dynamodb_table\..*\.arn/)]);
    expect(sel.iam_role_arn).toMatch(/aws_iam_role\.backup-role/);
    const data = out.only('aws_cloudtrail').advanced_event_selector[1].field_selector[2];
    expect(data.equals).toEqual([expect.stringMatching(/aws_dynamodb_table\..*\.arn/)]);
  });

  it('tags the table with the required tags', () => {
    expect(get('prod').out.only('aws_dynamodb_table').tags).toMatchObject({ project: 'tablesafe', environment: 'prod', owner: 'platform-team', 'data-classification': 'confidential' });
  });
});

describe('the contract', () => {
  it.each(ENVIRONMENTS.map((c) => c.environment))('%s parses with the contract schema', (env) => {
    const contract = get(env).stack.contract();
    expect(parseContract(JSON.parse(JSON.stringify(contract)))).toMatchObject({ stack: env, schemaVersion: 1 });
  });

  it('states the plan RPO, rules and retention', () => {
    const c = get('prod').stack.contract();
    expect(c.backup.rpoMinutes).toBe(60);
    expect(c.backup.rules.map((r) => [r.name, r.intervalMinutes, r.deleteAfterDays, r.copyToRegion])).toEqual([
      ['hourly', 60, 7, undefined],
      ['daily', 1440, 120, 'us-west-2'],
    ]);
    expect(c.backup.lock).toEqual({ mode: 'governance', minRetentionDays: 7, maxRetentionDays: 365 });
    expect(c.backup.drCopy).toEqual({ region: 'us-west-2', vaultName: 'tablesafe-prod-dr-vault' });
  });

  it('lists each role\'s inline and managed policies exactly', () => {
    const c = get('demo').stack.contract();
    expect(c.roles.appReader.inlinePolicies).toEqual(['tablesafe-demo-records-read-data']);
    expect(c.roles.backup.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
    expect(c.roles.restoreDrill.inlinePolicies).toEqual(['restore-drill', 'evidence-sign', 'evidence-upload']);
  });

  it('carries the table design and the drill settings', () => {
    const c = get('prod').stack.contract();
    expect(c.table).toMatchObject({ name: 'tablesafe-prod-records', partitionKey: { name: 'ID', type: 'S' }, sortKey: { name: 'SK', type: 'S' }, billingMode: 'PROVISIONED', pointInTimeRecovery: true, deletionProtection: true, encryption: 'CUSTOMER_MANAGED' });
    expect(c.table.localSecondaryIndexes[0].partitionKey).toEqual({ name: 'ID', type: 'S' });
    expect(c.drill).toEqual({ rtoMinutes: 60, paths: ['backup', 'pitr', 'dr'], validation: { tolerance: 0, sample: 50, digest: true, maxKeys: 20 } });
  });

  it('writes allowEmptyTable into the contract only when the config allows an empty table', () => {
    expect(get('prod').stack.contract().drill.allowEmptyTable).toBeUndefined();
    const allowed = synthPlatform({ ...dev, drill: { ...dev.drill, allowEmptyTable: true } }).stack.contract();
    expect(allowed.drill.allowEmptyTable).toBe(true);
  });

  it('runs every restore path the environment supports unless the config names them', () => {
    expect(get('demo').stack.contract().drill.paths).toEqual(['backup', 'pitr']);
    expect(get('prod').stack.contract().drill.paths).toEqual(['backup', 'pitr', 'dr']);
  });
});

describe('provider and backend settings', () => {
  it('points every service at TABLESAFE_ENDPOINT with path-style S3, still asking STS for the account', () => {
    const { out } = synthPlatform(demo, { TABLESAFE_ENDPOINT: 'http://127.0.0.1:4566' });
    const aws = out.json.provider.aws[0];
    expect(aws.endpoints[0]).toMatchObject({ dynamodb: 'http://127.0.0.1:4566', backup: 'http://127.0.0.1:4566', s3: 'http://127.0.0.1:4566', sts: 'http://127.0.0.1:4566' });
    expect(aws.s3_use_path_style).toBe(true);
    expect(aws.skip_requesting_account_id).toBeUndefined();
    expect(out.json.data.aws_caller_identity).toBeDefined();
  });

  it('behaves as for real AWS without settings: no endpoints, no skips', () => {
    const aws = get('demo').out.json.provider.aws[0];
    expect(aws).toEqual({ region: 'us-east-1' });
  });

  it('pins the account with TABLESAFE_ACCOUNT_ID and plans offline with TABLESAFE_OFFLINE', () => {
    const pinned = synthPlatform(demo, { TABLESAFE_ACCOUNT_ID: '111122223333' }).out.json;
    expect(pinned.provider.aws[0].allowed_account_ids).toEqual(['111122223333']);
    expect(pinned.data?.aws_caller_identity).toBeUndefined();
    const offline = synthPlatform(demo, { TABLESAFE_ACCOUNT_ID: '111122223333', TABLESAFE_OFFLINE: '1' }).out.json.provider.aws[0];
    expect(offline).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
  });

  it.each<[NodeJS.ProcessEnv, RegExp]>([
    [{ TABLESAFE_ENDPOINT: 'localhost:4566' }, /TABLESAFE_ENDPOINT: "localhost:4566" is invalid: must be an http\(s\) URL/],
    [{ TABLESAFE_ACCOUNT_ID: '42' }, /TABLESAFE_ACCOUNT_ID: "42" is invalid: must be a 12-digit AWS account id/],
    [{ TABLESAFE_OFFLINE: '1' }, /TABLESAFE_OFFLINE: "1" is invalid without TABLESAFE_ACCOUNT_ID/],
    [{ TABLESAFE_BACKEND: 'gcs' }, /TABLESAFE_BACKEND: "gcs" is invalid: must be local, s3 or cloud/],
    [{ TABLESAFE_BACKEND: 's3', AWS_REGION: 'us-east-1' }, /TABLESAFE_BACKEND=s3 needs TABLESAFE_STATE_BUCKET/],
    [{ TABLESAFE_BACKEND: 'cloud' }, /TABLESAFE_BACKEND=cloud needs TF_CLOUD_ORGANIZATION/],
  ])('rejects %j', (env, message) => {
    expect(() => synthPlatform(demo, env)).toThrow(message);
  });

  it('uses local state by default, S3 with locking or Terraform Cloud on request', () => {
    expect(get('demo').out.json.terraform.backend.local.path).toBe('terraform.demo.tfstate');
    const s3 = synthPlatform(demo, { TABLESAFE_BACKEND: 's3', TABLESAFE_STATE_BUCKET: 'state', TABLESAFE_STATE_REGION: 'eu-west-1', TABLESAFE_STATE_LOCK_TABLE: 'locks' }).out.json.terraform.backend.s3;
    expect(s3).toEqual({ bucket: 'state', key: 'tablesafe/demo.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'locks' });
    const cloud = synthPlatform(prod, { TABLESAFE_BACKEND: 'cloud', TF_CLOUD_ORGANIZATION: 'acme' }).out.json.terraform.cloud;
    expect(cloud).toEqual({ hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'tablesafe-prod' } });
  });
});

describe('invalid configurations fail at synth naming field, value and rule', () => {
  const withBackup = (b: Partial<PlatformConfig['backup']>): PlatformConfig => ({ ...dev, backup: { ...dev.backup, ...b } });
  it.each<[string, PlatformConfig, RegExp]>([
    ['RPO not positive', withBackup({ rpoMinutes: 0 }), /PlatformConfig\(dev\)\.backup\.rpoMinutes: 0 is invalid: must be an integer from 1/],
    ['RTO not positive', { ...dev, drill: { rtoMinutes: -5 } }, /PlatformConfig\(dev\)\.drill\.rtoMinutes: -5 is invalid/],
    ['allowEmptyTable not a boolean', { ...dev, drill: { rtoMinutes: 30, allowEmptyTable: 'yes' as unknown as boolean } }, /PlatformConfig\(dev\)\.drill\.allowEmptyTable: "yes" is invalid: must be true or false/],
    ['a dr drill path without a DR region', { ...dev, drill: { rtoMinutes: 30, paths: ['backup', 'dr'] } }, /PlatformConfig\(dev\)\.drill\.paths: \["backup","dr"\] is invalid: dr needs backup\.drRegion/],
    ['DR region equal to primary', withBackup({ drRegion: 'us-east-1' }), /PlatformConfig\(dev\)\.backup\.drRegion: "us-east-1" is invalid: must differ from the primary region \(us-east-1\)/],
    ['a schedule slower than the RPO', withBackup({ rpoMinutes: 60 }), /backup\.rules: a recovery point every 1440 minutes is invalid: the schedule must meet backup\.rpoMinutes \(60\)/],
    ['retention below the minimum', withBackup({ rules: [{ preset: 'daily', deleteAfterDays: 3 }] }), /PlatformConfig\(dev\)\.backup\.rules\[0\]\.deleteAfterDays: 3 is invalid: must be at least backup\.minRetentionDays \(14\)/],
    ['retention shorter than cold storage + 90 days', withBackup({ rules: [{ preset: 'daily', deleteAfterDays: 30, coldStorageAfterDays: 7 }] }), /BackupPlan\.rules\[0\]\.deleteAfterDays: 30 is invalid: must be at least moveToColdStorageAfterDays \+ 90 \(97\)/],
    ['an invalid cron', withBackup({ rules: [{ name: 'odd', schedule: 'cron(99 * ? * * *)', deleteAfterDays: 14 }] }), /BackupPlan\.rules\[0\]\.schedule: "cron\(99 \* \? \* \* \*\)" is invalid/],
    ['vault lock min > max', withBackup({ vaultLock: { minRetentionDays: 30, maxRetentionDays: 10 } }), /BackupVault\.lock\.minRetentionDays: 30 is invalid/],
    ['compliance lock changeable < 3 days', withBackup({ vaultLock: { mode: 'compliance', minRetentionDays: 1, maxRetentionDays: 10, changeableForDays: 1 } }), /BackupVault\.lock\.changeableForDays: 1 is invalid/],
    ['a replica in the primary region', { ...dev, table: { ...dev.table, replicaRegions: ['us-east-1'] } }, /Table\.replicas\[0\]\.region: "us-east-1" is invalid: a replica must be in another region/],
    ['a copy without a DR region', withBackup({ rules: [{ preset: 'daily', deleteAfterDays: 14, copyToDr: true }] }), /backup\.rules\[0\]\.copyToDr: true is invalid: needs backup\.drRegion/],
    ['a missing required tag', { ...dev, tags: { project: 'x', environment: 'dev', owner: 'me' } }, /PlatformConfig\(dev\)\.tags\.data-classification: \(unset\) is invalid: tag "data-classification" is required/],
    ['a table name with spaces', { ...dev, table: { ...dev.table, name: 'my table' } }, /Table\.tableName: "my table" is invalid/],
    ['a suppression without a reason', { ...dev, compliance: { suppressions: [{ ruleId: 'TS-DDB-001', resource: 'x', reason: 'ok' }] } }, /compliance\.suppressions\[0\]\.reason: "ok" is invalid: a suppression needs a reason of at least 10 characters/],
  ])('%s', (_, config, message) => {
    expect(() => synthPlatform(config)).toThrow(message);
  });
});
