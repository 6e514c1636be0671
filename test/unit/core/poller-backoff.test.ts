/** backoffDelay's floor: whatever the range it is given, a poller never waits less than minDelay. */
import { backoffDelay } from '../../../core/poller';

describe('backoffDelay floor', () => {
  it('waits minDelay when maxDelay is below it, whatever the jitter draws', () => {
    for (const r of [0, 0.5, 0.999]) expect(backoffDelay(3, 100, 50, () => r)).toBe(100);
  });
});
