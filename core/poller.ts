/**
 * A poller modeled on aws-sdk-js-v3 `util-waiter`: call `check` until it reports SUCCESS or
 * FAILURE, sleeping an exponentially growing, fully jittered delay between attempts, bounded by
 * `minDelayMs`/`maxDelayMs`, a deadline and an AbortSignal. Never throws for a timeout or an abort:
 * the outcome says what happened, so callers can always finish their report and clean up.
 */

export type PollState = 'SUCCESS' | 'FAILURE' | 'RETRY';

/** What one attempt observed. */
export interface PollObservation<T> {
  readonly state: PollState;
  readonly value?: T;
  /** Progress of the awaited work (0–100) when the service reports one. */
  readonly percent?: number;
  /** Why the work failed (FAILURE) or what it is doing (RETRY). */
  readonly reason?: string;
}

export type PollOutcomeState = 'SUCCESS' | 'FAILURE' | 'TIMEOUT' | 'ABORTED';

export interface PollOutcome<T> {
  readonly state: PollOutcomeState;
  /** The last value observed (also on TIMEOUT/ABORTED, so the caller can report it). */
  readonly value?: T;
  readonly reason?: string;
  readonly attempts: number;
  readonly elapsedMs: number;
}

export interface PollProgress {
  readonly attempt: number;
  readonly elapsedMs: number;
  readonly percent?: number;
  /** Estimated completion (epoch ms): extrapolated from `percent`, else start + `expectedDurationMs`. */
  readonly expectedCompletionAt?: number;
  readonly deadlineAt: number;
  readonly reason?: string;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PollerOptions {
  /** Give up (outcome TIMEOUT) once this much time has passed since the first attempt. */
  readonly maxWaitMs: number;
  /**
   * Lower bound of every delay.
   * @default 2000
   */
  readonly minDelayMs?: number;
  /**
   * Upper bound of every delay.
   * @default 120000
   */
  readonly maxDelayMs?: number;
  /**
   * Stops polling (outcome ABORTED) as soon as it fires, also mid-sleep.
   * @default no abort signal
   */
  readonly signal?: AbortSignal;
  /**
   * Called after every attempt that did not settle.
   * @default no progress reporting
   */
  readonly onProgress?: (p: PollProgress) => void;
  /**
   * Expected duration of the awaited work, used for the completion estimate when the service
   * reports no percentage.
   * @default no estimate without a percentage
   */
  readonly expectedDurationMs?: number;
  /**
   * Clock, injectable for tests.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Sleep, injectable for tests; must resolve early when `signal` aborts.
   * @default a timer-based sleep that honours the signal
   */
  readonly sleep?: Sleep;
  /**
   * Random source in [0, 1) for jitter, injectable for tests.
   * @default Math.random
   */
  readonly random?: () => number;
}

export const DEFAULT_MIN_DELAY_MS = 2_000;
export const DEFAULT_MAX_DELAY_MS = 120_000;

/** A sleep that resolves after `ms` or as soon as `signal` aborts, leaving no timer behind. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1): "full jitter" over
 * [minDelay, min(maxDelay, minDelay·2^(attempt-1))], as util-waiter does, so concurrent pollers
 * (two drills at once) spread out instead of calling in lockstep.
 */
export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt - 1, 30));
  if (ceiling <= minDelayMs) return minDelayMs;
  return Math.round(minDelayMs + random() * (ceiling - minDelayMs));
}

export function validatePollerOptions(o: PollerOptions): void {
  const minDelay = o.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const maxDelay = o.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (!(o.maxWaitMs > 0)) throw new RangeError(`poller maxWaitMs is ${o.maxWaitMs}; it must be a positive number of milliseconds`);
  if (!(minDelay > 0)) throw new RangeError(`poller minDelayMs is ${minDelay}; it must be a positive number of milliseconds`);
  if (maxDelay < minDelay) throw new RangeError(`poller maxDelayMs is ${maxDelay}; it must be >= minDelayMs (${minDelay})`);
}

export async function poll<T>(check: (attempt: number) => Promise<PollObservation<T>>, options: PollerOptions): Promise<PollOutcome<T>> {
  validatePollerOptions(options);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  const minDelay = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const maxDelay = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const start = now();
  const deadlineAt = start + options.maxWaitMs;
  let last: PollObservation<T> | undefined;
  let attempt = 0;
  const outcome = (state: PollOutcomeState, reason?: string): PollOutcome<T> => ({
    state,
    value: last?.value,
    reason: reason ?? last?.reason,
    attempts: attempt,
    elapsedMs: now() - start,
  });

  for (;;) {
    if (options.signal?.aborted) return outcome('ABORTED', 'aborted');
    attempt += 1;
    last = await check(attempt);
    if (last.state === 'SUCCESS' || last.state === 'FAILURE') return outcome(last.state);
    if (options.signal?.aborted) return outcome('ABORTED', 'aborted');

    const t = now();
    options.onProgress?.({
      attempt,
      elapsedMs: t - start,
      percent: last.percent,
      expectedCompletionAt: estimateCompletion(start, t, last.percent, options.expectedDurationMs),
      deadlineAt,
      reason: last.reason,
    });
    const remaining = deadlineAt - t;
    if (remaining <= 0) return outcome('TIMEOUT', `still not done after ${t - start} ms (deadline ${options.maxWaitMs} ms)`);
    // Never sleep past the deadline: the last attempt happens at the deadline itself.
    await sleep(Math.min(backoffDelay(attempt, minDelay, maxDelay, random), remaining), options.signal);
  }
}

function estimateCompletion(start: number, t: number, percent: number | undefined, expectedDurationMs: number | undefined): number | undefined {
  if (percent !== undefined && percent > 0 && percent <= 100) return start + Math.round((t - start) * (100 / percent));
  if (expectedDurationMs !== undefined) return start + expectedDurationMs;
  return undefined;
}
