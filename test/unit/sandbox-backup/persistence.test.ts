import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backupTable, createVault, enc, harness, ROLE, seedItems, waitFor, type Harness } from './helpers';

let h: Harness;
beforeEach(async () => (h = await harness()));
afterEach(async () => h.cleanup());

describe('persistence', () => {
  test('the state file holds an acknowledged vault before the response returns', async () => {
    await createVault(h, 'durable');
    const state = JSON.parse(readFileSync(path.join(h.dir, 'backup-state.json'), 'utf8'));
    expect(Object.keys(state.vaults)).toContain('us-east-1/durable');
  });

  test('vaults, policies, locks, tags, plans and selections survive a restart', async () => {
    const arn = await createVault(h, 'v1', { BackupVaultTags: { a: 'b' } });
    await h.call('PUT', '/backup-vaults/v1/vault-lock', { MinRetentionDays: 3 });
    await h.call('PUT', '/backup-vaults/v1/access-policy', { Policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"backup:*","Resource":"*"}]}' });
    const plan = await h.call('PUT', '/backup/plans', { BackupPlan: { BackupPlanName: 'p', Rules: [{ RuleName: 'r', TargetBackupVaultName: 'v1' }] } });
    const sel = await h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: ['*'] } });
    await h.reopen();
    expect((await h.call('GET', '/backup-vaults/v1')).json).toMatchObject({ Locked: true, MinRetentionDays: 3 });
    expect((await h.call('GET', `/tags/${enc(arn)}`)).json.Tags).toEqual({ a: 'b' });
    expect((await h.call('GET', '/backup-vaults/v1/access-policy')).json.Policy).toMatch(/backup:\*/);
    expect((await h.call('GET', `/backup/plans/${plan.json.BackupPlanId}`)).json.VersionId).toBe(plan.json.VersionId);
    expect((await h.call('GET', `/backup/plans/${plan.json.BackupPlanId}/selections/${sel.json.SelectionId}`)).json.BackupSelection.SelectionName).toBe('s');
  });

  test('recovery points and their data survive a restart and still restore', async () => {
    await createVault(h);
    const tableArn = h.dynamo.addTable('orders', seedItems(4));
    const { recoveryPointArn } = await backupTable(h, tableArn);
    await h.reopen();
    const start = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: ROLE, Metadata: { targetTableName: 'after-restart' } });
    const done = await waitFor(() => h.call('GET', `/restore-jobs/${start.json.RestoreJobId}`), (r) => r.json.Status === 'COMPLETED' || r.json.Status === 'FAILED');
    expect(done.json.Status).toBe('COMPLETED');
    expect(h.dynamo.tables.get('after-restart')!.items.size).toBe(4);
  });

  test('a job that was running when the service stopped finishes after restart', async () => {
    const slow = await harness({ timeScale: 1, dir: h.dir });
    await h.svc.close();
    await createVault(slow);
    const arn = slow.dynamo.addTable('orders', seedItems(2));
    const start = await slow.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: arn, IamRoleArn: ROLE });
    await slow.svc.close();
    h = await harness({ dir: h.dir });
    h.dynamo.addTable('orders', seedItems(2));
    const done = await waitFor(() => h.call('GET', `/backup-jobs/${start.json.BackupJobId}`), (r) => r.json.State === 'COMPLETED' || r.json.State === 'FAILED');
    expect(done.json.State).toBe('COMPLETED');
  });

  test('a deleted recovery point takes its snapshot file with it', async () => {
    await createVault(h);
    const { recoveryPointArn } = await backupTable(h, h.dynamo.addTable('orders', seedItems(1)));
    const file = path.join(h.dir, 'backup-snapshots', `${recoveryPointArn.split('/').pop()}.json`);
    expect(existsSync(file)).toBe(true);
    await h.call('DELETE', `/backup-vaults/vault1/recovery-points/${enc(recoveryPointArn)}`);
    expect(existsSync(file)).toBe(false);
  });
});
