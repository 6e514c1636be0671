import { lastRunBetween, parseCron } from '../../../core/cron';
import { createVault, harness, ROLE, seedItems, type Harness } from './helpers';

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
