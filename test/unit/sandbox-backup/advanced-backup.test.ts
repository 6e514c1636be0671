/**
 * DynamoDB advanced backup (region settings `ResourceTypeManagementPreference.DynamoDB`): recovery
 * points of DynamoDB tables get AWS Backup ARNs (`arn:aws:backup:…:recovery-point:<id>`), as on AWS;
 * without it they keep DynamoDB's own backup ARNs. Both formats work wherever AWS takes them.
 */
import { ACCOUNT, backupTable, createVault, enc, harness, REGION, ROLE, seedItems, waitFor, type Harness } from './helpers';

let h: Harness;
let tableArn: string;
beforeEach(async () => {
  h = await harness();
  await createVault(h);
  await createVault(h, 'copies');
  tableArn = h.dynamo.addTable('orders', seedItems(3));
});
afterEach(async () => h.cleanup());

const BACKUP_FORMAT = new RegExp(`^arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:[0-9a-f-]{36}$`);

async function restoreInto(point: string, target: string): Promise<string> {
  const start = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: point, IamRoleArn: ROLE, Metadata: { targetTableName: target }, ResourceType: 'DynamoDB' });
  expect(start.status).toBe(200);
  const done = await waitFor(() => h.call('GET', `/restore-jobs/${start.json.RestoreJobId}`), (r) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(r.json.Status));
  return done.json.Status as string;
}

describe('DynamoDB recovery point ARNs', () => {
  test('without advanced backup: a DynamoDB backup ARN under the table', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    expect(recoveryPointArn).toMatch(new RegExp(`^${tableArn}/backup/\\d{17}-[0-9a-f]{8}$`));
  });

  test('with advanced backup on: an AWS Backup recovery point ARN, usable by every recovery point operation, restores and copies', async () => {
    await h.call('PUT', '/account-settings', { ResourceTypeManagementPreference: { DynamoDB: true } });
    const { recoveryPointArn: point } = await backupTable(h, tableArn);
    expect(point).toMatch(BACKUP_FORMAT);
    const described = await h.call('GET', `/backup-vaults/vault1/recovery-points/${enc(point)}`);
    expect(described.json).toMatchObject({ RecoveryPointArn: point, ResourceArn: tableArn, Status: 'COMPLETED' });
    const meta = await h.call('GET', `/backup-vaults/vault1/recovery-points/${enc(point)}/restore-metadata`);
    expect(meta.json).toMatchObject({ RecoveryPointArn: point, RestoreMetadata: { targetTableName: 'orders' } });
    const byResource = await h.call('GET', `/resources/${enc(tableArn)}/recovery-points`);
    expect(byResource.json.RecoveryPoints.map((p: { RecoveryPointArn: string }) => p.RecoveryPointArn)).toEqual([point]);
    expect(await restoreInto(point, 'orders-restored')).toBe('COMPLETED');
    const copy = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: point, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:copies`, IamRoleArn: ROLE });
    expect(copy.status).toBe(200);
    const copied = await waitFor(() => h.call('GET', `/copy-jobs/${copy.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob?.State));
    expect(copied.json.CopyJob).toMatchObject({ State: 'COMPLETED', SourceRecoveryPointArn: point, DestinationRecoveryPointArn: expect.stringMatching(BACKUP_FORMAT) });
  });

  test('turning advanced backup on keeps the older DynamoDB-format points usable', async () => {
    const { recoveryPointArn: before } = await backupTable(h, tableArn);
    await h.call('PUT', '/account-settings', { ResourceTypeManagementPreference: { DynamoDB: true } });
    const { recoveryPointArn: after } = await backupTable(h, tableArn);
    expect([before.includes('/backup/'), BACKUP_FORMAT.test(after)]).toEqual([true, true]);
    expect(await restoreInto(before, 'from-old-format')).toBe('COMPLETED');
    expect(await restoreInto(after, 'from-new-format')).toBe('COMPLETED');
  });
});
