import { FaultRegistry, parseFault } from '../../../sandbox/faults';

describe('parseFault', () => {
  it('parses a request fault with defaults', () => {
    expect(parseFault({ service: 'dynamodb', operation: 'Scan', error: 'ThrottlingException' })).toMatchObject({
      kind: 'request', service: 'dynamodb', operation: 'Scan', error: 'ThrottlingException', status: 400, delayMs: 0, remaining: 1,
    });
  });

  it('parses a job fault', () => {
    expect(parseFault({ job: 'restore', outcome: 'FAILED', message: 'boom', count: 2 })).toMatchObject({ kind: 'job', job: 'restore', outcome: 'FAILED', message: 'boom', remaining: 2 });
  });

  it('parses a corruption fault', () => {
    expect(parseFault({ recoveryPoint: 'corrupt', dropItems: 2 })).toMatchObject({ kind: 'corruption', dropItems: 2, remaining: 1 });
  });

  it('rejects a count below 1, naming the field and the value', () => {
    expect(() => parseFault({ service: 'kms', error: 'X', count: 0 })).toThrow(/count: 0 is invalid: must be an integer >= 1/);
  });

  it('rejects an unknown job kind', () => {
    expect(() => parseFault({ job: 'export', outcome: 'FAILED' })).toThrow(/job: "export" is invalid: must be "backup", "restore" or "copy"/);
  });

  it('rejects a status outside 400-599', () => {
    expect(() => parseFault({ service: 's3', error: 'X', status: 200 })).toThrow(/status: 200 is invalid/);
  });

  it('rejects a request fault with neither error nor delay', () => {
    expect(() => parseFault({ service: 's3' })).toThrow(/error: undefined is invalid: give an error code, a delayMs > 0, or both/);
  });

  it('rejects a non-object', () => {
    expect(() => parseFault([1])).toThrow(/fault: \[1\] is invalid: must be a JSON object/);
  });
});

describe('FaultRegistry', () => {
  it('fails exactly count matching calls', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ service: 'dynamodb', operation: 'Scan', error: 'X', count: 2 }));
    const hits = [1, 2, 3].map(() => r.takeRequestFault('dynamodb', 'Scan') !== undefined);
    expect(hits).toEqual([true, true, false]);
  });

  it('does not match another operation', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ service: 'dynamodb', operation: 'Scan', error: 'X' }));
    expect(r.takeRequestFault('dynamodb', 'Query')).toBeUndefined();
  });

  it('matches every operation with "*"', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ service: 'kms', operation: '*', error: 'X' }));
    expect(r.takeRequestFault('kms', 'CreateKey')?.error).toBe('X');
  });

  it('hands a FAILED job fault to the next job of that kind only', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ job: 'restore', outcome: 'FAILED', message: 'm' }));
    expect([r.takeJobFault('backup'), r.takeJobFault('restore'), r.takeJobFault('restore')]).toEqual([undefined, { job: 'restore', outcome: 'FAILED', message: 'm' }, undefined]);
  });

  it('keeps a HANG registered until cleared', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ job: 'backup', outcome: 'HANG' }));
    r.takeJobFault('backup');
    const before = r.isHangCleared('backup');
    r.clear();
    expect([before, r.isHangCleared('backup')]).toEqual([false, true]);
  });

  it('does not hand an exhausted HANG to a later job', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ job: 'backup', outcome: 'HANG' }));
    r.takeJobFault('backup');
    expect(r.takeJobFault('backup')).toBeUndefined();
  });

  it('consumes corruption once per count', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ recoveryPoint: 'corrupt', dropItems: 3 }));
    expect([r.takeCorruption(), r.takeCorruption()]).toEqual([{ dropItems: 3 }, undefined]);
  });

  it('lists registered faults', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ service: 'sts', error: 'X' }));
    expect(r.list()).toHaveLength(1);
  });

  it('scopes job faults and corruption to a region when the fault names one', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ job: 'restore', outcome: 'HANG', region: 'us-west-2' }));
    r.add(parseFault({ recoveryPoint: 'corrupt', dropItems: 3, region: 'us-west-2' }));
    expect(r.takeJobFault('restore', 'us-east-1')).toBeUndefined();
    expect(r.takeCorruption('us-east-1')).toBeUndefined();
    expect(r.takeJobFault('restore', 'us-west-2')).toMatchObject({ outcome: 'HANG' });
    expect(r.takeCorruption('us-west-2')).toEqual({ dropItems: 3 });
  });

  it('takes a copy fault for copies into the region it names (the destination vault\'s)', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ job: 'copy', outcome: 'FAILED', message: 'no copy', region: 'us-west-2' }));
    expect(r.takeJobFault('restore', 'us-west-2')).toBeUndefined();
    expect(r.takeJobFault('copy', 'eu-west-1')).toBeUndefined();
    expect(r.takeJobFault('copy', 'us-west-2')).toEqual({ job: 'copy', outcome: 'FAILED', message: 'no copy' });
    expect(r.takeJobFault('copy', 'us-west-2')).toBeUndefined();
  });

  it('keeps point-in-time corruption apart from recovery point corruption', () => {
    const r = new FaultRegistry();
    r.add(parseFault({ pitr: 'corrupt', dropItems: 2 }));
    expect(r.takeCorruption('us-east-1')).toBeUndefined();
    expect(r.takePitrCorruption('us-east-1')).toBe(2);
    expect(r.takePitrCorruption('us-east-1')).toBeUndefined();
  });

  it('rejects a region that is not a region name', () => {
    expect(() => parseFault({ job: 'restore', outcome: 'FAILED', region: 'mars' })).toThrow(/region: "mars" is invalid: must be a region name/);
  });
});
