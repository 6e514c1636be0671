/**
 * A readers/writer gate in front of moto. Most calls share it; a call whose generated ids must
 * repeat on replay takes it alone, so no other request can draw from moto's random generator
 * between the seed and the call. FIFO, so a waiting exclusive call is not starved.
 */
export class Gate {
  private shared = 0;
  private exclusive = false;
  private readonly queue: Array<{ exclusive: boolean; grant: () => void }> = [];

  async run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await fn();
    } finally {
      this.release(exclusive);
    }
  }

  private grantable(exclusive: boolean): boolean {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared += 1;
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.queue.length === 0 && this.grantable(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.queue.push({ exclusive, grant }));
  }

  private release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared -= 1;
    while (this.queue.length > 0 && this.grantable(this.queue[0].exclusive)) {
      const next = this.queue.shift()!;
      this.take(next.exclusive);
      next.grant();
    }
  }
}

/**
 * What a write touches: a resource (table, bucket) and optionally one item in it. No resource
 * means "could touch anything" (control-plane calls, multi-table batches).
 */
export interface WriteScope {
  readonly resource?: string;
  readonly item?: string;
}

export function conflicts(a: WriteScope, b: WriteScope): boolean {
  if (a.resource === undefined || b.resource === undefined) return true;
  if (a.resource !== b.resource) return false;
  return a.item === undefined || b.item === undefined || a.item === b.item;
}

/**
 * Orders writes that could conflict: a write waits for every earlier, still-running write whose
 * scope overlaps its own; writes to different items run side by side. Callers take their journal
 * slot inside `fn`, so for any two conflicting writes the journal order is moto's order.
 */
export class WriteOrder {
  private inflight: Array<{ readonly scope: WriteScope; readonly done: Promise<void> }> = [];

  async run<T>(scope: WriteScope, fn: () => Promise<T>): Promise<T> {
    const earlier = this.inflight.filter((e) => conflicts(e.scope, scope)).map((e) => e.done);
    let release!: () => void;
    const entry = { scope, done: new Promise<void>((r) => (release = r)) };
    this.inflight.push(entry);
    try {
      await Promise.all(earlier);
      return await fn();
    } finally {
      release();
      this.inflight = this.inflight.filter((e) => e !== entry);
    }
  }
}
