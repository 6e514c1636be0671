import { conflicts, Gate, WriteOrder } from '../../../sandbox/gate';

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

describe('WriteOrder', () => {
  it('serializes writes to the same item in arrival order', async () => {
    const order = new WriteOrder();
    const log: string[] = [];
    const job = (name: string) => order.run({ resource: 't', item: 'k' }, async () => { log.push(`${name}+`); await tick(); log.push(`${name}-`); });
    await Promise.all([job('a'), job('b')]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-']);
  });

  it('runs writes to different items side by side', async () => {
    const order = new WriteOrder();
    let running = 0;
    let peak = 0;
    const job = (item: string) => order.run({ resource: 't', item }, async () => { running++; peak = Math.max(peak, running); await tick(); running--; });
    await Promise.all([job('x'), job('y'), job('z')]);
    expect(peak).toBe(3);
  });

  it('makes a scope-less write wait for everything before it', async () => {
    const order = new WriteOrder();
    const log: string[] = [];
    const item = order.run({ resource: 't', item: 'k' }, async () => { await tick(); log.push('item'); });
    const global = order.run({}, async () => { log.push('global'); });
    await Promise.all([item, global]);
    expect(log).toEqual(['item', 'global']);
  });
});

describe('conflicts', () => {
  it.each([
    [{ resource: 'a', item: '1' }, { resource: 'a', item: '2' }, false],
    [{ resource: 'a', item: '1' }, { resource: 'a', item: '1' }, true],
    [{ resource: 'a' }, { resource: 'a', item: '2' }, true],
    [{ resource: 'a', item: '1' }, { resource: 'b', item: '1' }, false],
    [{}, { resource: 'b', item: '1' }, true],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(conflicts(a, b)).toBe(expected);
  });
});
