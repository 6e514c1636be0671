/**
 * Journal compaction, run at start before replay, in two passes that change no state a client
 * can read (items, tables, ids, point-in-time history):
 *
 * 1. Dead tables: drops DynamoDB item writes to a table that was deleted later, when nothing in
 *    between could have read them. Every restore drill leaves thousands of them (the scratch
 *    table's items).
 * 2. Live state (`foldItemWrites`): folds every item's successive writes into its final image, so
 *    10,000 overwrites of 100 items replay as 100 writes. Details at `foldItemWrites`.
 *
 * Pass 1 is deliberately narrow, because a wrong drop loses data silently:
 * - Only PutItem, UpdateItem, DeleteItem and BatchWriteItem are ever dropped (a batch only when
 *   every table it writes is dead). Control-plane entries are always kept: they carry the seeds
 *   that make generated ids repeat, and dropping any entry never shifts another entry's seed.
 * - A table's writes die only at its DeleteTable. Any kept entry in between whose request mentions
 *   the table's name (a backup, an export, a transaction, a re-created table of the same name)
 *   might have read those items, so writes before it stay.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readJournal, type ItemVersion, type JournalEntry } from './journal';

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** `orders` from `orders` or `arn:aws:dynamodb:…:table/orders`. */
function tableName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const slash = value.startsWith('arn:') ? value.indexOf(':table/') : -1;
  return slash >= 0 ? value.slice(slash + ':table/'.length) : value;
}

/** Decoded bodies and parsed inputs, so the two passes decode each entry once. */
const decoded = new WeakMap<JournalEntry, { text: string; json?: Record<string, unknown> | null }>();

function bodyOf(entry: JournalEntry): string {
  let d = decoded.get(entry);
  if (!d) decoded.set(entry, (d = { text: Buffer.from(entry.body, 'base64').toString('utf8') }));
  return d.text;
}

function parseOnce(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The entry's request body as a JSON object (undefined when it is not one); read-only, shared. */
function inputOf(entry: JournalEntry): Record<string, unknown> | undefined {
  const text = bodyOf(entry);
  const d = decoded.get(entry)!;
  if (d.json === undefined) d.json = parseOnce(text) ?? null;
  return d.json ?? undefined;
}

type Role =
  | { readonly kind: 'item-write'; readonly tables: readonly string[] }
  | { readonly kind: 'delete-table'; readonly table: string }
  | { readonly kind: 'other' };

function roleOf(entry: JournalEntry): Role {
  if (entry.service !== 'dynamodb' || !entry.operation) return { kind: 'other' };
  const input = inputOf(entry);
  if (!input) return { kind: 'other' };
  if (ITEM_WRITES.has(entry.operation)) {
    const table = tableName(input.TableName);
    return table ? { kind: 'item-write', tables: [`${entry.region}/${table}`] } : { kind: 'other' };
  }
  if (entry.operation === 'BatchWriteItem' && typeof input.RequestItems === 'object' && input.RequestItems !== null) {
    const tables = Object.keys(input.RequestItems).map(tableName);
    if (tables.length > 0 && tables.every((t) => t !== undefined)) return { kind: 'item-write', tables: tables.map((t) => `${entry.region}/${t}`) };
    return { kind: 'other' };
  }
  if (entry.operation === 'DeleteTable') {
    const table = tableName(input.TableName);
    if (table) return { kind: 'delete-table', table: `${entry.region}/${table}` };
  }
  return { kind: 'other' };
}

/** The entries replay still needs, in order, and how many were dropped. */
export function compactEntries(entries: readonly JournalEntry[]): { kept: JournalEntry[]; dropped: number } {
  /** region/table → table name, for tables deleted later with nothing in between reading them. */
  const dead = new Map<string, string>();
  const keep: boolean[] = new Array(entries.length).fill(true);
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    const body = bodyOf(entry);
    const role = roleOf(entry);
    if (role.kind === 'item-write') {
      if (role.tables.every((t) => dead.has(t))) keep[i] = false;
      continue;
    }
    // Whatever else names a dead table may have read it (or re-created it): earlier writes count.
    const text = `${entry.url}\n${body}`;
    for (const [key, name] of [...dead]) if (text.includes(name)) dead.delete(key);
    if (role.kind === 'delete-table') dead.set(role.table, role.table.slice(role.table.indexOf('/') + 1));
  }
  const kept = entries.filter((_, i) => keep[i]);
  return { kept, dropped: entries.length - kept.length };
}

const DAY = 86_400_000;
/**
 * The longest point-in-time recovery period DynamoDB offers (RecoveryPeriodInDays 1-35). Item
 * versions superseded before this window can never be read again: neither a restore to a time
 * nor a backup job's snapshot (taken at its creation) can reach back further.
 */
export const HISTORY_WINDOW_MS = 35 * DAY;

const FOLDABLE = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/** One item write inside a foldable entry. */
interface ItemWrite {
  readonly key: string;
  readonly keyAttributes: Record<string, unknown>;
  /** The write's own versions: a compacted entry's history, then the write's result. */
  readonly versions: ItemVersion[];
}

/** The writes of a plain item-write entry, or undefined when it cannot be folded (then it is a barrier). */
function itemWritesOf(entry: JournalEntry, input: Record<string, unknown>, schemas: ReadonlyMap<string, readonly string[]>): { table: string; writes: ItemWrite[] } | undefined {
  if (entry.at === undefined || !entry.operation) return undefined;
  const named = (t: unknown) => (typeof t === 'string' && t !== '' && !t.startsWith('arn:') ? t : undefined);
  const at = entry.at;
  const keyFrom = (keyNames: readonly string[], source: Record<string, unknown>): ItemWrite['keyAttributes'] | undefined => {
    const attrs: Record<string, unknown> = {};
    for (const k of keyNames) {
      if (source[k] === undefined) return undefined;
      attrs[k] = source[k];
    }
    return attrs;
  };
  const write = (keyNames: readonly string[], source: unknown, item: Record<string, unknown> | null, earlier: readonly ItemVersion[] = []): ItemWrite | undefined => {
    if (typeof source !== 'object' || source === null) return undefined;
    const attrs = keyFrom(keyNames, source as Record<string, unknown>);
    return attrs ? { key: JSON.stringify(keyNames.map((k) => attrs[k])), keyAttributes: attrs, versions: [...earlier, { at, item }] } : undefined;
  };
  if (entry.operation === 'BatchWriteItem') {
    const tables = Object.keys((input.RequestItems ?? {}) as object);
    const table = tables.length === 1 ? named(tables[0]) : undefined;
    const keyNames = table ? schemas.get(`${entry.region}/${table}`) : undefined;
    const requests = table ? ((input.RequestItems as Record<string, unknown>)[table] as unknown) : undefined;
    if (!table || !keyNames || !Array.isArray(requests)) return undefined;
    const writes: ItemWrite[] = [];
    for (const r of requests as Array<Record<string, Record<string, unknown> | undefined>>) {
      const w = r.PutRequest ? write(keyNames, r.PutRequest.Item, r.PutRequest.Item as Record<string, unknown>)
        : r.DeleteRequest ? write(keyNames, r.DeleteRequest.Key, null) : undefined;
      if (!w) return undefined;
      writes.push(w);
    }
    return { table, writes };
  }
  const table = named(input.TableName);
  const keyNames = table ? schemas.get(`${entry.region}/${table}`) : undefined;
  if (!table || !keyNames) return undefined;
  const earlier = entry.history ?? [];
  let w: ItemWrite | undefined;
  if (entry.operation === 'PutItem') w = write(keyNames, input.Item, input.Item as Record<string, unknown>, earlier);
  else if (entry.operation === 'DeleteItem') w = write(keyNames, input.Key, null, earlier);
  else if (entry.operation === 'UpdateItem' && entry.after !== undefined) w = write(keyNames, input.Key, entry.after, earlier);
  return w ? { table, writes: [w] } : undefined;
}

/** Drops versions no time inside the window can see (each one superseded before `cutoff`). */
export function pruneVersions(versions: readonly ItemVersion[], cutoff: number): ItemVersion[] {
  let first = 0;
  for (let j = 0; j + 1 < versions.length; j++) if (versions[j + 1].at <= cutoff) first = j + 1;
  return versions.slice(first);
}

interface KeyRun {
  keyAttributes: Record<string, unknown>;
  versions: ItemVersion[];
  /** Index of the entry holding the key's latest write. */
  last: number;
  writes: number;
  /** Whether any of its writes sits in a batch (a batch is folded whole). */
  inBatch: boolean;
}

interface TableRun {
  readonly name: string;
  readonly keys: Map<string, KeyRun>;
  /** Index of each entry in the run → the keys it writes. */
  readonly entries: Map<number, string[]>;
}

/**
 * Folds item writes into each item's final image, keeping point-in-time history.
 *
 * Writes to one item commute with writes to any other item (a condition expression reads only
 * its own item), so within a run — the writes to a table between two entries that might read or
 * reshape the whole table — an item's writes can be replaced by one write of its final image at
 * the position of its last write. A run ends at any other entry whose request names the table (a
 * transaction, PartiQL, a backup or export, CreateTable/UpdateTable/DeleteTable, a multi-table
 * batch) and at an item write that cannot be folded.
 *
 * - Final image: PutItem's and BatchWriteItem's Item, DeleteItem's absence, UpdateItem's `after`
 *   (recorded by the front door; an update without it is not folded). Conditions are dropped:
 *   only writes that succeeded are journaled, and the image already is their outcome.
 * - The folded entry is a PutItem (or DeleteItem) signed like the original, with `history`: the
 *   item's earlier versions and their times, which replay hands to point-in-time recovery, so
 *   restores to a time and backup snapshots read the same items as before. Versions superseded
 *   more than HISTORY_WINDOW_MS before `now` are dropped: nothing can read them.
 * - Only tables created by a CreateTable in the journal (their key schema known), named plainly
 *   (not by ARN), with entries that carry their acknowledgement time.
 * - A run in which no item was written twice is left as it is.
 */
export function foldItemWrites(entries: readonly JournalEntry[], now: number): JournalEntry[] {
  const cutoff = now - HISTORY_WINDOW_MS;
  const schemas = new Map<string, string[]>();
  const runs = new Map<string, TableRun>();
  const replaced = new Map<number, JournalEntry[]>();

  const flush = (tableKey: string): void => {
    const run = runs.get(tableKey);
    runs.delete(tableKey);
    if (!run || ![...run.keys.values()].some((k) => k.writes > 1)) return;
    const folded = (k: KeyRun) => k.writes > 1 || k.inBatch;
    const region = tableKey.slice(0, tableKey.indexOf('/'));
    // A batch is replaced whole; a single-item entry when its item is folded.
    for (const [index, keys] of run.entries) {
      if (entries[index].operation === 'BatchWriteItem' || keys.some((key) => folded(run.keys.get(key)!))) replaced.set(index, []);
    }
    for (const k of run.keys.values()) {
      if (!folded(k)) continue;
      const versions = pruneVersions(k.versions, cutoff);
      const final = versions[versions.length - 1];
      const base = entries[k.last];
      const operation = final.item ? 'PutItem' : 'DeleteItem';
      const body = final.item ? { TableName: run.name, Item: final.item } : { TableName: run.name, Key: k.keyAttributes };
      const headers: Record<string, string> = { ...base.headers, 'x-amz-target': `DynamoDB_20120810.${operation}` };
      delete headers['x-amz-content-sha256'];
      delete headers['content-md5'];
      const history = versions.slice(0, -1);
      replaced.get(k.last)!.push({
        seq: base.seq, service: 'dynamodb', region, operation, method: 'POST', url: base.url, headers,
        body: Buffer.from(JSON.stringify(body)).toString('base64'), at: final.at, ...(history.length > 0 ? { history } : {}),
      });
    }
  };

  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const body = bodyOf(entry);
    const input = entry.service === 'dynamodb' ? inputOf(entry) : undefined;
    const writes = input && entry.operation && FOLDABLE.has(entry.operation) ? itemWritesOf(entry, input, schemas) : undefined;
    if (writes) {
      const tableKey = `${entry.region}/${writes.table}`;
      let run = runs.get(tableKey);
      if (!run) runs.set(tableKey, (run = { name: writes.table, keys: new Map(), entries: new Map() }));
      run.entries.set(i, writes.writes.map((w) => w.key));
      for (const w of writes.writes) {
        const k = run.keys.get(w.key);
        if (k) {
          k.versions.push(...w.versions);
          k.last = i;
          k.writes += 1;
          k.inBatch ||= entry.operation === 'BatchWriteItem';
        } else {
          run.keys.set(w.key, { keyAttributes: w.keyAttributes, versions: [...w.versions], last: i, writes: 1, inBatch: entry.operation === 'BatchWriteItem' });
        }
      }
      continue;
    }
    // Anything else that names a table may read or reshape it: its run ends here.
    if (runs.size > 0) {
      const text = `${entry.url}\n${body}`;
      for (const [tableKey, run] of [...runs]) if (text.includes(run.name)) flush(tableKey);
    }
    if (entry.service === 'dynamodb' && input) {
      const table = tableName(input.TableName);
      if (entry.operation === 'CreateTable' && table && Array.isArray(input.KeySchema)) {
        const schema = input.KeySchema as Array<{ AttributeName?: unknown; KeyType?: unknown }>;
        const names = [...schema.filter((k) => k.KeyType === 'HASH'), ...schema.filter((k) => k.KeyType !== 'HASH')].map((k) => String(k.AttributeName));
        schemas.set(`${entry.region}/${table}`, names);
      } else if (entry.operation === 'DeleteTable' && table) {
        schemas.delete(`${entry.region}/${table}`);
      }
    }
  }
  for (const tableKey of [...runs.keys()]) flush(tableKey);
  if (replaced.size === 0) return [...entries];
  const out: JournalEntry[] = [];
  for (let i = 0; i < entries.length; i++) out.push(...(replaced.get(i) ?? [entries[i]]));
  return out;
}

/** Both passes: dead tables' writes dropped, then the live items' writes folded. */
export function compactJournal(entries: readonly JournalEntry[], now: number): { kept: JournalEntry[]; changed: boolean } {
  const { kept, dropped } = compactEntries(entries);
  const folded = foldItemWrites(kept, now);
  return { kept: folded, changed: dropped > 0 || folded.length !== kept.length || folded.some((e, i) => e !== kept[i]) };
}

/**
 * Rewrites the journal without the entries replay no longer needs. Crash-safe: the compacted copy
 * is written and synced beside the journal, then renamed over it, so either the old or the new
 * journal is whole. Leaves the file untouched when there is nothing to drop.
 */
export async function compactJournalFile(file: string, now = Date.now()): Promise<{ before: number; after: number }> {
  const entries = readJournal(file);
  const { kept, changed } = compactJournal(entries, now);
  if (!changed) return { before: entries.length, after: entries.length };
  const temp = `${file}.compact`;
  const handle = await fsp.open(temp, 'w');
  try {
    await handle.writeFile(kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  const dir = await fsp.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return { before: entries.length, after: kept.length };
}
