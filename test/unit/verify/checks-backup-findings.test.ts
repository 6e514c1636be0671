/** What the AWS Backup checks tell auditors: id, title, verdict, message naming values, evidence. */
import type { LiveState, Read } from '../../../compliance/facts/live-state';
import type { Contract } from '../../../core/contract';
import { backupChecks, rpoCheckAfterDrill } from '../../../verify/checks/backup';
import { contract, KEY_ARN, outputs, TABLE_ARN, VAULT, VAULT_ARN } from './fixtures';

const NOW = new Date('2026-11-23T12:00:00Z');
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const ERR = 'AccessDeniedException: denied';
const bad: Read<never> = { ok: false, error: ERR };
const DR_VAULT_ARN = 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr';
const DR_KEY = 'arn:aws:kms:us-west-2:123456789012:key/dr';
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000);

const LOCK = { mode: 'governance' as const, minRetentionDays: 7, maxRetentionDays: 90 };
const rule = { name: 'daily', schedule: 'cron(0 5 ? * * *)', intervalMinutes: 1440, startWindowMinutes: 60, completionWindowMinutes: 180, deleteAfterDays: 35, coldStorageAfterDays: 10, continuousBackup: true, copyToRegion: 'us-west-2' };
const drContract = (extra: Partial<Contract['backup']> = {}) =>
  contract({ backup: { ...contract().backup, lock: LOCK, rules: [rule], drCopy: { region: 'us-west-2', vaultName: 'dr' }, ...extra } });

const liveRule = {
  RuleName: 'daily', TargetBackupVaultName: VAULT, ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 60, CompletionWindowMinutes: 180,
  Lifecycle: { DeleteAfterDays: 35, MoveToColdStorageAfterDays: 10 }, EnableContinuousBackup: true, CopyActions: [{ DestinationBackupVaultArn: DR_VAULT_ARN }],
};
const DENY = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });

function live(over: Partial<LiveState> = {}): LiveState {
  return {
    readAt: NOW,
    tags: ok({ project: 'tablesafe' }),
    vault: ok({ BackupVaultName: VAULT, BackupVaultArn: VAULT_ARN, EncryptionKeyArn: KEY_ARN, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 90 }),
    vaultPolicy: ok(DENY),
    drVault: ok({ BackupVaultName: 'dr', BackupVaultArn: DR_VAULT_ARN, EncryptionKeyArn: DR_KEY, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 90 }),
    drVaultPolicy: ok(DENY),
    plan: ok({ BackupPlanArn: 'arn:plan', BackupPlan: { BackupPlanName: 'tablesafe-demo-plan', Rules: [liveRule] } }),
    selection: ok({ BackupSelection: { SelectionName: 'sel', IamRoleArn: 'arn:role', Resources: [TABLE_ARN] } }),
    regionSettings: ok({ optIn: true, advancedFeatures: true }),
    recoveryPoints: ok([{ RecoveryPointArn: 'arn:rp', Status: 'COMPLETED', CreationDate: ago(60) }]),
    recentBackupJobs: ok([{ BackupJobId: 'j1', State: 'COMPLETED' }]),
    drRecoveryPoints: ok([{ RecoveryPointArn: 'arn:copy', Status: 'COMPLETED', CreationDate: ago(100) }]),
    ...over,
  } as unknown as LiveState;
}
const OUT = () => outputs({ drVaultName: 'dr', drVaultArn: DR_VAULT_ARN, drKeyArn: DR_KEY });
const run = (l: LiveState, c = drContract(), o = OUT()) => backupChecks(c, o, l);
const find = (id: string, l: LiveState, c = drContract(), o = OUT()) => run(l, c, o).find((x) => x.id === id)!;

const PLAN_TITLE = 'Backup plan rules equal the contract';
const SEL_TITLE = 'Backup selection covers the table';
const RPO_TITLE = 'Latest COMPLETED recovery point is younger than the RPO (1440 min)';
const JOBS_TITLE = 'No FAILED or EXPIRED backup jobs for the table in the last 1440 min';
const DR_TITLE = 'DR copy present in the DR vault';
const REGION_TITLE = 'DynamoDB is opted into AWS Backup with advanced features';

describe('backup checks on a platform that matches a locked, DR-copying contract', () => {
  it('passes every check with the messages and evidence auditors read', () => {
    expect(run(live())).toEqual([
      { id: 'BACKUP-VAULT', title: 'Vault exists, encrypted with the CMK, lock as declared', category: 'contract', status: 'pass',
        message: `vault ${VAULT} in us-east-1 encrypted with the contract key, locked (governance)`, evidence: [`vault ${VAULT_ARN}`, `key ${KEY_ARN}`] },
      { id: 'BACKUP-VAULT-POLICY', title: 'Vault access policy denies deletion of recovery points', category: 'contract', status: 'pass',
        message: 'access policy denies backup:DeleteRecoveryPoint', evidence: [`vault ${VAULT_ARN}`] },
      { id: 'BACKUP-DR-VAULT', title: 'DR vault exists in the DR region, encrypted with the DR key, lock as declared', category: 'contract', status: 'pass',
        message: 'vault dr in us-west-2 encrypted with the contract key, locked (governance)', evidence: [`vault ${DR_VAULT_ARN}`, `key ${DR_KEY}`] },
      { id: 'BACKUP-DR-VAULT-POLICY', title: 'DR vault access policy denies deletion of recovery points', category: 'contract', status: 'pass',
        message: 'access policy denies backup:DeleteRecoveryPoint', evidence: [`vault ${DR_VAULT_ARN}`] },
      { id: 'BACKUP-PLAN', title: PLAN_TITLE, category: 'contract', status: 'pass', message: '1 rule(s) equal the contract', evidence: ['plan arn:plan'] },
      { id: 'BACKUP-SELECTION', title: SEL_TITLE, category: 'contract', status: 'pass', message: `selection sel covers ${TABLE_ARN}`, evidence: ['selection sel-1', `resource ${TABLE_ARN}`] },
      { id: 'BACKUP-REGION-SETTINGS', title: REGION_TITLE, category: 'contract', status: 'pass', message: 'DynamoDB opted in, advanced backup features on', evidence: ['region us-east-1'] },
      { id: 'BACKUP-RPO', title: RPO_TITLE, category: 'contract', status: 'pass', message: 'latest recovery point is 60 min old (RPO 1440 min)',
        evidence: ['recovery point arn:rp', `created ${ago(60).toISOString()}`, 'age 60 min'],
        measurement: { quantity: 'rpo', value: 60, unit: 'minutes', target: 1440, subject: 'arn:rp', createdAt: ago(60).toISOString() } },
      { id: 'BACKUP-JOBS', title: JOBS_TITLE, category: 'contract', status: 'pass', message: '1 job(s) in the window, none FAILED or EXPIRED', evidence: [] },
      { id: 'BACKUP-DR-COPY', title: DR_TITLE, category: 'contract', status: 'pass',
        message: `latest DR copy arn:copy from ${ago(100).toISOString()}, 100 min old (at most 1680 min)`, evidence: ['recovery point arn:copy', 'age 100 min'] },
    ]);
  });

  it('reports a read failure per check, naming what could not be read, as an error of verify', () => {
    const l = live({ vault: bad, vaultPolicy: bad, drVault: bad, drVaultPolicy: bad, plan: bad, selection: bad, regionSettings: bad, recoveryPoints: bad, recentBackupJobs: bad, drRecoveryPoints: bad });
    const byId = Object.fromEntries(run(l).map((c) => [c.id, c]));
    const failure = (what: string) => ({ status: 'fail', error: true, message: `could not read ${what}: ${ERR}`, evidence: [ERR] });
    expect(byId['BACKUP-VAULT']).toMatchObject(failure(`vault ${VAULT} in us-east-1`));
    expect(byId['BACKUP-VAULT-POLICY']).toMatchObject({ ...failure('vault access policy'), title: 'Vault access policy denies deletion of recovery points' });
    expect(byId['BACKUP-DR-VAULT']).toMatchObject(failure('DR vault dr in us-west-2'));
    expect(byId['BACKUP-DR-VAULT-POLICY']).toMatchObject(failure('DR vault access policy'));
    expect(byId['BACKUP-PLAN']).toMatchObject({ ...failure('plan plan-1'), title: PLAN_TITLE });
    expect(byId['BACKUP-SELECTION']).toMatchObject({ ...failure('selection sel-1'), title: SEL_TITLE });
    expect(byId['BACKUP-REGION-SETTINGS']).toMatchObject({ ...failure('backup region settings'), title: REGION_TITLE });
    expect(byId['BACKUP-RPO']).toMatchObject({ ...failure('recovery points'), title: RPO_TITLE });
    expect(byId['BACKUP-JOBS']).toMatchObject({ ...failure('backup jobs'), title: JOBS_TITLE });
    expect(byId['BACKUP-DR-COPY']).toMatchObject({ ...failure('DR vault dr'), title: DR_TITLE });
  });
});

describe('BACKUP-VAULT', () => {
  it('lists every lock difference of a vault that is not locked as declared', () => {
    const l = live({ vault: ok({ BackupVaultName: VAULT, BackupVaultArn: VAULT_ARN, EncryptionKeyArn: KEY_ARN, MinRetentionDays: 1, MaxRetentionDays: 2 }) as any });
    expect(find('BACKUP-VAULT', l)).toMatchObject({
      status: 'fail',
      message: 'vault.locked: expected true, actual false; vault.lock.minRetentionDays: expected 7, actual 1; vault.lock.maxRetentionDays: expected 90, actual 2',
      evidence: [`vault ${VAULT_ARN}`, `key ${KEY_ARN}`],
    });
  });

  it('passes an unlocked vault when the contract declares no lock, and does not judge the key when no key output is known', () => {
    const c = contract();
    const l = live({ vault: ok({ BackupVaultName: VAULT, BackupVaultArn: VAULT_ARN, EncryptionKeyArn: 'arn:other', Locked: false, MinRetentionDays: 1 }) as any });
    expect(find('BACKUP-VAULT', l, c, outputs({ keyArn: undefined }))).toMatchObject({ status: 'pass', message: `vault ${VAULT} in us-east-1 encrypted with the contract key` });
  });

  it('names the contract vault when the outputs do not', () => {
    expect(find('BACKUP-VAULT', live({ vault: bad }), drContract(), outputs({ vaultName: undefined })).message).toBe(`could not read vault ${VAULT} in us-east-1: ${ERR}`);
  });
});

describe('BACKUP-VAULT-POLICY', () => {
  const policy = (p: string | undefined, c = drContract()) => find('BACKUP-VAULT-POLICY', live({ vaultPolicy: ok(p) }), c);
  const stmt = (Effect: string, Action: unknown) => JSON.stringify({ Statement: [{ Effect, Principal: '*', Action, Resource: '*' }] });

  it('is skipped, saying why, when the contract does not require a deny-deletion policy', () => {
    expect(policy(undefined, drContract({ denyManualDeletion: false }))).toEqual({
      id: 'BACKUP-VAULT-POLICY', title: 'Vault access policy denies deletion of recovery points', category: 'contract', status: 'skip',
      message: 'the contract does not require a deny-deletion policy', evidence: [],
    });
  });

  it('accepts a wildcard or differently cased Deny of the action', () => {
    expect(policy(stmt('Deny', 'backup:*')).status).toBe('pass');
    expect(policy(stmt('Deny', 'BACKUP:DeleteRecoveryPoint')).status).toBe('pass');
  });

  it('finds the Deny among other statements and actions', () => {
    const doc = JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'backup:StartBackupJob', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: ['backup:StartRestoreJob', 'backup:DeleteRecoveryPoint'], Resource: '*' },
    ] });
    expect(policy(doc)).toMatchObject({ status: 'pass', message: 'access policy denies backup:DeleteRecoveryPoint' });
  });

  it('fails an Allow of the action, a Deny of other actions, and an unparsable policy, naming the missing statement', () => {
    const miss = { status: 'fail', message: 'vault.accessPolicy: expected Deny backup:DeleteRecoveryPoint, actual no such Deny statement', evidence: [`vault ${VAULT_ARN}`] };
    expect(policy(stmt('Allow', 'backup:DeleteRecoveryPoint'))).toMatchObject(miss);
    expect(policy(stmt('Deny', ['backup:DeleteBackupVault']))).toMatchObject(miss);
    expect(policy('not json')).toMatchObject(miss);
    expect(policy('')).toMatchObject(miss);
  });

  it('names a DR vault without an access policy, and its vault by name when no ARN is output', () => {
    const r = find('BACKUP-DR-VAULT-POLICY', live({ drVaultPolicy: ok(undefined) }), drContract(), outputs({ drVaultName: 'dr-out' }));
    expect(r).toMatchObject({ status: 'fail', message: 'drVault.accessPolicy: expected Deny backup:DeleteRecoveryPoint, actual no access policy', evidence: ['vault dr-out'] });
    expect(find('BACKUP-DR-VAULT-POLICY', live(), drContract(), outputs()).evidence).toEqual(['vault dr']);
    expect(find('BACKUP-VAULT-POLICY', live(), drContract(), outputs({ vaultArn: undefined })).evidence).toEqual([`vault ${VAULT}`]);
  });

  it('names the DR vault from the outputs before the contract', () => {
    expect(find('BACKUP-DR-VAULT', live({ drVault: bad }), drContract(), outputs({ drVaultName: 'dr-out' })).message).toBe(`could not read DR vault dr-out in us-west-2: ${ERR}`);
  });
});

describe('BACKUP-PLAN', () => {
  it('names every rule field that differs from the contract', () => {
    const l = live({ plan: ok({ BackupPlan: { BackupPlanName: 'other', Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'v2', ScheduleExpression: 'cron(1)', StartWindowMinutes: 1, CompletionWindowMinutes: 2, Lifecycle: { DeleteAfterDays: 3, MoveToColdStorageAfterDays: 4 }, CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:1:backup-vault:x' }] }] } }) as any });
    expect(find('BACKUP-PLAN', l)).toMatchObject({
      status: 'fail',
      message: [
        'plan.name: expected tablesafe-demo-plan, actual other',
        'plan.rules.daily.schedule: expected cron(0 5 ? * * *), actual cron(1)',
        `plan.rules.daily.targetVault: expected ${VAULT}, actual v2`,
        'plan.rules.daily.startWindowMinutes: expected 60, actual 1',
        'plan.rules.daily.completionWindowMinutes: expected 180, actual 2',
        'plan.rules.daily.deleteAfterDays: expected 35, actual 3',
        'plan.rules.daily.coldStorageAfterDays: expected 10, actual 4',
        'plan.rules.daily.continuousBackup: expected true, actual false',
        'plan.rules.daily.copyToRegion: expected us-west-2, actual eu-west-1',
      ].join('; '),
      evidence: ['plan plan-1'],
    });
  });

  it('reports missing and extra rules by name, without judging fields of a rule AWS lacks or with no lifecycle or copy', () => {
    const c = contract({ backup: { ...contract().backup, vaultName: 'contract-vault', rules: [{ ...rule, name: 'b-rule', copyToRegion: undefined, coldStorageAfterDays: undefined, deleteAfterDays: undefined, continuousBackup: false }, { ...rule, name: 'a-rule' }] } });
    const l = live({ plan: ok({ BackupPlan: { BackupPlanName: 'tablesafe-demo-plan', Rules: [{ RuleName: 'b-rule', TargetBackupVaultName: 'contract-vault', ScheduleExpression: rule.schedule, StartWindowMinutes: 60, CompletionWindowMinutes: 180 }, { TargetBackupVaultName: 'x' }] } }) as any });
    expect(find('BACKUP-PLAN', l, c, outputs({ vaultName: undefined })).message).toBe('plan.rules[].name: expected ["a-rule","b-rule"], actual ["","b-rule"]');
  });

  it('reports a copy action without a destination as no copy region', () => {
    const withCopies = (CopyActions: unknown[]) => live({ plan: ok({ BackupPlanArn: 'arn:plan', BackupPlan: { BackupPlanName: 'tablesafe-demo-plan', Rules: [{ ...liveRule, CopyActions }] } }) as any });
    const missing = { status: 'fail', message: 'plan.rules.daily.copyToRegion: expected us-west-2, actual (none)', evidence: ['plan arn:plan'] };
    expect(find('BACKUP-PLAN', withCopies([]))).toMatchObject(missing);
    expect(find('BACKUP-PLAN', withCopies([{}]))).toMatchObject(missing);
  });

  it('reports a plan that has no rules', () => {
    expect(find('BACKUP-PLAN', live({ plan: ok({}) as any })).message).toBe('plan.name: expected tablesafe-demo-plan, actual (none); plan.rules[].name: expected ["daily"], actual []');
  });
});

describe('BACKUP-SELECTION', () => {
  const sel = (BackupSelection: unknown, tags: Read<Record<string, string>> = ok({ project: 'tablesafe' }), o = OUT()) => find('BACKUP-SELECTION', live({ selection: ok({ BackupSelection }) as any, tags }), drContract(), o);

  it('passes a table selected by a wildcard ARN, listing the selection resources', () => {
    expect(sel({ SelectionName: 's', Resources: ['arn:aws:dynamodb:*:*:table/*'] })).toMatchObject({ status: 'pass', evidence: ['selection sel-1', 'resource arn:aws:dynamodb:*:*:table/*'] });
  });

  it('passes a table selected by an equal tag, and fails other conditions or values', () => {
    const tag = (ConditionType: string, ConditionKey: string | undefined, ConditionValue: string) => ({ SelectionName: 's', ListOfTags: [{ ConditionType, ConditionKey, ConditionValue }] });
    expect(sel(tag('STRINGEQUALS', 'project', 'tablesafe'))).toMatchObject({ status: 'pass', message: `selection s covers ${TABLE_ARN}`, evidence: ['selection sel-1'] });
    const none = { status: 'fail', message: `selection.resources: expected covers ${TABLE_ARN}, actual (none)` };
    expect(sel(tag('STRINGEQUALS', 'project', 'other'))).toMatchObject(none);
    expect(sel(tag('STRINGLIKE', 'project', 'tablesafe'))).toMatchObject(none);
    expect(sel(tag('STRINGEQUALS', undefined, 'x'), ok({ undefined: 'x' } as any))).toMatchObject(none);
    expect(sel(tag('STRINGEQUALS', 'project', 'tablesafe'), bad)).toMatchObject(none);
  });

  it('fails a table excluded by NotResources even when selected', () => {
    expect(sel({ SelectionName: 's', Resources: [TABLE_ARN], NotResources: [TABLE_ARN] })).toMatchObject({ status: 'fail', message: `selection.resources: expected covers ${TABLE_ARN}, actual excluded by NotResources` });
  });

  it('lists the resources that do select when the table is not among them', () => {
    expect(sel({ SelectionName: 's', Resources: ['arn:a', 'arn:b'], NotResources: ['arn:c'] })).toMatchObject({ status: 'fail', message: `selection.resources: expected covers ${TABLE_ARN}, actual arn:a, arn:b`, evidence: ['selection sel-1', 'resource arn:a', 'resource arn:b'] });
  });

  it('judges nothing as covering when the table ARN is unknown', () => {
    expect(sel({ SelectionName: 's', Resources: ['Stryker was here!'] }, undefined, outputs({ tableArn: undefined }))).toMatchObject({ status: 'fail', message: 'selection.resources: expected covers , actual Stryker was here!' });
  });
});

describe('BACKUP-REGION-SETTINGS', () => {
  it('names both switched-off preferences when AWS reports neither', () => {
    expect(find('BACKUP-REGION-SETTINGS', live({ regionSettings: ok({}) }))).toMatchObject({
      status: 'fail',
      message: 'regionSettings.resourceTypeOptInPreference.DynamoDB: expected true, actual false; regionSettings.resourceTypeManagementPreference.DynamoDB: expected true, actual false',
      evidence: ['region us-east-1'],
    });
  });
});

describe('BACKUP-RPO and BACKUP-JOBS', () => {
  it('fails an old point with its evidence and measurement, and a vault without a dated COMPLETED point', () => {
    const r = find('BACKUP-RPO', live({ recoveryPoints: ok([{ RecoveryPointArn: 'arn:old', Status: 'COMPLETED', CreationDate: ago(1441) }]) as any }));
    expect(r).toMatchObject({ status: 'fail', message: 'recoveryPoint.ageMinutes: expected <= 1440, actual 1441', evidence: ['recovery point arn:old', `created ${ago(1441).toISOString()}`, 'age 1441 min'], measurement: { value: 1441, target: 1440 } });
    expect(find('BACKUP-RPO', live({ recoveryPoints: ok([{ RecoveryPointArn: 'arn:x', Status: 'COMPLETED', CreationDate: ago(1440) }]) as any })).status).toBe('pass');
    expect(find('BACKUP-RPO', live({ recoveryPoints: ok([{ RecoveryPointArn: 'arn:x', Status: 'COMPLETED' }]) as any }))).toMatchObject({ status: 'fail', message: 'recoveryPoint.latestCompleted: expected a COMPLETED recovery point, actual none in the vault', evidence: [] });
  });

  it('fails FAILED, EXPIRED and ABORTED jobs, naming each with its time and AWS message', () => {
    const jobs = [
      { BackupJobId: 'j1', State: 'FAILED', CreationDate: ago(5), StatusMessage: 'KMS key disabled' },
      { BackupJobId: 'j2', State: 'EXPIRED' },
      { BackupJobId: 'j3', State: 'ABORTED', StatusMessage: 'cancelled' },
      { BackupJobId: 'j4', State: 'COMPLETED' },
    ];
    expect(find('BACKUP-JOBS', live({ recentBackupJobs: ok(jobs) as any }))).toMatchObject({
      status: 'fail',
      message: 'backupJobs.failedOrExpired: expected 0, actual 3 (j1 FAILED, j2 EXPIRED, j3 ABORTED)',
      evidence: [`job j1 FAILED ${ago(5).toISOString()} KMS key disabled`, 'job j2 EXPIRED', 'job j3 ABORTED  cancelled'],
    });
  });
});

describe('BACKUP-DR-COPY', () => {
  it('is not judged without a DR copy read', () => {
    expect(run(live({ drRecoveryPoints: undefined })).some((c) => c.id === 'BACKUP-DR-COPY')).toBe(false);
    expect(run(live(), contract()).some((c) => c.id.startsWith('BACKUP-DR'))).toBe(false);
  });

  it('states no age limit when no rule copies to the DR region, and no age for an undated copy', () => {
    const c = drContract({ rules: [{ ...rule, copyToRegion: undefined }] });
    expect(find('BACKUP-DR-COPY', live({ drRecoveryPoints: ok([{ RecoveryPointArn: 'arn:copy', Status: 'COMPLETED', CreationDate: ago(5000) }]) as any }), c))
      .toMatchObject({ status: 'pass', message: `latest DR copy arn:copy from ${ago(5000).toISOString()}, 5000 min old`, evidence: ['recovery point arn:copy', 'age 5000 min'] });
    expect(find('BACKUP-DR-COPY', live({ drRecoveryPoints: ok([{ RecoveryPointArn: 'arn:copy', Status: 'COMPLETED' }]) as any })))
      .toMatchObject({ status: 'pass', message: 'latest DR copy arn:copy from undefined', evidence: ['recovery point arn:copy'] });
  });

  it('fails an empty DR vault with no evidence', () => {
    expect(find('BACKUP-DR-COPY', live({ drRecoveryPoints: ok([]) }))).toMatchObject({ status: 'fail', message: 'drCopy.recoveryPoint: expected a COMPLETED recovery point in dr (us-west-2), actual none', evidence: [] });
  });
});

describe('rpoCheckAfterDrill', () => {
  const l = live();
  it('leaves the live verdict when the drill reports no usable point', () => {
    expect(rpoCheckAfterDrill(contract(), l, { recoveryPointArn: 'arn:n', recoveryPointCreatedAt: 'not a date', rpoMeasuredMinutes: 1 })).toBeUndefined();
    expect(rpoCheckAfterDrill(contract(), l, { recoveryPointArn: 'arn:n', rpoMeasuredMinutes: 1 })).toBeUndefined();
    expect(rpoCheckAfterDrill(contract(), l, { recoveryPointCreatedAt: NOW.toISOString(), rpoMeasuredMinutes: 1 })).toBeUndefined();
    expect(rpoCheckAfterDrill(contract(), l, { recoveryPointArn: 'arn:n', recoveryPointCreatedAt: NOW.toISOString() })).toBeUndefined();
  });

  it('leaves a live read failure standing', () => {
    expect(rpoCheckAfterDrill(contract(), live({ recoveryPoints: bad }), { recoveryPointArn: 'arn:n', recoveryPointCreatedAt: NOW.toISOString(), rpoMeasuredMinutes: 1 })).toBeUndefined();
  });

  it('judges the drill point when the live checks saw no dated point', () => {
    const none = live({ recoveryPoints: ok([]) });
    expect(rpoCheckAfterDrill(contract(), none, { recoveryPointArn: 'arn:n', recoveryPointCreatedAt: NOW.toISOString(), rpoMeasuredMinutes: 2 })).toMatchObject({ status: 'pass', message: 'latest recovery point is 2 min old (RPO 1440 min)' });
  });
});
