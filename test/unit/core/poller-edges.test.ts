/**
 * The poller's edges, each a case a wrong implementation gets wrong: aborts before and during an
 * attempt, the timeout's wording, option validation, and the completion estimate.
 */
import { poll, PollProgress, timerSleep, validatePollerOptions } from '../../../core/poller';

function clock() {
  let t = 5_000;
  return { now: () => t, advance: (ms: number) => void (t += ms), sleep: jest.fn(async (ms: number) => void (t += ms)) };
}

describe('timerSleep', () => {
  it('resolves at once for an already-aborted signal, without waiting the delay', async () => {
    const c = new AbortController();
    c.abort();
    const started = Date.now();
    await timerSleep(60_000, c.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resolves early when the signal aborts mid-sleep', async () => {
    const c = new AbortController();
    const started = Date.now();
    setTimeout(() => c.abort(), 20);
    await timerSleep(60_000, c.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('listens once and removes its listener when the delay ends, leaving nothing behind', async () => {
    const signal = { aborted: false, addEventListener: jest.fn(), removeEventListener: jest.fn() } as unknown as AbortSignal;
    await timerSleep(1, signal);
    const added = (signal.addEventListener as jest.Mock).mock.calls;
    expect(added).toEqual([['abort', expect.any(Function), { once: true }]]);
    expect((signal.removeEventListener as jest.Mock).mock.calls).toEqual([['abort', added[0][1]]]);
  });
});

describe('validatePollerOptions', () => {
  it.each([
    [{ maxWaitMs: 1_000, minDelayMs: 0 }, /minDelayMs is 0; it must be a positive number/],
    [{ maxWaitMs: 1_000, minDelayMs: -5 }, /minDelayMs is -5/],
    [{ maxWaitMs: 0 }, /maxWaitMs is 0/],
    [{ maxWaitMs: 1_000, minDelayMs: 10, maxDelayMs: 5 }, /maxDelayMs is 5; it must be >= minDelayMs \(10\)/],
  ])('rejects %j', (o, message) => {
    expect(() => validatePollerOptions(o)).toThrow(message);
  });

  it('accepts the smallest valid delays', () => {
    expect(() => validatePollerOptions({ maxWaitMs: 1, minDelayMs: 1, maxDelayMs: 1 })).not.toThrow();
  });
});

describe('poll outcomes', () => {
  it('an already-aborted signal: ABORTED with reason "aborted", no attempt made', async () => {
    const c = new AbortController();
    c.abort();
    const check = jest.fn();
    const out = await poll(check, { maxWaitMs: 1_000, signal: c.signal });
    expect(out).toMatchObject({ state: 'ABORTED', reason: 'aborted', attempts: 0 });
    expect(check).not.toHaveBeenCalled();
  });

  it('an abort during an attempt: ABORTED right after it, no progress reported and no sleep', async () => {
    const c = new AbortController();
    const t = clock();
    const onProgress = jest.fn();
    const out = await poll(async () => {
      c.abort();
      return { state: 'RETRY' as const, value: 'half', reason: 'RUNNING' };
    }, { maxWaitMs: 10_000, minDelayMs: 100, signal: c.signal, now: t.now, sleep: t.sleep, onProgress });
    expect(out).toMatchObject({ state: 'ABORTED', reason: 'aborted', attempts: 1, value: 'half' });
    expect(onProgress).not.toHaveBeenCalled();
    expect(t.sleep).not.toHaveBeenCalled();
  });

  it('a timeout names the time waited and the deadline', async () => {
    const t = clock();
    const out = await poll(async () => ({ state: 'RETRY' as const }), { maxWaitMs: 1_000, minDelayMs: 400, maxDelayMs: 400, now: t.now, sleep: t.sleep, random: () => 0 });
    expect(out.state).toBe('TIMEOUT');
    expect(out.reason).toBe(`still not done after ${out.elapsedMs} ms (deadline 1000 ms)`);
    expect(out.elapsedMs).toBe(1_000);
  });

  it('a failure keeps the reason the last attempt gave', async () => {
    const out = await poll(async () => ({ state: 'FAILURE' as const, reason: 'FAILED: disk full' }), { maxWaitMs: 1_000 });
    expect(out).toMatchObject({ state: 'FAILURE', reason: 'FAILED: disk full', attempts: 1 });
  });
});

describe('completion estimate', () => {
  async function firstProgress(percent: number | undefined, expectedDurationMs?: number): Promise<PollProgress> {
    const t = clock();
    const seen: PollProgress[] = [];
    let first = true;
    await poll(async () => {
      if (!first) return { state: 'SUCCESS' as const };
      first = false;
      t.advance(10_000);
      return { state: 'RETRY' as const, percent };
    }, { maxWaitMs: 60_000, minDelayMs: 1, maxDelayMs: 1, now: t.now, sleep: t.sleep, expectedDurationMs, onProgress: (p) => seen.push(p) });
    expect(seen).toHaveLength(1);
    return seen[0];
  }

  it('extrapolates from a percentage: 25 % after 10 s ends at 40 s', async () => {
    expect((await firstProgress(25)).expectedCompletionAt).toBe(5_000 + 40_000);
  });

  it('100 % means now', async () => {
    expect((await firstProgress(100)).expectedCompletionAt).toBe(5_000 + 10_000);
  });

  it.each([[0], [-10], [150]])('ignores an impossible percentage (%d) and falls back to the expected duration', async (percent) => {
    expect((await firstProgress(percent, 30_000)).expectedCompletionAt).toBe(5_000 + 30_000);
  });

  it('has no estimate without a percentage or an expected duration', async () => {
    expect((await firstProgress(undefined)).expectedCompletionAt).toBeUndefined();
    expect((await firstProgress(150)).expectedCompletionAt).toBeUndefined();
  });
});
