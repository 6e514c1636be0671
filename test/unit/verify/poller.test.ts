import { backoffDelay, poll, PollObservation, PollProgress, timerSleep } from '../../../core/poller';

/** A fake clock whose sleep advances time instantly and records every delay. */
function fakeTime() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const script = <T>(...obs: PollObservation<T>[]) => {
  let i = 0;
  return jest.fn(async () => obs[Math.min(i++, obs.length - 1)]);
};

describe('backoffDelay', () => {
  it('grows exponentially up to maxDelay', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 100, 1000, top))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('applies full jitter between minDelay and the exponential ceiling', () => {
    expect(backoffDelay(4, 100, 10_000, () => 0)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 0.5)).toBe(450);
  });
});

describe('poll', () => {
  it('returns SUCCESS with the value once check succeeds', async () => {
    const time = fakeTime();
    const check = script<string>({ state: 'RETRY' }, { state: 'RETRY' }, { state: 'SUCCESS', value: 'done' });
    const out = await poll(check, { maxWaitMs: 60_000, minDelayMs: 10, now: time.now, sleep: time.sleep, random: () => 0 });
    expect(out).toMatchObject({ state: 'SUCCESS', value: 'done', attempts: 3 });
    expect(time.sleeps).toEqual([10, 10]);
  });

  it('returns FAILURE with the reason the check gave', async () => {
    const time = fakeTime();
    const check = script<string>({ state: 'FAILURE', reason: 'restore FAILED: access denied' });
    const out = await poll(check, { maxWaitMs: 60_000, now: time.now, sleep: time.sleep });
    expect(out.state).toBe('FAILURE');
    expect(out.reason).toMatch(/access denied/);
  });

  it('returns TIMEOUT at the deadline without sleeping past it', async () => {
    const time = fakeTime();
    const check = script<string>({ state: 'RETRY', value: 'RUNNING' });
    const out = await poll(check, { maxWaitMs: 1_000, minDelayMs: 300, maxDelayMs: 300, now: time.now, sleep: time.sleep });
    expect(out.state).toBe('TIMEOUT');
    expect(out.value).toBe('RUNNING');
    expect(time.sleeps).toEqual([300, 300, 300, 100]);
    expect(out.elapsedMs).toBe(1_000);
  });

  it('returns ABORTED when the signal fires during a sleep', async () => {
    const time = fakeTime();
    const controller = new AbortController();
    const check = script<string>({ state: 'RETRY' });
    const out = await poll(check, {
      maxWaitMs: 60_000,
      signal: controller.signal,
      now: time.now,
      sleep: async () => controller.abort(),
    });
    expect(out.state).toBe('ABORTED');
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('does not call check when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const check = script<string>({ state: 'SUCCESS' });
    const out = await poll(check, { maxWaitMs: 1_000, signal: controller.signal });
    expect(out.state).toBe('ABORTED');
    expect(check).not.toHaveBeenCalled();
  });

  it('reports progress with percent, elapsed and a completion estimate extrapolated from percent', async () => {
    const time = fakeTime();
    const seen: PollProgress[] = [];
    let calls = 0;
    const check = async (): Promise<PollObservation<string>> => {
      calls += 1;
      time.advance(1_000);
      return calls < 2 ? { state: 'RETRY', percent: 25 } : { state: 'SUCCESS' };
    };
    const start = time.now();
    await poll(check, { maxWaitMs: 60_000, now: time.now, sleep: time.sleep, onProgress: (p) => seen.push(p), random: () => 0 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ attempt: 1, elapsedMs: 1_000, percent: 25, expectedCompletionAt: start + 4_000, deadlineAt: start + 60_000 });
  });

  it('estimates completion from expectedDurationMs when no percent is known', async () => {
    const time = fakeTime();
    const seen: PollProgress[] = [];
    const start = time.now();
    await poll(script<string>({ state: 'RETRY' }, { state: 'SUCCESS' }), {
      maxWaitMs: 60_000,
      expectedDurationMs: 5_000,
      now: time.now,
      sleep: time.sleep,
      onProgress: (p) => seen.push(p),
    });
    expect(seen[0].expectedCompletionAt).toBe(start + 5_000);
  });

  it('rejects maxDelayMs below minDelayMs naming both', async () => {
    await expect(poll(script({ state: 'SUCCESS' }), { maxWaitMs: 10, minDelayMs: 50, maxDelayMs: 5 })).rejects.toThrow(/maxDelayMs is 5; it must be >= minDelayMs \(50\)/);
  });

  it('rejects a non-positive maxWaitMs', async () => {
    await expect(poll(script({ state: 'SUCCESS' }), { maxWaitMs: 0 })).rejects.toThrow(/maxWaitMs is 0/);
  });
});

describe('timerSleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves after the delay with fake timers', async () => {
    let done = false;
    const p = timerSleep(5_000).then(() => (done = true));
    jest.advanceTimersByTime(4_999);
    await Promise.resolve();
    expect(done).toBe(false);
    jest.advanceTimersByTime(1);
    await p;
    expect(done).toBe(true);
  });

  it('resolves early when the signal aborts and leaves no timer', async () => {
    const controller = new AbortController();
    const p = timerSleep(60_000, controller.signal);
    controller.abort();
    await p;
    expect(jest.getTimerCount()).toBe(0);
  });
});
