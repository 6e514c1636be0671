import { Gate } from '../../../sandbox/gate';

const tick = () => new Promise((r) => setImmediate(r));

describe('Gate', () => {
  it('runs shared calls concurrently', async () => {
    const gate = new Gate();
    let running = 0;
    let peak = 0;
    const work = () => gate.run(false, async () => { running++; peak = Math.max(peak, running); await tick(); running--; });
    await Promise.all([work(), work(), work()]);
    expect(peak).toBe(3);
  });

  it('runs an exclusive call alone', async () => {
    const gate = new Gate();
    const log: string[] = [];
    const shared = (name: string) => gate.run(false, async () => { log.push(`${name}+`); await tick(); log.push(`${name}-`); });
    const exclusive = gate.run(true, async () => { log.push('X+'); await tick(); log.push('X-'); });
    await Promise.all([shared('a'), exclusive, shared('b')]);
    const x = log.indexOf('X+');
    expect(log[x + 1]).toBe('X-');
  });

  it('releases the gate when the call throws', async () => {
    const gate = new Gate();
    await expect(gate.run(true, async () => { throw new Error('boom'); })).rejects.toThrow(/boom/);
    await expect(gate.run(true, async () => 'next')).resolves.toBe('next');
  });
});
