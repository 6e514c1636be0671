/** Scratch tables: unique names per run, tagging, and deletion that is confirmed, never assumed. */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { DRILL_TABLE_PREFIX, DRILL_TAG_KEY } from '../../core/contract';
import { poll, PollerOptions } from '../../core/poller';
import { describeError, isRetryable } from '../../core/aws/errors';
import { waitForTableDeleted } from '../../core/waiters';

export const RUN_ID_TAG_KEY = 'tablesafe:run-id';

/** `20261123t185227-3fa9c1`: sortable by time, unique across concurrent drills (random suffix). */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').toLowerCase();
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * `tablesafe-drill-<table>-<runid>` (the backup path), `tablesafe-drill-<table>-pitr-<runid>`,
 * `tablesafe-drill-<table>-dr-<runid>`: within DynamoDB's 255-character limit, ending in the run
 * id (the janitor recognizes an untagged leftover by it).
 */
export function scratchTableName(sourceTable: string, runId: string, path?: 'pitr' | 'dr'): string {
  const tail = path ? `-${path}-${runId}` : `-${runId}`;
  const room = 255 - DRILL_TABLE_PREFIX.length - tail.length;
  return `${DRILL_TABLE_PREFIX}${sourceTable.slice(0, room)}${tail}`;
}

export async function tagScratchTable(client: DynamoDBClient, tableArn: string, runId: string): Promise<void> {
  await client.send(new TagResourceCommand({ ResourceArn: tableArn, Tags: [{ Key: DRILL_TAG_KEY, Value: 'true' }, { Key: RUN_ID_TAG_KEY, Value: runId }] }));
}

const name = (e: unknown) => (e as Error)?.name ?? '';

export interface DeleteOutcome {
  readonly deleted: boolean;
  /** The table did not exist in the first place. */
  readonly absent: boolean;
  readonly message: string;
}

/**
 * Deletes a scratch table and waits until DescribeTable says ResourceNotFound. A table still
 * CREATING (ResourceInUse) is retried until it can be deleted. Never throws.
 */
export async function deleteScratchTable(client: DynamoDBClient, table: string, pollOptions: Omit<PollerOptions, 'signal'>): Promise<DeleteOutcome> {
  let absent = false;
  const requested = await poll<string>(async () => {
    try {
      await client.send(new DeleteTableCommand({ TableName: table }));
      return { state: 'SUCCESS' };
    } catch (e) {
      if (name(e) === 'ResourceNotFoundException') {
        absent = true;
        return { state: 'SUCCESS' };
      }
      if (name(e) === 'ResourceInUseException' || isRetryable(e)) return { state: 'RETRY', reason: describeError(e) };
      return { state: 'FAILURE', reason: describeError(e) };
    }
  }, pollOptions);
  if (requested.state !== 'SUCCESS') return { deleted: false, absent: false, message: `DeleteTable ${table} did not succeed: ${requested.reason}` };
  if (absent) return { deleted: true, absent: true, message: `${table} does not exist` };
  const gone = await waitForTableDeleted(client, table, pollOptions);
  return gone.state === 'SUCCESS'
    ? { deleted: true, absent: false, message: `${table} deleted; DescribeTable returns ResourceNotFound` }
    : { deleted: false, absent: false, message: `${table} still present after DeleteTable: ${gone.reason}` };
}

export interface ScratchTable {
  readonly table: string;
  readonly region: string;
  readonly client: DynamoDBClient;
}

export interface ScratchCleanup extends ScratchTable {
  readonly outcome: DeleteOutcome;
}

/**
 * Every scratch table a drill may have created, in any region, registered before the call that
 * creates it (a restore that times out may still create its table): all are deleted, in
 * parallel, and confirmed gone at the end, whatever happened.
 */
export class ScratchTables {
  private readonly tables: ScratchTable[] = [];

  add(table: string, region: string, client: DynamoDBClient): void {
    if (!this.tables.some((t) => t.table === table && t.region === region)) this.tables.push({ table, region, client });
  }

  get size(): number {
    return this.tables.length;
  }

  /** Deletes every registered table and waits until each is gone. Never throws. */
  deleteAll(pollOptions: Omit<PollerOptions, 'signal'>): Promise<ScratchCleanup[]> {
    return Promise.all(this.tables.map(async (t) => ({ ...t, outcome: await deleteScratchTable(t.client, t.table, pollOptions) })));
  }
}
