/**
 * `tablesafe janitor`: deletes scratch tables a drill left behind, older than a limit. A leftover
 * is a `tablesafe-drill-*` table tagged tablesafe:drill=true, or an untagged one whose name ends in
 * a drill run id: a restore that completed only after its drill gave up (deadline, Ctrl-C) creates
 * the table when no drill is left to tag it.
 */
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { DRILL_TABLE_PREFIX, DRILL_TAG_KEY } from '../../core/contract';
import { invalidInput } from '../../core/errors';
import type { PollerOptions } from '../../core/poller';
import { deleteScratchTable } from './scratch';

/** The `-<runid>` suffix of scratch table names (see newRunId). */
export const RUN_ID_SUFFIX = /-\d{8}t\d{6}-[0-9a-f]{6}$/;

export interface JanitorResult {
  readonly deleted: string[];
  readonly kept: { table: string; reason: string }[];
  readonly failed: { table: string; reason: string }[];
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
    const t = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
    const tags = (await client.send(new ListTagsOfResourceCommand({ ResourceArn: t?.TableArn }))).Tags ?? [];
    if (!tags.some((x) => x.Key === DRILL_TAG_KEY && x.Value === 'true') && !RUN_ID_SUFFIX.test(table)) {
      result.kept.push({ table, reason: `no ${DRILL_TAG_KEY}=true tag and no drill run id in its name` });
      continue;
    }
    const age = now.getTime() - (t?.CreationDateTime?.getTime() ?? now.getTime());
    if (age < olderThanMs) {
      result.kept.push({ table, reason: `${Math.round(age / 60_000)} min old, younger than the limit` });
      continue;
    }
    const out = await deleteScratchTable(client, table, pollOptions);
    if (out.deleted) result.deleted.push(table);
    else result.failed.push({ table, reason: out.message });
    log(out.message);
  }
  return result;
}

/** `2h`, `90m`, `30s`, `1d` or plain minutes → ms; TS_E_INVALID_INPUT naming `field` otherwise. */
export function parseDuration(value: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) throw invalidInput(field, value, 'use a duration such as 90s, 30m, 2h or 1d');
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'm') as 'ms' | 's' | 'm' | 'h' | 'd'];
  if (!(n > 0)) throw invalidInput(field, value, 'must be greater than zero');
  return n * unit;
}
