/** Temporary role credentials for verify's phases (core/aws/assume-role.ts). */
import type { STSClient } from '@aws-sdk/client-sts';
import { assumeRoleCredentials, sessionNameFor } from '../../../core/aws/assume-role';

function fakeSts(answer: (n: number) => Promise<unknown>): { sts: STSClient; calls: unknown[] } {
  const calls: unknown[] = [];
  const sts = { send: (cmd: { input: unknown }) => { calls.push(cmd.input); return answer(calls.length); } } as unknown as STSClient;
  return { sts, calls };
}

const creds = (n: number, expiresAt: number) => Promise.resolve({ Credentials: { AccessKeyId: `ASIA${n}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(expiresAt) } });

describe('sessionNameFor', () => {
  it('carries the phase and the run id', () => {
    expect(sessionNameFor('drill', '20260101T000000Z-abcd')).toBe('tablesafe-drill-20260101T000000Z-abcd');
  });

  it('stays within STS limits: 64 characters of [\\w+=,.@-], keeping the end of the run id', () => {
    const name = sessionNameFor('audit', `${'x'.repeat(80)}:end`);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^tablesafe-[\w+=,.@-]+-end$/);
  });
});

describe('assumeRoleCredentials', () => {
  it('assumes the role once, with the session name, and reuses the credentials until shortly before they expire', async () => {
    let now = 0;
    const { sts, calls } = fakeSts((n) => creds(n, 3_600_000 * n));
    const provider = assumeRoleCredentials(sts, { roleArn: 'arn:aws:iam::1:role/r', sessionName: 'tablesafe-drill-run', now: () => now });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect([a.accessKeyId, b.accessKeyId, calls]).toEqual(['ASIA1', 'ASIA1', [{ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'tablesafe-drill-run', DurationSeconds: 3600 }]]);
    now = 3_600_000 - 4 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIA2');
  });

  it('a refusal says how to run anyway, and the next call asks STS again', async () => {
    const { sts, calls } = fakeSts((n) => (n === 1 ? Promise.reject(Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' })) : creds(n, Date.now() + 3_600_000)));
    const provider = assumeRoleCredentials(sts, { roleArn: 'arn:aws:iam::1:role/r', sessionName: 'tablesafe-audit-run' });
    await expect(provider()).rejects.toMatchObject({ code: 'TS_E_ASSUME_ROLE', message: expect.stringContaining('cannot assume arn:aws:iam::1:role/r: AccessDenied'), remedy: expect.stringContaining('--as-caller') });
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(calls).toHaveLength(2);
  });

  it('rejects a session name STS would refuse', () => {
    expect(() => assumeRoleCredentials(fakeSts(() => creds(1, 0)).sts, { roleArn: 'r', sessionName: 'has space' })).toThrow(/sessionName: "has space" is invalid/);
  });
});
