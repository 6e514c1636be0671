import { progressLine, progressReporter } from '../../../verify/report/progress';

const p = { attempt: 2, elapsedMs: 30_000, percent: 25, expectedCompletionAt: 120_000, deadlineAt: 900_000 };

describe('progress', () => {
  it('shows percent, elapsed, expected completion and the deadline', () => {
    expect(progressLine('restore', p, 30_000)).toBe('restore: 25%, elapsed 30s, expected done in ~1m30s, deadline in 14m30s');
  });

  it('rewrites one line on a TTY', () => {
    const writes: string[] = [];
    const r = progressReporter({ isTTY: true, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream, () => 30_000, {});
    r.report('restore', p);
    expect(writes[0]).toMatch(/^\r\x1b\[2Krestore: 25%/);
  });

  it('prints plain lines on a TTY under CI', () => {
    const writes: string[] = [];
    const r = progressReporter({ isTTY: true, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream, () => 30_000, { CI: 'true' });
    r.report('restore', { ...p, attempt: 1 });
    expect(writes[0]).toMatch(/^restore: 25%.*\n$/);
  });

  it('prints plain lines without control characters when not a TTY', () => {
    const writes: string[] = [];
    const r = progressReporter({ isTTY: false, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream, () => 30_000);
    r.report('restore', { ...p, attempt: 1 });
    expect(writes).toEqual(['restore: 25%, elapsed 30s, expected done in ~1m30s, deadline in 14m30s\n']);
  });
});
