import { ACCOUNT, createVault, enc, harness, type Harness } from './helpers';

let h: Harness;
beforeEach(async () => (h = await harness()));
afterEach(async () => h.cleanup());

describe('backup vaults', () => {
  test('CreateBackupVault returns the vault ARN and DescribeBackupVault reads it back', async () => {
    const arn = await createVault(h, 'main-vault', { EncryptionKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1` });
    expect(arn).toBe(`arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:main-vault`);
    const res = await h.call('GET', '/backup-vaults/main-vault');
    expect(res.json).toMatchObject({ BackupVaultName: 'main-vault', EncryptionKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`, NumberOfRecoveryPoints: 0, Locked: false });
    expect(typeof res.json.CreationDate).toBe('number');
  });

  test('a second vault with the same name is AlreadyExistsException', async () => {
    await createVault(h, 'dup');
    const res = await h.call('PUT', '/backup-vaults/dup', {});
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('AlreadyExistsException');
  });

  test('an invalid vault name is rejected naming the field', async () => {
    const res = await h.call('PUT', '/backup-vaults/bad%20name!', {});
    expect(res.json.__type).toBe('InvalidParameterValueException');
    expect(res.json.Message).toMatch(/BackupVaultName/);
  });

  test('DescribeBackupVault of an unknown vault is ResourceNotFoundException', async () => {
    const res = await h.call('GET', '/backup-vaults/nope');
    expect(res.json.Code).toBe('ResourceNotFoundException');
  });

  test('ListBackupVaults pages with MaxResults and NextToken', async () => {
    for (const n of ['v1', 'v2', 'v3']) await createVault(h, n);
    const first = await h.call('GET', '/backup-vaults', undefined, { maxResults: '2' });
    expect(first.json.BackupVaultList).toHaveLength(2);
    const second = await h.call('GET', '/backup-vaults', undefined, { maxResults: '2', nextToken: first.json.NextToken });
    expect(second.json.BackupVaultList.map((v: any) => v.BackupVaultName)).toEqual(['v3']);
    expect(second.json.NextToken).toBeUndefined();
  });

  test('DeleteBackupVault removes the vault', async () => {
    await createVault(h, 'gone');
    expect((await h.call('DELETE', '/backup-vaults/gone')).status).toBe(200);
    expect((await h.call('GET', '/backup-vaults/gone')).json.Code).toBe('ResourceNotFoundException');
  });

  test('tags given at create are listed exactly, with no Name tag added', async () => {
    const arn = await createVault(h, 'tagged', { BackupVaultTags: { env: 'demo' } });
    const res = await h.call('GET', `/tags/${enc(arn)}`);
    expect(res.json.Tags).toEqual({ env: 'demo' });
  });

  test('TagResource and UntagResource change the vault tags', async () => {
    const arn = await createVault(h, 'tagged');
    await h.call('POST', `/tags/${enc(arn)}`, { Tags: { a: '1', b: '2' } });
    await h.call('POST', `/untag/${enc(arn)}`, { TagKeyList: ['a'] });
    expect((await h.call('GET', `/tags/${enc(arn)}`)).json.Tags).toEqual({ b: '2' });
  });

  test('TagResource without Tags is MissingParameterValueException', async () => {
    const arn = await createVault(h, 'tagged');
    const res = await h.call('POST', `/tags/${enc(arn)}`, {});
    expect(res.json.Code).toBe('MissingParameterValueException');
    expect(res.json.Message).toMatch(/Tags/);
  });

  test('the access policy is stored and returned verbatim', async () => {
    await createVault(h);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });
    await h.call('PUT', '/backup-vaults/vault1/access-policy', { Policy: policy });
    expect((await h.call('GET', '/backup-vaults/vault1/access-policy')).json.Policy).toBe(policy);
  });

  test('GetBackupVaultAccessPolicy after delete is ResourceNotFoundException', async () => {
    await createVault(h);
    await h.call('PUT', '/backup-vaults/vault1/access-policy', { Policy: '{"Statement":[{"Effect":"Allow","Action":"backup:*","Principal":"*","Resource":"*"}]}' });
    await h.call('DELETE', '/backup-vaults/vault1/access-policy');
    expect((await h.call('GET', '/backup-vaults/vault1/access-policy')).json.Code).toBe('ResourceNotFoundException');
  });

  test('a policy that is not JSON is InvalidParameterValueException', async () => {
    await createVault(h);
    const res = await h.call('PUT', '/backup-vaults/vault1/access-policy', { Policy: '{nope' });
    expect(res.json.Message).toMatch(/Policy is not valid JSON/);
  });

  test('the lock configuration shows in DescribeBackupVault', async () => {
    await createVault(h);
    await h.call('PUT', '/backup-vaults/vault1/vault-lock', { MinRetentionDays: 7, MaxRetentionDays: 35, ChangeableForDays: 3 });
    const res = await h.call('GET', '/backup-vaults/vault1');
    expect(res.json).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 35 });
    expect(res.json.LockDate).toBeGreaterThan(res.json.CreationDate);
  });

  test('DeleteBackupVaultLockConfiguration unlocks a vault still in its grace time', async () => {
    await createVault(h);
    await h.call('PUT', '/backup-vaults/vault1/vault-lock', { MinRetentionDays: 7 });
    await h.call('DELETE', '/backup-vaults/vault1/vault-lock');
    const res = await h.call('GET', '/backup-vaults/vault1');
    expect(res.json.Locked).toBe(false);
    expect(res.json.MinRetentionDays).toBeUndefined();
  });

  test('MaxRetentionDays below MinRetentionDays is rejected', async () => {
    await createVault(h);
    const res = await h.call('PUT', '/backup-vaults/vault1/vault-lock', { MinRetentionDays: 30, MaxRetentionDays: 7 });
    expect(res.json.Message).toMatch(/MaxRetentionDays: 7 is less than MinRetentionDays 30/);
  });

  test('notifications round-trip and are gone after delete', async () => {
    await createVault(h);
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:backup-events`;
    await h.call('PUT', '/backup-vaults/vault1/notification-configuration', { SNSTopicArn: topic, BackupVaultEvents: ['BACKUP_JOB_COMPLETED'] });
    expect((await h.call('GET', '/backup-vaults/vault1/notification-configuration')).json).toMatchObject({ SNSTopicArn: topic, BackupVaultEvents: ['BACKUP_JOB_COMPLETED'] });
    await h.call('DELETE', '/backup-vaults/vault1/notification-configuration');
    expect((await h.call('GET', '/backup-vaults/vault1/notification-configuration')).json.Code).toBe('ResourceNotFoundException');
  });

  test('an unknown vault event is rejected naming its index', async () => {
    await createVault(h);
    const res = await h.call('PUT', '/backup-vaults/vault1/notification-configuration', {
      SNSTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:t`,
      BackupVaultEvents: ['NOPE'],
    });
    expect(res.json.Message).toMatch(/BackupVaultEvents\[0\]/);
  });
});
