import { createVault, harness, type Harness } from './helpers';

let h: Harness;
beforeEach(async () => (h = await harness()));
afterEach(async () => h.cleanup());

describe('restJson1 protocol', () => {
  test('errors carry x-amzn-ErrorType and a JSON body with __type, Code and Message', async () => {
    const res = await h.call('GET', '/backup-vaults/missing');
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(res.json).toMatchObject({ __type: 'ResourceNotFoundException', Code: 'ResourceNotFoundException', Message: expect.stringMatching(/missing/) });
  });

  test('a modelled operation the sandbox lacks is UnknownOperationException naming it', async () => {
    const res = await h.call('GET', '/legal-holds');
    expect(res.json.Code).toBe('UnknownOperationException');
    expect(res.json.Message).toMatch(/ListLegalHolds/);
  });

  test('a path no operation has is UnknownOperationException with 404', async () => {
    const res = await h.call('GET', '/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.json.Message).toMatch(/GET \/no\/such\/thing/);
  });

  test('malformed JSON is InvalidParameterValueException and changes nothing', async () => {
    const res = await h.call('PUT', '/backup-vaults/v1', '{"BackupVaultTags": ');
    expect(res.json.Code).toBe('InvalidParameterValueException');
    expect((await h.call('GET', '/backup-vaults/v1')).json.Code).toBe('ResourceNotFoundException');
  });

  test('a wrongly typed member is rejected naming the field', async () => {
    const res = await h.call('PUT', '/backup-vaults/v1', { BackupVaultTags: { a: 1 } });
    expect(res.json.Message).toMatch(/BackupVaultTags\.a: expected a string/);
  });

  test('a batch of malformed requests leaves existing vaults intact', async () => {
    await createVault(h, 'keep');
    const bad: [string, string, unknown][] = [
      ['PUT', '/backup-vaults/keep', '[]'],
      ['PUT', '/backup/plans', { BackupPlan: 'x' }],
      ['PUT', '/backup-vaults/keep/vault-lock', { MinRetentionDays: 'ten' }],
      ['PUT', '/backup-jobs', '{{{'],
      ['DELETE', '/backup-vaults/keep/recovery-points/arn%3Ax', undefined],
    ];
    for (const [m, p, b] of bad) expect((await h.call(m, p, b)).status).toBeGreaterThanOrEqual(400);
    expect((await h.call('GET', '/backup-vaults/keep')).json).toMatchObject({ BackupVaultName: 'keep', Locked: false });
  });

  test('timestamps are epoch seconds', async () => {
    await createVault(h, 'ts');
    const res = await h.call('GET', '/backup-vaults/ts');
    expect(res.json.CreationDate).toBeGreaterThan(1.6e9);
    expect(res.json.CreationDate).toBeLessThan(1e11);
  });
});
