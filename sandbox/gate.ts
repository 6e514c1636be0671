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
