/**
 * DynamoDB point-in-time recovery as AWS defines it, which moto lacks (its
 * RestoreTableToPointInTime copies the table as it is now, and its restorable window never moves).
 *
 * The front door shows this module every DynamoDB write it acknowledged, with the time it was
 * acknowledged (journal replay passes the time each entry was first acknowledged), and it keeps
 * every table's item history: for each key, the versions and when they became true (after-images:
 * PutItem and BatchWriteItem carry them, DeleteItem ends one, UpdateItem and a transaction's
 * Update are read back right after the write, inside its write order). From that history:
 *
 * - `RestoreTableToPointInTime` creates the target (the source's keys, indexes, billing mode and
 *   SSE key unless overridden), answers CREATING like AWS and fills it in the background with the
 *   table as it was at RestoreDateTime; until then DescribeTable says CREATING, data calls answer
 *   ResourceNotFoundException and DeleteTable ResourceInUseException.
 * - `DescribeContinuousBackups` reports the window truthfully: EarliestRestorableDateTime is when
 *   PITR was enabled (or the recovery period ago, or the table's creation, whichever is latest),
 *   LatestRestorableDateTime trails now by AWS's five minutes divided by the time scale. A time
 *   outside it is InvalidRestoreTimeException, PITR off is PointInTimeRecoveryUnavailableException.
 * - `tableAt` gives the sandbox's AWS Backup the table as it was when a backup job was created,
 *   so a recovery point holds the table at its CreationDate, as on AWS.
 *
 * Writes the history cannot follow item by item (PartiQL, moto's own RestoreTableFromBackup) are
 * caught up by scanning the table right after them.
 */
import { tableNameProblem } from './fixes';
import type { AwsError } from './protocol';
import type { DynamoDbCaller } from './types';
import { createTableInput, writeItems } from './backup/jobs/dynamodb';
import { TableExports } from './exports';

type Json = Record<string, unknown>;

const DAY = 86_400_000;
/** How far AWS's LatestRestorableDateTime trails the current time. */
export const AWS_PITR_LAG_MS = 5 * 60_000;
/** Default recovery period of a table's point-in-time recovery. */
export const DEFAULT_RECOVERY_PERIOD_DAYS = 35;
/** Simulated restore time at time scale 1, like the Backup service's restore jobs. */
export const PITR_DURATIONS = { base: 4000, perItem: 3 };

/** The part of a classified call this module reads. */
export interface PitrCall {
  readonly region: string;
  readonly operation?: string;
  readonly request: { readonly body: Buffer };
}

export type PitrAnswer = { readonly error: AwsError } | { readonly json: Json; readonly headers?: Readonly<Record<string, string>> };

/** A buffered answer from moto: status and body. */
export interface MotoAnswer {
  readonly status: number;
  readonly body: Buffer;
}

/** What the fault registry offers this module. */
export interface PitrFaultSource {
  /** Items the next point-in-time restore in `region` silently drops (0 or undefined: none). */
  takePitrCorruption(region: string): number | undefined;
}

export interface PitrOptions {
  /** Epoch milliseconds; the clock the Backup service uses too. @default Date.now */
  readonly now?: () => number;
  /** Restore durations are divided by this. @default 1 */
  readonly timeScale?: number;
  /** How far LatestRestorableDateTime trails now. @default AWS_PITR_LAG_MS / timeScale */
  readonly lagMs?: number;
  readonly faults?: PitrFaultSource;
  readonly log?: (line: string) => void;
}

interface Version {
  readonly at: number;
  /** JSON of the item; undefined once deleted. */
  readonly item: string | undefined;
}

interface History {
  readonly createdAt: number;
  readonly keyNames: readonly string[];
  readonly versions: Map<string, Version[]>;
  pitr?: { enabledAt: number; periodDays: number };
  restoreSummary?: { SourceTableArn: string; RestoreDateTime: number };
}

const parse = (body: Buffer | undefined): Json => {
  if (!body || body.length === 0) return {};
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
};

const tableKey = (region: string, table: string) => `${region}/${table}`;
/** Key attribute names, partition key first. */
const keyNamesOf = (schema: ReadonlyArray<{ AttributeName: string; KeyType: string }>): string[] =>
  [...schema.filter((k) => k.KeyType === 'HASH'), ...schema.filter((k) => k.KeyType !== 'HASH')].map((k) => k.AttributeName);
const tableNameOf = (nameOrArn: string): string => /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
const sec = (ms: number) => ms / 1000;

/** Tables a PartiQL statement writes (INSERT INTO t, UPDATE t, DELETE FROM t). */
export function partiqlTables(statement: string): string[] {
  return [...statement.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_.-]+)"?/gi)].map((m) => m[1]);
}

const DATA_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems', 'UpdateTable', 'UpdateTimeToLive', 'UpdateContinuousBackups']);

export class PointInTime {
  private readonly histories = new Map<string, History>();
  /** Targets of point-in-time restores still being filled. */
  private readonly restoring = new Set<string>();
  /** Tables a point-in-time restore created (DescribeTable shows their RestoreSummary). */
  private readonly restored = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** Pending sleeps, woken early by close(). */
  private readonly sleeps = new Set<() => void>();
  private dynamodb?: DynamoDbCaller;
  /** Exports to S3 read the same history (sandbox/exports.ts). */
  private exports?: TableExports;
  private closed = false;
  private readonly now: () => number;
  private readonly timeScale: number;
  private readonly lagMs: number;

  constructor(private readonly o: PitrOptions = {}) {
    this.now = o.now ?? Date.now;
    this.timeScale = o.timeScale ?? 1;
    this.lagMs = o.lagMs ?? AWS_PITR_LAG_MS / this.timeScale;
  }

  /** The front door's journaled line to moto's DynamoDB (restores create and fill tables through it). */
  attach(dynamodb: DynamoDbCaller): void {
    this.dynamodb = dynamodb;
  }

  /** Answers ExportTableToPointInTime, DescribeExport and ListExports from now on. */
  attachExports(exports: TableExports): void {
    this.exports = exports;
  }

  private get ddb(): DynamoDbCaller {
    if (!this.dynamodb) throw new Error('point-in-time recovery is not attached to the front door');
    return this.dynamodb;
  }

  /** The acknowledgement time of a write that is happening now. */
  clock(): number {
    return this.now();
  }

  // --- history ------------------------------------------------------------------------------

  /**
   * Records an acknowledged DynamoDB write. `responseBody` is moto's answer when it was buffered
   * (BatchWriteItem's UnprocessedItems are left out). Never throws: history is best effort for
   * the client whose write already succeeded, and a gap is logged.
   */
  async observe(call: PitrCall, responseBody: Buffer | undefined, at: number): Promise<{ after?: Json | null }> {
    try {
      return (await this.record(call, responseBody, at)) ?? {};
    } catch (e) {
      this.o.log?.(`sandbox: point-in-time history of ${call.operation} in ${call.region} not recorded: ${(e as Error).message}`);
      return {};
    }
  }

  /**
   * Earlier versions of one item, carried by a compacted journal entry (sandbox/compact.ts): replay
   * adds them before the entry's own write, so the history reads as if every write were replayed.
   */
  async addVersions(region: string, table: string, key: Json, versions: ReadonlyArray<{ at: number; item: Json | null }>): Promise<void> {
    if (versions.length === 0) return;
    try {
      const h = await this.history(region, table, versions[0].at);
      const itemKey = this.keyOf(h, key);
      for (const v of versions) this.add(h, itemKey, { at: v.at, item: v.item ? JSON.stringify(v.item) : undefined });
    } catch (e) {
      // Like observe(): history is best effort, and a table replay could not re-create must not stop the start.
      this.o.log?.(`sandbox: point-in-time history of ${region}/${table} not restored from the journal: ${(e as Error).message}`);
    }
  }

  /** Records the write; an UpdateItem answers the item it left (journaled, so compaction can fold it). */
  private async record(call: PitrCall, responseBody: Buffer | undefined, at: number): Promise<{ after: Json | null } | undefined> {
    const input = parse(call.request.body);
    const region = call.region;
    switch (call.operation) {
      case 'CreateTable': {
        const keyNames = keyNamesOf((input.KeySchema as Array<{ AttributeName: string; KeyType: string }> | undefined) ?? []);
        this.histories.set(tableKey(region, String(input.TableName)), { createdAt: at, keyNames, versions: new Map() });
        return;
      }
      case 'DeleteTable': {
        const key = tableKey(region, tableNameOf(String(input.TableName)));
        this.histories.delete(key);
        this.restored.delete(key);
        return;
      }
      case 'UpdateContinuousBackups': {
        const h = await this.history(region, tableNameOf(String(input.TableName)), at);
        const spec = (input.PointInTimeRecoverySpecification ?? {}) as Json;
        if (spec.PointInTimeRecoveryEnabled === true) {
          const periodDays = typeof spec.RecoveryPeriodInDays === 'number' ? spec.RecoveryPeriodInDays : h.pitr?.periodDays ?? DEFAULT_RECOVERY_PERIOD_DAYS;
          h.pitr = { enabledAt: h.pitr?.enabledAt ?? at, periodDays };
        } else if (spec.PointInTimeRecoveryEnabled === false) h.pitr = undefined;
        return;
      }
      case 'PutItem':
        await this.put(region, String(input.TableName), input.Item as Json, at);
        return;
      case 'DeleteItem':
        await this.remove(region, String(input.TableName), input.Key as Json, at);
        return;
      case 'UpdateItem':
        return { after: (await this.readBack(region, String(input.TableName), input.Key as Json, at)) ?? null };
      case 'BatchWriteItem': {
        const unprocessed = (parse(responseBody).UnprocessedItems ?? {}) as Record<string, Json[]>;
        for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, Json[]>)) {
          const skipped = new Set((unprocessed[table] ?? []).map((r) => JSON.stringify(r)));
          for (const r of requests) {
            if (skipped.has(JSON.stringify(r))) continue;
            const put = r.PutRequest as Json | undefined;
            const del = r.DeleteRequest as Json | undefined;
            if (put) await this.put(region, table, put.Item as Json, at);
            else if (del) await this.remove(region, table, del.Key as Json, at);
          }
        }
        return;
      }
      case 'TransactWriteItems':
        for (const t of (input.TransactItems ?? []) as Json[]) {
          const put = t.Put as Json | undefined;
          const del = t.Delete as Json | undefined;
          const upd = t.Update as Json | undefined;
          if (put) await this.put(region, String(put.TableName), put.Item as Json, at);
          else if (del) await this.remove(region, String(del.TableName), del.Key as Json, at);
          else if (upd) await this.readBack(region, String(upd.TableName), upd.Key as Json, at);
        }
        return;
      case 'ExecuteStatement':
        for (const t of partiqlTables(String(input.Statement ?? ''))) await this.catchUp(region, t, at);
        return;
      case 'BatchExecuteStatement':
      case 'ExecuteTransaction': {
        const statements = ((input.Statements ?? input.TransactStatements ?? []) as Json[]).map((s) => String(s.Statement ?? ''));
        for (const t of new Set(statements.flatMap(partiqlTables))) await this.catchUp(region, t, at);
        return;
      }
      case 'RestoreTableFromBackup': {
        const target = String(input.TargetTableName);
        this.histories.delete(tableKey(region, target));
        await this.catchUp(region, target, at);
        return;
      }
      default:
        return;
    }
  }

  /** The table's history, created from DescribeTable when the table predates it. */
  private async history(region: string, table: string, at: number): Promise<History> {
    const existing = this.histories.get(tableKey(region, table));
    if (existing) return existing;
    const described = ((await this.ddb(region, 'DescribeTable', { TableName: table })).Table ?? {}) as Json;
    const keyNames = keyNamesOf((described.KeySchema as Array<{ AttributeName: string; KeyType: string }> | undefined) ?? []);
    const h: History = { createdAt: at, keyNames, versions: new Map() };
    this.histories.set(tableKey(region, table), h);
    return h;
  }

  private keyOf(h: History, item: Json | undefined): string {
    return JSON.stringify(h.keyNames.map((k) => item?.[k] ?? null));
  }

  private add(h: History, key: string, v: Version): void {
    const list = h.versions.get(key);
    if (list) list.push(v);
    else h.versions.set(key, [v]);
  }

  private async put(region: string, table: string, item: Json | undefined, at: number): Promise<void> {
    if (!item) return;
    const h = await this.history(region, table, at);
    this.add(h, this.keyOf(h, item), { at, item: JSON.stringify(item) });
  }

  private async remove(region: string, table: string, key: Json | undefined, at: number): Promise<void> {
    if (!key) return;
    const h = await this.history(region, table, at);
    this.add(h, this.keyOf(h, key), { at, item: undefined });
  }

  /** The item as it is right after an update (the caller still holds the write's order). */
  private async readBack(region: string, table: string, key: Json | undefined, at: number): Promise<Json | undefined> {
    if (!key) return undefined;
    const h = await this.history(region, table, at);
    const out = await this.ddb(region, 'GetItem', { TableName: table, Key: key, ConsistentRead: true });
    const item = out.Item as Json | undefined;
    this.add(h, this.keyOf(h, key), { at, item: item ? JSON.stringify(item) : undefined });
    return item;
  }

  /** Records the table's current contents as of `at`, for writes the history cannot follow. */
  private async catchUp(region: string, table: string, at: number): Promise<void> {
    const h = await this.history(region, table, at);
    const current = new Map<string, string>();
    let start: unknown;
    do {
      const page = await this.ddb(region, 'Scan', { TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) });
      for (const item of (page.Items as Json[] | undefined) ?? []) current.set(this.keyOf(h, item), JSON.stringify(item));
      start = page.LastEvaluatedKey;
    } while (start && Object.keys(start as Json).length > 0);
    for (const [key, list] of h.versions) {
      const last = list[list.length - 1];
      if (last.item !== undefined && !current.has(key)) list.push({ at, item: undefined });
    }
    for (const [key, item] of current) {
      const list = h.versions.get(key);
      if (list?.[list.length - 1]?.item !== item) this.add(h, key, { at, item });
    }
  }

  /** Every item of the table as it was at `at` (epoch ms), in key order; undefined when the table had no history then. */
  itemsAt(region: string, table: string, at: number): Json[] | undefined {
    const h = this.histories.get(tableKey(region, table));
    if (!h || at < h.createdAt) return undefined;
    const items: Json[] = [];
    for (const key of [...h.versions.keys()].sort()) {
      let found: Version | undefined;
      for (const v of h.versions.get(key)!) {
        if (v.at <= at) found = v;
        else break;
      }
      if (found?.item !== undefined) items.push(JSON.parse(found.item) as Json);
    }
    return items;
  }

  /** The table (its current description, its items at `at`), for a backup job created at `at`. */
  async tableAt(region: string, table: string, at: number): Promise<{ table: Json; items: Json[] } | undefined> {
    const items = this.itemsAt(region, table, at);
    if (!items) return undefined;
    const described = ((await this.ddb(region, 'DescribeTable', { TableName: table })).Table ?? {}) as Json;
    return { table: described, items };
  }

  /** The restorable window of a table with PITR on, in epoch ms. */
  window(region: string, table: string): { earliest: number; latest: number } | undefined {
    const h = this.histories.get(tableKey(region, table));
    if (!h?.pitr) return undefined;
    const now = this.now();
    return { earliest: Math.max(h.pitr.enabledAt, h.createdAt, now - h.pitr.periodDays * DAY), latest: now - this.lagMs };
  }

  // --- requests -----------------------------------------------------------------------------

  /**
   * Answers the DynamoDB calls this module owns; undefined lets the front door go on as usual.
   * `forward` asks moto (through the fixes) without journaling.
   */
  async handle(call: PitrCall, forward: () => Promise<MotoAnswer>): Promise<PitrAnswer | undefined> {
    const op = call.operation ?? '';
    // Most calls concern no restore: answer them without reading their body.
    const exporting = this.exports !== undefined && TableExports.OPERATIONS.has(op);
    const owned = op === 'RestoreTableToPointInTime' || op === 'DescribeContinuousBackups' || exporting;
    if (!owned && this.restoring.size === 0 && (op !== 'DescribeTable' || this.restored.size === 0)) return undefined;
    const input = parse(call.request.body);
    if (exporting) return this.exports!.handle(op, input);
    if (op === 'RestoreTableToPointInTime') return this.restore(call.region, input);
    if (op === 'DescribeContinuousBackups') return this.describeContinuousBackups(call.region, input, forward);
    const named = typeof input.TableName === 'string' ? tableNameOf(input.TableName) : undefined;
    if (op === 'DescribeTable' && named) return this.describeTable(call.region, named, forward);
    const touched = [named, ...Object.keys((input.RequestItems ?? {}) as Json), ...((input.TransactItems ?? []) as Json[]).flatMap((t) => Object.values(t).map((x) => (x as Json)?.TableName as string | undefined))]
      .filter((t): t is string => typeof t === 'string')
      .map(tableNameOf);
    const busy = touched.find((t) => this.restoring.has(tableKey(call.region, t)));
    if (!busy) return undefined;
    if (op === 'DeleteTable') return { error: { code: 'ResourceInUseException', message: `Attempt to change a resource which is still in use: Table is being restored: ${busy}` } };
    if (DATA_OPERATIONS.has(op)) return { error: { code: 'ResourceNotFoundException', message: `Requested resource not found: Table: ${busy} is being restored` } };
    return undefined;
  }

  private async describeContinuousBackups(region: string, input: Json, forward: () => Promise<MotoAnswer>): Promise<PitrAnswer | undefined> {
    const res = await forward();
    if (res.status !== 200) return undefined;
    const body = parse(res.body);
    const d = ((body.ContinuousBackupsDescription as Json | undefined)?.PointInTimeRecoveryDescription ?? undefined) as Json | undefined;
    const w = this.window(region, tableNameOf(String(input.TableName)));
    if (!d || d.PointInTimeRecoveryStatus !== 'ENABLED' || !w) return { json: body };
    d.EarliestRestorableDateTime = sec(w.earliest);
    d.LatestRestorableDateTime = sec(Math.max(w.earliest, w.latest));
    return { json: body };
  }

  private async describeTable(region: string, table: string, forward: () => Promise<MotoAnswer>): Promise<PitrAnswer | undefined> {
    const key = tableKey(region, table);
    const h = this.histories.get(key);
    if (!this.restoring.has(key) && !h?.restoreSummary) return undefined;
    const res = await forward();
    if (res.status !== 200) return undefined;
    const body = parse(res.body);
    const t = body.Table as Json | undefined;
    if (t) {
      if (this.restoring.has(key)) t.TableStatus = 'CREATING';
      if (h?.restoreSummary) t.RestoreSummary = { ...h.restoreSummary, RestoreInProgress: this.restoring.has(key) };
    }
    return { json: body };
  }

  private async restore(region: string, input: Json): Promise<PitrAnswer> {
    const bad = (message: string): PitrAnswer => ({ error: { code: 'ValidationException', message } });
    const target = input.TargetTableName;
    if (typeof target !== 'string') return bad("1 validation error detected: Value null at 'targetTableName' failed to satisfy constraint: Member must not be null");
    const nameProblem = tableNameProblem(target);
    if (nameProblem) return bad(nameProblem.replace("'tableName'", "'targetTableName'"));
    const sourceName = typeof input.SourceTableArn === 'string' ? tableNameOf(input.SourceTableArn) : typeof input.SourceTableName === 'string' ? input.SourceTableName : undefined;
    if (!sourceName) return bad('Either SourceTableArn or SourceTableName must be provided');
    const hasTime = input.RestoreDateTime !== undefined;
    const useLatest = input.UseLatestRestorableTime === true;
    if (hasTime && useLatest) return bad('Only one of RestoreDateTime or UseLatestRestorableTime can be provided');
    if (!hasTime && !useLatest) return bad('Either RestoreDateTime or UseLatestRestorableTime must be provided');
    if (hasTime && typeof input.RestoreDateTime !== 'number') return bad('RestoreDateTime must be a timestamp');

    let source: Json;
    try {
      source = ((await this.ddb(region, 'DescribeTable', { TableName: sourceName })).Table ?? {}) as Json;
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return { error: { code: 'SourceTableNotFoundException', message: `Source table not found: ${sourceName}` } };
      throw e;
    }
    const targetKey = tableKey(region, target);
    if (this.restoring.has(targetKey)) return { error: { code: 'TableAlreadyExistsException', message: `Table already exists: ${target}` } };
    try {
      await this.ddb(region, 'DescribeTable', { TableName: target });
      return { error: { code: 'TableAlreadyExistsException', message: `Table already exists: ${target}` } };
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    const w = this.window(region, sourceName);
    if (!w) return { error: { code: 'PointInTimeRecoveryUnavailableException', message: `Point in time recovery is not enabled for table '${sourceName}'` } };
    const latest = Math.max(w.earliest, w.latest);
    const time = useLatest ? latest : Math.round((input.RestoreDateTime as number) * 1000);
    if (time < w.earliest || time > latest) {
      return {
        error: {
          code: 'InvalidRestoreTimeException',
          message: `Invalid RestoreDateTime ${new Date(time).toISOString()}: it must be between the EarliestRestorableDateTime ${new Date(w.earliest).toISOString()} and the LatestRestorableDateTime ${new Date(latest).toISOString()} of table ${sourceName}`,
        },
      };
    }
    const items = this.itemsAt(region, sourceName, time) ?? [];
    const created = await this.ddb(region, 'CreateTable', this.targetTable(source, target, input));
    const description = (created.TableDescription ?? {}) as Json;
    const summary = { SourceTableArn: String(source.TableArn ?? ''), RestoreDateTime: sec(time) };
    const h = this.histories.get(targetKey);
    if (h) h.restoreSummary = summary;
    this.restoring.add(targetKey);
    this.restored.add(targetKey);
    const drop = Math.min(this.o.faults?.takePitrCorruption(region) ?? 0, items.length);
    // Silent corruption drops items from the end of key order; the restore still completes.
    const fill = this.fill(region, target, drop > 0 ? items.slice(0, items.length - drop) : items);
    this.running.add(fill);
    void fill.finally(() => this.running.delete(fill));
    return { json: { TableDescription: { ...description, TableStatus: 'CREATING', RestoreSummary: { ...summary, RestoreInProgress: true } } } };
  }

  /** CreateTable input of a restore target: the source's design, overridden where the request says. */
  private targetTable(source: Json, target: string, input: Json): Json {
    const sse = source.SSEDescription as Json | undefined;
    const sourceKey = sse?.Status === 'ENABLED' && typeof sse.KMSMasterKeyArn === 'string' ? sse.KMSMasterKeyArn : undefined;
    const base = createTableInput(source, target, sourceKey ? { encryptionType: 'KMS', kmsMasterKeyArn: sourceKey } : { encryptionType: 'Default' });
    const out: Json = { ...base };
    if (typeof input.BillingModeOverride === 'string') {
      out.BillingMode = input.BillingModeOverride;
      if (input.BillingModeOverride === 'PAY_PER_REQUEST') delete out.ProvisionedThroughput;
    }
    if (input.ProvisionedThroughputOverride) out.ProvisionedThroughput = input.ProvisionedThroughputOverride;
    if (Array.isArray(input.GlobalSecondaryIndexOverride)) {
      if (input.GlobalSecondaryIndexOverride.length) out.GlobalSecondaryIndexes = input.GlobalSecondaryIndexOverride;
      else delete out.GlobalSecondaryIndexes;
    }
    if (Array.isArray(input.LocalSecondaryIndexOverride)) {
      if (input.LocalSecondaryIndexOverride.length) out.LocalSecondaryIndexes = input.LocalSecondaryIndexOverride;
      else delete out.LocalSecondaryIndexes;
    }
    const override = input.SSESpecificationOverride as Json | undefined;
    if (override) {
      if (override.Enabled === false) delete out.SSESpecification;
      else out.SSESpecification = { Enabled: true, SSEType: override.SSEType ?? 'KMS', ...(override.KMSMasterKeyId ? { KMSMasterKeyId: override.KMSMasterKeyId } : {}) };
    }
    return out;
  }

  private async fill(region: string, target: string, items: Json[]): Promise<void> {
    const key = tableKey(region, target);
    const started = Date.now();
    try {
      await writeItems(this.ddb, region, target, items, () => undefined, (ms) => this.sleep(ms));
      const remaining = (PITR_DURATIONS.base + PITR_DURATIONS.perItem * items.length) / this.timeScale - (Date.now() - started);
      if (remaining > 0) await this.sleep(remaining);
    } catch (e) {
      this.o.log?.(`sandbox: point-in-time restore into ${target} stopped: ${(e as Error).message}`);
    } finally {
      this.restoring.delete(key);
    }
  }

  /** A timer close() cuts short. */
  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeps.add(wake);
    });
  }

  /** Stops waiting and lets restores still filling their tables finish their writes. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.sleeps]) wake();
    await Promise.allSettled([...this.running]);
  }
}
