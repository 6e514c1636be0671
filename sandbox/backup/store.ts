import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureWritableDir } from '../../core/dirs';
import { TablesafeError } from '../../core/errors';
import { emptyState, type BackupState, type TableSnapshot } from './state';

const STATE_FILE = 'backup-state.json';
const SNAPSHOT_DIR = 'backup-snapshots';

/** Write `data` so that a crash leaves either the old or the new file, never a torn one. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open directories, which is harmless.
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* directory fsync unsupported */
  }
}

/**
 * Durable home of the Backup state. `persist()` resolves only after a write that started after
 * the call has reached the disk, so a handler that mutates state and awaits it answers only
 * durable changes. Concurrent callers share writes.
 */
export class BackupStore {
  private writing: Promise<void> | undefined;
  private pending: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    readonly state: BackupState,
  ) {}

  static async open(dir: string): Promise<BackupStore> {
    ensureWritableDir(path.join(dir, SNAPSHOT_DIR), 'Backup state dir', { code: 'TS_E_STATE_DIR' });
    let state = emptyState();
    try {
      const text = await fs.readFile(path.join(dir, STATE_FILE), 'utf8');
      state = { ...emptyState(), ...(JSON.parse(text) as Partial<BackupState>) } as BackupState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        const file = path.join(dir, STATE_FILE);
        throw new TablesafeError('TS_E_STATE_DIR', `cannot read AWS Backup state ${file}: ${(e as Error).message}`, 'move the file away to start with an empty Backup state', { cause: e });
      }
    }
    return new BackupStore(dir, state);
  }

  persist(): Promise<void> {
    if (this.pending) return this.pending;
    const previous = this.writing ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        this.pending = undefined;
        this.writing = next;
        await writeFileAtomic(path.join(this.dir, STATE_FILE), JSON.stringify(this.state));
      })
      .finally(() => {
        if (this.writing === next) this.writing = undefined;
      });
    this.pending = next;
    return next;
  }

  snapshotPath(file: string): string {
    return path.join(this.dir, SNAPSHOT_DIR, file);
  }

  async writeSnapshot(file: string, snapshot: TableSnapshot): Promise<number> {
    const text = JSON.stringify(snapshot);
    await writeFileAtomic(this.snapshotPath(file), text);
    return Buffer.byteLength(text);
  }

  async readSnapshot(file: string): Promise<TableSnapshot> {
    return JSON.parse(await fs.readFile(this.snapshotPath(file), 'utf8')) as TableSnapshot;
  }

  async deleteSnapshot(file: string): Promise<void> {
    await fs.rm(this.snapshotPath(file), { force: true });
  }
}
