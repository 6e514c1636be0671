import { lastRunBetween, parseCron } from '../../../core/cron';
import { scaledClock, schedulePollMs } from '../../../sandbox/backup/scheduler';
import { ACCOUNT, backupTable, createVault, harness, ROLE, seedItems, waitFor, type Harness } from './helpers';

describe('cron expressions', () => {
  test('cron(0 5 ? * * *) fires at 05:00 UTC', () => {
    const fire = lastRunBetween(parseCron('cron(0 5 ? * * *)'), Date.parse('2025-01-15T04:00:00Z'), Date.parse('2025-01-15T06:00:00Z'));
    expect(new Date(fire!).toISOString()).toBe('2025-01-15T05:00:00.000Z');
  });

  test('no fire between two slots', () => {
    expect(lastRunBetween(parseCron('cron(0 5 ? * * *)'), Date.parse('2025-01-15T05:00:00Z'), Date.parse('2025-01-15T06:00:00Z'))).toBeUndefined();
  });

  test('both day fields set is rejected', () => {
    expect(() => parseCron('cron(0 5 * * * *)')).toThrow(/exactly one of day-of-month and day-of-week must be "\?"/);
  });

  test('the last day of the month fires (L)', () => {
    const fire = lastRunBetween(parseCron('cron(0 5 L * ? *)'), Date.parse('2024-02-01T00:00:00Z'), Date.parse('2024-03-15T00:00:00Z'));
    expect(new Date(fire!).toISOString()).toBe('2024-02-29T05:00:00.000Z');
  });

  test('the second Monday fires (#)', () => {
    const fire = lastRunBetween(parseCron('cron(30 2 ? * MON#2 *)'), Date.parse('2025-01-01T00:00:00Z'), Date.parse('2025-01-31T00:00:00Z'));
    expect(new Date(fire!).toISOString()).toBe('2025-01-13T02:30:00.000Z');
  });

  test('an invalid expression is TS_E_INVALID_SCHEDULE', () => {
    expect(() => parseCron('cron(0 5 * * * *)')).toThrow(expect.objectContaining({ code: 'TS_E_INVALID_SCHEDULE', field: 'schedule' }));
  });

  test('a rate expression is rejected', () => {
    expect(() => parseCron('rate(1 day)')).toThrow(/must be written as cron\(/);
  });
});

describe('scheduled plan rules', () => {
  let h: Harness;
  beforeEach(async () => (h = await harness({ schedules: true })));
  afterEach(async () => h.cleanup());

  async function planWithSelection(selection: Record<string, unknown>) {
    await createVault(h);
    const plan = await h.call('PUT', '/backup/plans', {
      BackupPlan: { BackupPlanName: 'hourly', Rules: [{ RuleName: 'r', TargetBackupVaultName: 'vault1', ScheduleExpression: 'cron(0 * ? * * *)' }] },
    });
    await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, ...selection } });
    return plan.json.BackupPlanId as string;
  }

  test('a due rule starts a backup job for each table its selection picks by tag', async () => {
    h.dynamo.addTable('tagged', seedItems(1), {}, { backup: 'yes' });
    h.dynamo.addTable('untagged', seedItems(1));
    const planId = await planWithSelection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] });
    h.now.value = new Date('2025-01-15T11:00:30Z');
    const started = await h.svc.runSchedules();
    expect(started).toHaveLength(1);
    const job = await h.call('GET', `/backup-jobs/${started[0]}`);
    expect(job.json).toMatchObject({ ResourceName: 'tagged', CreatedBy: { BackupPlanId: planId, BackupRuleName: 'r' } });
  });

  test('a rule runs once per slot', async () => {
    h.dynamo.addTable('orders', seedItems(1));
    await planWithSelection({ Resources: ['arn:aws:dynamodb:*:*:table/orders'] });
    h.now.value = new Date('2025-01-15T11:00:30Z');
    await h.svc.runSchedules();
    expect(await h.svc.runSchedules()).toEqual([]);
  });

  test('nothing runs before the first slot', async () => {
    h.dynamo.addTable('orders', seedItems(1));
    await planWithSelection({ Resources: ['*'] });
    h.now.value = new Date('2025-01-15T10:30:00Z');
    expect(await h.svc.runSchedules()).toEqual([]);
  });
});

describe('schedule time', () => {
  test('a scaled clock makes an hour of schedule time pass in a second at time scale 3600', () => {
    let real = Date.parse('2025-01-15T10:00:00Z');
    const clock = scaledClock(3600, () => real);
    real += 1000;
    expect(new Date(clock.now()).toISOString()).toBe('2025-01-15T11:00:00.000Z');
  });

  test('at time scale 1 schedule time is the wall clock', () => {
    let real = Date.parse('2025-01-15T10:00:00Z');
    const clock = scaledClock(1, () => real);
    real += 90_000;
    expect(clock.now()).toBe(real);
  });

  test('a real instant maps to the schedule time it happened at', () => {
    let real = Date.parse('2025-01-15T10:00:00Z');
    const clock = scaledClock(60, () => real);
    real += 10_000;
    expect(new Date(clock.at(Date.parse('2025-01-15T10:00:05Z'))).toISOString()).toBe('2025-01-15T10:05:00.000Z');
  });

  test('a restarted clock continues after the latest slot acted on, never before it', () => {
    const real = Date.parse('2025-01-15T10:00:00Z');
    const clock = scaledClock(3600, () => real, Date.parse('2025-01-17T05:00:00Z'));
    expect(new Date(clock.now()).toISOString()).toBe('2025-01-17T05:00:00.000Z');
  });

  test('the scheduler looks about every minute of schedule time, 50 ms to 1 s apart', () => {
    expect([schedulePollMs(1), schedulePollMs(120), schedulePollMs(3600)]).toEqual([1000, 500, 50]);
  });
});

describe('schedules that run by themselves (system clock, time scale)', () => {
  let h: Harness;
  beforeEach(async () => (h = await harness({ timeScale: 3600, runningSchedules: true })));
  afterEach(async () => h.cleanup());

  const DR = 'us-west-2';

  async function hourlyPlan(rule: Record<string, unknown> = {}) {
    await createVault(h);
    const plan = await h.call('PUT', '/backup/plans', {
      BackupPlan: { BackupPlanName: 'hourly', Rules: [{ RuleName: 'hourly', TargetBackupVaultName: 'vault1', ScheduleExpression: 'cron(0 * ? * * *)', ...rule }] },
    });
    expect(plan.status).toBe(200);
    const selection = await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`] } });
    expect(selection.status).toBe(200);
    return plan.json.BackupPlanId as string;
  }

  const points = async (vault: string, region?: string) => ((await h.call('GET', `/backup-vaults/${vault}/recovery-points`, undefined, undefined, region)).json.RecoveryPoints ?? []) as Record<string, any>[];

  test('an hourly rule backs the table up within about a second at time scale 3600, stamped with real time', async () => {
    h.dynamo.addTable('orders', seedItems(3));
    const planId = await hourlyPlan();
    const before = Date.now() / 1000;
    const done = await waitFor(() => points('vault1'), (list) => list.some((p) => p.Status === 'COMPLETED'), 5000);
    const rp = done.find((p) => p.Status === 'COMPLETED')!;
    expect(rp).toMatchObject({ CreatedBy: { BackupPlanId: planId, BackupRuleName: 'hourly' }, ResourceArn: expect.stringMatching(/table\/orders$/) });
    // Real time, not schedule time (which is hours ahead by now).
    expect(rp.CreationDate).toBeGreaterThanOrEqual(before - 1);
    expect(rp.CreationDate).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  test("a rule's copy action puts a copy in the destination vault's region, from which a restore works", async () => {
    h.dynamo.addTable('orders', seedItems(3));
    const drVault = (await h.call('PUT', '/backup-vaults/dr', {}, undefined, DR)).json.BackupVaultArn as string;
    expect(drVault).toMatch(/^arn:aws:backup:us-west-2:/);
    await hourlyPlan({ CopyActions: [{ DestinationBackupVaultArn: drVault, Lifecycle: { DeleteAfterDays: 30 } }] });
    const copies = await waitFor(() => points('dr', DR), (list) => list.some((p) => p.Status === 'COMPLETED'), 5000);
    const copy = copies.find((p) => p.Status === 'COMPLETED')!;
    expect(copy).toMatchObject({
      RecoveryPointArn: expect.stringMatching(/^arn:aws:backup:us-west-2:\d{12}:recovery-point:/),
      BackupVaultArn: drVault,
      SourceBackupVaultArn: expect.stringMatching(/^arn:aws:backup:us-east-1:.*:backup-vault:vault1$/),
      ResourceArn: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:.*table\/orders$/),
      Lifecycle: { DeleteAfterDays: 30 },
    });
    expect(await points('dr')).toEqual([]);
    const restore = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: copy.RecoveryPointArn, IamRoleArn: ROLE, Metadata: { targetTableName: 'orders-dr-restore' } }, undefined, DR);
    expect(restore.status).toBe(200);
    const job = await waitFor(() => h.call('GET', `/restore-jobs/${restore.json.RestoreJobId}`, undefined, undefined, DR), (r) => ['COMPLETED', 'FAILED'].includes(r.json.Status), 5000);
    expect(job.json).toMatchObject({ Status: 'COMPLETED', CreatedResourceArn: expect.stringMatching(/^arn:aws:dynamodb:us-west-2:.*table\/orders-dr-restore$/) });
    expect(h.dynamo.tables.get('orders-dr-restore')?.items.size).toBe(3);
    expect(h.dynamo.calls.find((c) => c.operation === 'CreateTable')?.region).toBe(DR);
  });

  test('StartCopyJob copies an on-demand recovery point into the DR region', async () => {
    const tableArn = h.dynamo.addTable('orders', seedItems(2));
    await createVault(h);
    const drVault = (await h.call('PUT', '/backup-vaults/dr', {}, undefined, DR)).json.BackupVaultArn as string;
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: drVault, IamRoleArn: ROLE });
    const done = await waitFor(() => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob.State), 5000);
    expect(done.json.CopyJob).toMatchObject({ State: 'COMPLETED', DestinationRecoveryPointArn: expect.stringMatching(/^arn:aws:backup:us-west-2:/) });
    expect((await points('dr', DR)).map((p) => p.RecoveryPointArn)).toEqual([done.json.CopyJob.DestinationRecoveryPointArn]);
  });
});
