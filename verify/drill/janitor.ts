/**
 * `tablesafe janitor`: deletes scratch tables a drill left behind, older than a limit. A leftover
 * is a `tablesafe-drill-*` table tagged tablesafe:drill=true, or an untagged one whose name ends in
 * a drill run id: a restore that completed only after its drill gave up (deadline, Ctrl-C) creates
 * the table when no drill is left to tag it.
 */
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand, type TableDescription, type Tag } from '@aws-sdk/client-dynamodb';
import { DRILL_TABLE_PREFIX, DRILL_TAG_KEY } from '../../core/contract';
import type { PollerOptions } from '../../core/poller';
import { deleteScratchTable } from './scratch';

/** The `-<runid>` suffix of scratch table names (see newRunId). */
export const RUN_ID_SUFFIX = /-\d{8}t\d{6}-[0-9a-f]{6}$/;

export interface JanitorResult {
  /** Scratch tables deleted. */
  readonly deleted: string[];
  /** `tablesafe-drill-*` tables left alone, each with why (too young, not a drill's). */
  readonly kept: { table: string; reason: string }[];
  /** Tables whose deletion failed, with the error. */
  readonly failed: { table: string; reason: string }[];
}

/** `42 s`, `12 min`, `2 h`, `1.5 h`, `3 d`. */
export function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${Number((ms / 3_600_000).toFixed(1))} h`;
  return `${Number((ms / 86_400_000).toFixed(1))} d`;
}

/**
 * What the janitor did, for a terminal: a summary line, then one line per table deleted, kept (with
 * why) or failed (with the error). No trailing newline.
 *
 *   janitor: deleted 1, kept 2, failed 0
 *     deleted  tablesafe-drill-orders-20261123t080000-aaaaaa
 *     kept     tablesafe-drill-orders-20261123t115900-bbbbbb: created 1 min ago, younger than the 2 h limit (--older-than)
 *     kept     tablesafe-drill-something: no tablesafe:drill=true tag and no drill run id in its name
 */
export function formatJanitorResult(result: JanitorResult): string {
  return [
    `janitor: deleted ${result.deleted.length}, kept ${result.kept.length}, failed ${result.failed.length}`,
    ...result.deleted.map((t) => `  deleted  ${t}`),
    ...result.kept.map((k) => `  kept     ${k.table}: ${k.reason}`),
    ...result.failed.map((f) => `  failed   ${f.table}: ${f.reason}`),
  ].join('\n');
}

export async function runJanitor(client: DynamoDBClient, olderThanMs: number, now: Date, pollOptions: Omit<PollerOptions, 'signal'>, log: (l: string) => void = () => undefined): Promise<JanitorResult> {
  const result: JanitorResult = { deleted: [], kept: [], failed: [] };
  let start: string | undefined;
  const candidates: string[] = [];
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    candidates.push(...(page.TableNames ?? []).filter((n) => n.startsWith(DRILL_TABLE_PREFIX)));
    start = page.LastEvaluatedTableName;
  } while (start);
  for (const table of candidates) {
    let t: TableDescription | undefined;
    let tags: Tag[];
    try {
      t = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
      tags = (await client.send(new ListTagsOfResourceCommand({ ResourceArn: t?.TableArn }))).Tags ?? [];
    } catch (e) {
      // Deleted since it was listed (its own drill's cleanup, another janitor): nothing to do.
      if ((e as Error).name === 'ResourceNotFoundException') continue;
      throw e;
    }
    if (!tags.some((x) => x.Key === DRILL_TAG_KEY && x.Value === 'true') && !RUN_ID_SUFFIX.test(table)) {
      result.kept.push({ table, reason: `no ${DRILL_TAG_KEY}=true tag and no drill run id in its name` });
      continue;
    }
    const age = now.getTime() - (t?.CreationDateTime?.getTime() ?? now.getTime());
    if (age < olderThanMs) {
      result.kept.push({ table, reason: `created ${formatAge(age)} ago, younger than the ${formatAge(olderThanMs)} limit (--older-than)` });
      continue;
    }
    const out = await deleteScratchTable(client, table, pollOptions);
    if (out.deleted) result.deleted.push(table);
    else result.failed.push({ table, reason: out.message });
    log(out.message);
  }
  return result;
}

