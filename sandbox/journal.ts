/**
 * The write-ahead record of every successful mutating request forwarded to moto. moto keeps its
 * state in memory; replaying this file into a fresh moto rebuilds it.
 *
 * One JSON object per line. `append` resolves only after the line is on disk (fdatasync), so a
 * write the client saw acknowledged survives `kill -9`. Concurrent appends share one sync
 * (group commit). A torn last line — a crash mid-write, never acknowledged — is skipped on read.
 */
import { promises as fsp, readFileSync, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describeFsError, ensureWritableDir } from '../core/dirs';
import { TablesafeError } from '../core/errors';

export interface JournalEntry {
  readonly seq: number;
  /** moto's random seed set just before this request, so generated ids repeat on replay. */
  readonly seed?: number;
  readonly service: string;
  readonly region: string;
  readonly operation?: string;
  readonly method: string;
  /** Path plus query string, as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Base64 of the request body. */
  readonly body: string;
  /**
   * When moto acknowledged the write (epoch ms): point-in-time recovery replays history by it.
   * Absent in journals written before it was recorded.
   */
  readonly at?: number;
  /**
   * UpdateItem only: the item right after the update (null when none), read back inside the
   * write's order. Lets compaction fold an update into the item's final image.
   */
  readonly after?: Record<string, unknown> | null;
  /**
   * A compacted item write only: the item's earlier versions (oldest first) that the folded
   * writes made, each with its acknowledgement time, so point-in-time history survives
   * compaction. `item` null: the item did not exist from that time.
   */
  readonly history?: ReadonlyArray<ItemVersion>;
}

/** One version of an item in point-in-time history. */
export interface ItemVersion {
  readonly at: number;
  readonly item: Record<string, unknown> | null;
}

export class Journal {
  private pending: Array<{ line: string; done: () => void; fail: (e: unknown) => void }> = [];
  private flushing = false;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: fsp.FileHandle,
    private nextSeq: number,
  ) {}

  /** Opens (creating) the journal and positions the sequence after the last whole entry. */
  static async open(file: string): Promise<{ journal: Journal; entries: JournalEntry[] }> {
    ensureWritableDir(path.dirname(file), 'journal directory', { code: 'TS_E_STATE_DIR' });
    const { entries, validBytes } = scanJournal(file);
    // Cut a torn tail off, or the next append would sit behind a line that ends the journal.
    if (existsSync(file) && statSync(file).size > validBytes) await fsp.truncate(file, validBytes);
    const handle = await fsp.open(file, 'a');
    const last = entries.reduce((max, e) => Math.max(max, e.seq), 0);
    return { journal: new Journal(file, handle, last + 1), entries };
  }

  /** Reserves the next sequence number (also used as moto's seed for that request). */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  append(entry: JournalEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    return new Promise((done, fail) => {
      this.pending.push({ line: `${JSON.stringify(entry)}\n`, done, fail });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.handle.write(batch.map((b) => b.line).join(''));
        await this.handle.datasync();
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.pending.length) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await this.handle.close();
  }
}

/** Reads every whole entry; a line that does not parse ends the journal (torn tail). */
export function readJournal(file: string): JournalEntry[] {
  return scanJournal(file).entries;
}

function scanJournal(file: string): { entries: JournalEntry[]; validBytes: number } {
  if (!existsSync(file)) return { entries: [], validBytes: 0 };
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    throw new TablesafeError('TS_E_STATE_DIR', describeFsError(file, e, 'cannot read the sandbox journal'), 'move it away to start with an empty sandbox', { cause: e });
  }
  const entries: JournalEntry[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) break; // no newline: the write never finished
    const line = data.subarray(offset, end).toString('utf8');
    if (line.trim()) {
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        break;
      }
    }
    offset = end + 1;
  }
  return { entries, validBytes: offset };
}
