import { createVault, enc, harness, ROLE, type Harness } from './helpers';

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await createVault(h);
});
afterEach(async () => h.cleanup());

const rule = (extra: Record<string, unknown> = {}) => ({
  RuleName: 'daily',
  TargetBackupVaultName: 'vault1',
  ScheduleExpression: 'cron(0 5 ? * * *)',
  ScheduleExpressionTimezone: 'Etc/UTC',
  StartWindowMinutes: 60,
  CompletionWindowMinutes: 180,
  ...extra,
});

async function createPlan(rules = [rule()], tags?: Record<string, string>) {
  return h.call('PUT', '/backup/plans', { BackupPlan: { BackupPlanName: 'plan1', Rules: rules }, ...(tags ? { BackupPlanTags: tags } : {}) });
}

describe('backup plans', () => {
  test('CreateBackupPlan returns id, ARN and VersionId; GetBackupPlan echoes the rules with a RuleId', async () => {
    const created = await createPlan([rule({ Lifecycle: { DeleteAfterDays: 35 }, CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr' }] })]);
    expect(created.json.VersionId).toMatch(/^[\w-]{32}$/);
    const got = await h.call('GET', `/backup/plans/${created.json.BackupPlanId}`);
    expect(got.json.BackupPlan.Rules[0]).toMatchObject({ ...rule(), Lifecycle: { DeleteAfterDays: 35 }, RuleId: expect.any(String) });
    expect(got.json.BackupPlan.Rules[0].CopyActions[0].DestinationBackupVaultArn).toMatch(/backup-vault:dr$/);
  });

  test('plan tags are listed exactly as given', async () => {
    const created = await createPlan([rule()], { team: 'data' });
    expect((await h.call('GET', `/tags/${enc(created.json.BackupPlanArn)}`)).json.Tags).toEqual({ team: 'data' });
  });

  test('UpdateBackupPlan creates a new version and keeps the rule id of a rule with the same name', async () => {
    const created = await createPlan();
    const before = await h.call('GET', `/backup/plans/${created.json.BackupPlanId}`);
    const updated = await h.call('POST', `/backup/plans/${created.json.BackupPlanId}`, {
      BackupPlan: { BackupPlanName: 'plan1', Rules: [rule({ ScheduleExpression: 'cron(0 6 ? * * *)' })] },
    });
    expect(updated.json.VersionId).not.toBe(created.json.VersionId);
    const after = await h.call('GET', `/backup/plans/${created.json.BackupPlanId}`);
    expect(after.json.BackupPlan.Rules[0].RuleId).toBe(before.json.BackupPlan.Rules[0].RuleId);
    expect(after.json.BackupPlan.Rules[0].ScheduleExpression).toBe('cron(0 6 ? * * *)');
  });

  test('DeleteAfterDays less than 90 days after cold storage is InvalidParameterValueException', async () => {
    const res = await createPlan([rule({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } })]);
    expect(res.json.Code).toBe('InvalidParameterValueException');
    expect(res.json.Message).toMatch(/Rules\[0\]\.Lifecycle.*at least 90 days more/);
  });

  test('a malformed cron expression is InvalidParameterValueException naming the field', async () => {
    const res = await createPlan([rule({ ScheduleExpression: 'cron(0 25 * * ? *)' })]);
    expect(res.json.Message).toMatch(/ScheduleExpression.*hours value "25" is outside 0-23/);
  });

  test('a schedule more frequent than hourly is InvalidParameterValueException', async () => {
    const res = await createPlan([rule({ ScheduleExpression: 'cron(*/15 * ? * * *)' })]);
    expect(res.json.Code).toBe('InvalidParameterValueException');
    expect(res.json.Message).toMatch(/ScheduleExpression.*at most once an hour/);
  });

  test('a plan without rules is MissingParameterValueException', async () => {
    const res = await h.call('PUT', '/backup/plans', { BackupPlan: { BackupPlanName: 'p', Rules: [] } });
    expect(res.json.Code).toBe('MissingParameterValueException');
    expect(res.json.Message).toMatch(/BackupPlan\.Rules/);
  });

  test('DeleteBackupPlan fails while selections exist', async () => {
    const plan = await createPlan();
    await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: ['*'] } });
    const res = await h.call('DELETE', `/backup/plans/${plan.json.BackupPlanId}`);
    expect(res.json.Code).toBe('InvalidRequestException');
    expect(res.json.Message).toMatch(/Related backup plan selections must be deleted/);
  });

  test('a deleted plan reads as ResourceNotFoundException', async () => {
    const plan = await createPlan();
    const del = await h.call('DELETE', `/backup/plans/${plan.json.BackupPlanId}`);
    expect(del.json.DeletionDate).toEqual(expect.any(Number));
    expect((await h.call('GET', `/backup/plans/${plan.json.BackupPlanId}`)).json.Code).toBe('ResourceNotFoundException');
  });

  test('ListBackupPlans lists live plans', async () => {
    const plan = await createPlan();
    const res = await h.call('GET', '/backup/plans');
    expect(res.json.BackupPlansList.map((p: any) => p.BackupPlanId)).toEqual([plan.json.BackupPlanId]);
  });
});

describe('backup selections', () => {
  test('a selection reads back exactly as created', async () => {
    const plan = await createPlan();
    const selection = {
      SelectionName: 'tables',
      IamRoleArn: ROLE,
      Resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
      NotResources: ['arn:aws:dynamodb:us-east-1:123456789012:table/tmp'],
      ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] },
    };
    const created = await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: selection });
    const got = await h.call('GET', `/backup/plans/${plan.json.BackupPlanId}/selections/${created.json.SelectionId}`);
    expect(got.json.BackupSelection).toEqual(selection);
  });

  test('ListBackupSelections and DeleteBackupSelection', async () => {
    const plan = await createPlan();
    const base = `/backup/plans/${plan.json.BackupPlanId}/selections`;
    const created = await h.call('PUT', base, { BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: ['*'] } });
    expect((await h.call('GET', base)).json.BackupSelectionsList).toHaveLength(1);
    await h.call('DELETE', `${base}/${created.json.SelectionId}`);
    expect((await h.call('GET', `${base}/${created.json.SelectionId}`)).json.Code).toBe('ResourceNotFoundException');
  });

  test('a selection without IamRoleArn is MissingParameterValueException', async () => {
    const plan = await createPlan();
    const res = await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', Resources: ['*'] } });
    expect(res.json.Message).toMatch(/BackupSelection\.IamRoleArn/);
  });

  test('GetBackupSelection of an unknown plan is InvalidParameterValueException "Cannot find Backup plan"', async () => {
    const res = await h.call('GET', '/backup/plans/nope/selections/x');
    expect(res.json.Message).toMatch(/Cannot find Backup plan/);
  });
});

describe('region settings', () => {
  test('UpdateRegionSettings turns on DynamoDB advanced backup and DescribeRegionSettings shows it', async () => {
    await h.call('PUT', '/account-settings', { ResourceTypeOptInPreference: { DynamoDB: true }, ResourceTypeManagementPreference: { DynamoDB: true } });
    const res = await h.call('GET', '/account-settings');
    expect(res.json.ResourceTypeManagementPreference).toEqual({ DynamoDB: true, EFS: true });
    expect(res.json.ResourceTypeOptInPreference.DynamoDB).toBe(true);
  });

  test('an unknown resource type is rejected', async () => {
    const res = await h.call('PUT', '/account-settings', { ResourceTypeManagementPreference: { RDS: true } });
    expect(res.json.Message).toMatch(/ResourceTypeManagementPreference: "RDS"/);
  });
});
