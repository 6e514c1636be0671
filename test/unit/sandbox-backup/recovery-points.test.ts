import { ACCOUNT, backupTable, createVault, enc, harness, ROLE, seedItems, type Harness } from './helpers';

let h: Harness;
let tableArn: string;
let rp: string;
beforeEach(async () => {
  h = await harness();
  await createVault(h);
  tableArn = h.dynamo.addTable('orders', seedItems(3));
  rp = (await backupTable(h, tableArn)).recoveryPointArn;
});
afterEach(async () => h.cleanup());

const rpPath = (arn = rp) => `/backup-vaults/vault1/recovery-points/${enc(arn)}`;
const denyPolicy = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*', ...extra }],
  });

describe('recovery points', () => {
  test('ListRecoveryPointsByBackupVault lists the completed recovery point', async () => {
    const res = await h.call('GET', '/backup-vaults/vault1/recovery-points');
    expect(res.json.RecoveryPoints).toEqual([expect.objectContaining({ RecoveryPointArn: rp, ResourceArn: tableArn, Status: 'COMPLETED', ResourceType: 'DynamoDB' })]);
  });

  test('ListRecoveryPointsByBackupVault pages with MaxResults', async () => {
    await backupTable(h, tableArn);
    const first = await h.call('GET', '/backup-vaults/vault1/recovery-points', undefined, { maxResults: '1' });
    const second = await h.call('GET', '/backup-vaults/vault1/recovery-points', undefined, { maxResults: '1', nextToken: first.json.NextToken });
    expect([first.json.RecoveryPoints[0].RecoveryPointArn, second.json.RecoveryPoints[0].RecoveryPointArn]).toHaveLength(2);
    expect(second.json.RecoveryPoints[0].RecoveryPointArn).not.toBe(first.json.RecoveryPoints[0].RecoveryPointArn);
  });

  test('MaxResults out of range is InvalidParameterValueException', async () => {
    const res = await h.call('GET', '/backup-vaults/vault1/recovery-points', undefined, { maxResults: '0' });
    expect(res.json.Message).toMatch(/MaxResults/);
  });

  test('ListRecoveryPointsByResource finds the recovery point by table ARN', async () => {
    const res = await h.call('GET', `/resources/${enc(tableArn)}/recovery-points`);
    expect(res.json.RecoveryPoints[0]).toMatchObject({ RecoveryPointArn: rp, BackupVaultName: 'vault1' });
  });

  test('DescribeRecoveryPoint returns the source and vault', async () => {
    const res = await h.call('GET', rpPath());
    expect(res.json).toMatchObject({ RecoveryPointArn: rp, ResourceArn: tableArn, BackupVaultName: 'vault1', Status: 'COMPLETED' });
  });

  test('GetRecoveryPointRestoreMetadata returns the DynamoDB restore metadata', async () => {
    const res = await h.call('GET', `${rpPath()}/restore-metadata`);
    expect(res.json).toMatchObject({ ResourceType: 'DynamoDB', RestoreMetadata: { targetTableName: 'orders', encryptionType: 'Default' } });
  });

  test('DeleteBackupVault fails while recovery points exist', async () => {
    const res = await h.call('DELETE', '/backup-vaults/vault1');
    expect(res.json.Code).toBe('InvalidRequestException');
    expect(res.json.Message).toMatch(/contains recovery points/);
  });

  test('DeleteRecoveryPoint removes it', async () => {
    expect((await h.call('DELETE', rpPath())).status).toBe(200);
    expect((await h.call('GET', rpPath())).json.Code).toBe('ResourceNotFoundException');
  });

  test('an explicit Deny in the vault access policy is AccessDeniedException', async () => {
    await h.call('PUT', '/backup-vaults/vault1/access-policy', { Policy: denyPolicy() });
    const res = await h.call('DELETE', rpPath());
    expect(res.status).toBe(403);
    expect(res.json.Code).toBe('AccessDeniedException');
    expect(res.json.Message).toMatch(/explicit deny.*NoDelete/);
  });

  test('a Deny whose exception names the root principal does not block the root caller', async () => {
    await h.call('PUT', '/backup-vaults/vault1/access-policy', {
      Policy: denyPolicy({ Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:root`] } } }),
    });
    expect((await h.call('DELETE', rpPath())).status).toBe(200);
  });

  test('a Deny excepting only an admin role still blocks the root caller', async () => {
    await h.call('PUT', '/backup-vaults/vault1/access-policy', {
      Policy: denyPolicy({ Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/admin`] } } }),
    });
    expect((await h.call('DELETE', rpPath())).json.Code).toBe('AccessDeniedException');
  });

  test('the vault lock blocks deleting a recovery point younger than MinRetentionDays', async () => {
    await h.call('PUT', '/backup-vaults/vault1/vault-lock', { MinRetentionDays: 7 });
    const res = await h.call('DELETE', rpPath());
    expect(res.json.Code).toBe('InvalidRequestException');
    expect(res.json.Message).toMatch(/minimum retention of 7 days/);
  });

  test('UpdateRecoveryPointLifecycle stores the lifecycle and computes DeleteAt', async () => {
    const res = await h.call('POST', rpPath(), { Lifecycle: { DeleteAfterDays: 30 } });
    expect(res.json.Lifecycle).toEqual({ DeleteAfterDays: 30 });
    expect(res.json.CalculatedLifecycle.DeleteAt).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);
  });

  test('recovery point tags come from the job', async () => {
    const start = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: tableArn, IamRoleArn: ROLE, RecoveryPointTags: { k: 'v' } });
    await new Promise((r) => setTimeout(r, 40));
    const arn = start.json.RecoveryPointArn;
    expect((await h.call('GET', `/tags/${enc(arn)}`)).json.Tags).toEqual({ k: 'v' });
  });
});
