/**
 * Journal compaction, run at start before replay: drops DynamoDB item writes to a table that was
 * deleted later, when nothing in between could have read them. Such writes cannot change the
 * replayed state, yet every restore drill leaves thousands of them (the scratch table's items), so
 * without this a long-lived state dir starts slower with every drill.
 *
 * Deliberately narrow, because a wrong drop loses data silently:
 * - Only PutItem, UpdateItem, DeleteItem and BatchWriteItem are ever dropped (a batch only when
 *   every table it writes is dead). Control-plane entries are always kept: they carry the seeds
 *   that make generated ids repeat, and dropping any entry never shifts another entry's seed.
 * - A table's writes die only at its DeleteTable. Any kept entry in between whose request mentions
 *   the table's name (a backup, an export, a transaction, a re-created table of the same name)
 *   might have read those items, so writes before it stay.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readJournal, type JournalEntry } from './journal';

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** `orders` from `orders` or `arn:aws:dynamodb:…:table/orders`. */
function tableName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const slash = value.startsWith('arn:') ? value.indexOf(':table/') : -1;
  return slash >= 0 ? value.slice(slash + ':table/'.length) : value;
}

function bodyOf(entry: JournalEntry): string {
  return Buffer.from(entry.body, 'base64').toString('utf8');
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type Role =
  | { readonly kind: 'item-write'; readonly tables: readonly string[] }
  | { readonly kind: 'delete-table'; readonly table: string }
  | { readonly kind: 'other' };

function roleOf(entry: JournalEntry, body: string): Role {
  if (entry.service !== 'dynamodb' || !entry.operation) return { kind: 'other' };
  const input = parse(body);
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
    const role = roleOf(entry, body);
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

/**
 * Rewrites the journal without the entries replay no longer needs. Crash-safe: the compacted copy
 * is written and synced beside the journal, then renamed over it, so either the old or the new
 * journal is whole. Leaves the file untouched when there is nothing to drop.
 */
export async function compactJournalFile(file: string): Promise<{ before: number; after: number }> {
  const entries = readJournal(file);
  const { kept, dropped } = compactEntries(entries);
  if (dropped === 0) return { before: entries.length, after: entries.length };
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
