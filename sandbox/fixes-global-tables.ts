/**
 * DynamoDB global tables, version 2019.11.21. moto accepts UpdateTable's ReplicaUpdates and does
 * nothing, so a replica "exists" nowhere. Here:
 *
 * - `UpdateTable{ReplicaUpdates:[{Create}]}` creates the table in the target region with the same
 *   keys, indexes, billing mode, table class and streams, encrypted with the replica's own
 *   `KMSMasterKeyId` when given (it must exist and be enabled in that region; a table under a
 *   customer managed key needs one for every replica, as AWS requires), and copies the items in.
 *   `Delete` deletes the replica's table; `Update` changes its key.
 * - `DescribeTable` (and every TableDescription) in any of the regions lists the *other* regions
 *   under `Replicas` with `ReplicaStatus` CREATING → ACTIVE (DELETING while one goes), and
 *   `GlobalTableVersion` 2019.11.21; the table reports UPDATING while a replica changes.
 * - A successful item write in any replica region (PutItem, UpdateItem, DeleteItem,
 *   BatchWriteItem, TransactWriteItems) is replicated to every other replica after the writer is
 *   answered, as the item's resulting image, last writer wins: each write takes a stamp, and a
 *   replica's copy of an item only takes a replicated image with a later stamp than its own.
 *
 * Replicas are rebuilt on replay: the journaled UpdateTable and writes run through these fixes
 * again, in journal order.
 */
import { createTableInput } from './backup/jobs/dynamodb';
import { jsonError, jsonResponse, motoJson, parseJson, rewriteJson, validationError, type Fix, type FixContext, type GlobalTable, type Json, type Replica } from './fix-kit';
import type { BufferedResponse } from './forward';

export const GLOBAL_TABLE_VERSION = '2019.11.21';
/** How long a new replica reports CREATING, and a deleted one DELETING. */
export const REPLICA_TRANSITION_MS = 1500;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const tableNameOf = (v: unknown): string => {
  const s = String(v ?? '');
  return /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(s)?.[1] ?? s;
};

/** Moves CREATING replicas whose time has come to ACTIVE and forgets DELETING ones that are gone. */
function settle(group: GlobalTable, now = Date.now()): void {
  for (const [region, r] of group.replicas) {
    if (now < r.until) continue;
    if (r.status === 'CREATING') r.status = 'ACTIVE';
    else if (r.status === 'DELETING') group.replicas.delete(region);
  }
}

/** The group `region` belongs to for this table, if any. */
function groupOf(ctx: FixContext, table: string, region = ctx.region): GlobalTable | undefined {
  const group = ctx.state.globalTables.get(table);
  if (!group) return undefined;
  settle(group);
  const own = group.replicas.get(region);
  return own && own.status !== 'DELETING' ? group : undefined;
}

/** Adds Replicas, GlobalTableVersion and the in-progress status to a table description. */
function decorate(ctx: FixContext, table: Json | undefined): void {
  if (!table) return;
  const group = groupOf(ctx, String(table.TableName ?? ''));
  if (!group) return;
  const others = [...group.replicas.values()].filter((r) => r.region !== ctx.region);
  if (others.length === 0) return;
  table.GlobalTableVersion = GLOBAL_TABLE_VERSION;
  table.Replicas = others.map((r) => ({
    RegionName: r.region,
    ReplicaStatus: r.status,
    ...(r.kmsKeyArn ? { KMSMasterKeyId: r.kmsKeyArn } : {}),
    ...(table.TableClassSummary ? { ReplicaTableClassSummary: table.TableClassSummary } : {}),
  }));
  const own = group.replicas.get(ctx.region)!;
  if (own.status === 'CREATING') table.TableStatus = 'CREATING';
  else if (table.TableStatus === 'ACTIVE' && others.some((r) => r.status !== 'ACTIVE')) table.TableStatus = 'UPDATING';
}

function decorated(ctx: FixContext, res: BufferedResponse): BufferedResponse {
  if (res.status !== 200 || ctx.state.globalTables.size === 0) return res;
  const body = parseJson(res.body);
  const table = (body.Table ?? body.TableDescription) as Json | undefined;
  if (!table || !groupOf(ctx, String(table.TableName ?? ''))) return res;
  decorate(ctx, table);
  return rewriteJson(res, body);
}

/** The customer managed key a table is encrypted with, by ARN (undefined: AWS owned or managed key). */
async function customerKeyOf(ctx: FixContext, table: Json, region: string): Promise<string | undefined> {
  const sse = table.SSEDescription as Json | undefined;
  const arn = sse?.Status === 'ENABLED' && typeof sse.KMSMasterKeyArn === 'string' ? sse.KMSMasterKeyArn : undefined;
  if (!arn) return undefined;
  const key = await motoJson(ctx, 'kms', 'DescribeKey', { KeyId: arn }, region);
  const manager = (key.body.KeyMetadata as Json | undefined)?.KeyManager;
  return manager === 'AWS' || ctx.state.awsManagedKeys.has(`${region}/${arn.replace(/^.*:key\//, '')}`) ? undefined : arn;
}

/** A replica's key in its region: its ARN, or AWS's error when it cannot be used. */
async function replicaKey(ctx: FixContext, region: string, keyId: string): Promise<{ arn: string } | { error: BufferedResponse }> {
  const key = await motoJson(ctx, 'kms', 'DescribeKey', { KeyId: keyId }, region);
  const meta = key.body.KeyMetadata as Json | undefined;
  if (key.status !== 200 || !meta) {
    return { error: validationError(ctx, `One or more parameter values were invalid: KMSMasterKeyId ${keyId} does not exist or is not allowed to be used in region ${region}`) };
  }
  const state = String(meta.KeyState ?? (meta.Enabled === false ? 'Disabled' : 'Enabled'));
  if (state !== 'Enabled') return { error: validationError(ctx, `One or more parameter values were invalid: KMSMasterKeyId ${String(meta.Arn)} is ${state === 'Disabled' ? 'disabled' : `in state ${state}`}`) };
  return { arn: String(meta.Arn) };
}

/** Copies every item of the table into its new replica (AWS backfills a new replica). */
async function backfill(ctx: FixContext, table: string, region: string): Promise<void> {
  let start: unknown;
  do {
    const page = await motoJson(ctx, 'dynamodb', 'Scan', { TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) });
    if (page.status !== 200) return;
    const items = (page.body.Items as Json[] | undefined) ?? [];
    for (let i = 0; i < items.length; i += 25) {
      await motoJson(ctx, 'dynamodb', 'BatchWriteItem', { RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }, region);
    }
    start = page.body.LastEvaluatedKey;
  } while (start && Object.keys(start as Json).length > 0);
}

type ReplicaUpdate = { Create?: Json; Update?: Json; Delete?: Json };

const dynamoDbReplicaUpdates: Fix = {
  service: 'dynamodb',
  operations: ['UpdateTable'],
  difference: 'UpdateTable ReplicaUpdates create, update and delete replicas of a global table (version 2019.11.21) in their regions (moto ignores them)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const updates = input.ReplicaUpdates as ReplicaUpdate[] | undefined;
    if (!Array.isArray(updates) || updates.length === 0) return decorated(ctx, await ctx.forward());
    const name = tableNameOf(input.TableName);
    const described = await motoJson(ctx, 'dynamodb', 'DescribeTable', { TableName: name });
    if (described.status !== 200) return jsonError(ctx.protocol, 'ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    const table = described.body.Table as Json;
    const existing = groupOf(ctx, name);
    const members = new Set(existing ? [...existing.replicas.keys()].filter((r) => existing.replicas.get(r)!.status !== 'DELETING') : [ctx.region]);
    const sourceKey = await customerKeyOf(ctx, table, ctx.region);

    // Check every update before changing anything: AWS applies all of them or none.
    const plan: Array<{ kind: 'create' | 'update' | 'delete'; region: string; keyArn?: string }> = [];
    for (const u of updates) {
      const kind = u.Create ? 'create' : u.Update ? 'update' : u.Delete ? 'delete' : undefined;
      const spec = (u.Create ?? u.Update ?? u.Delete) as Json | undefined;
      const region = typeof spec?.RegionName === 'string' ? spec.RegionName : '';
      if (!kind || !spec) return validationError(ctx, 'One or more parameter values were invalid: a ReplicaUpdate must have exactly one of Create, Update or Delete');
      if (!REGION.test(region)) return validationError(ctx, `One or more parameter values were invalid: RegionName ${JSON.stringify(region)} is not a valid region`);
      if (kind === 'create') {
        if (members.has(region)) {
          return validationError(ctx, `Failed to create a the new replica of table with name: '${name}' because one or more replicas already existed as tables.`);
        }
        const there = await motoJson(ctx, 'dynamodb', 'DescribeTable', { TableName: name }, region);
        if (there.status === 200) {
          return validationError(ctx, `Failed to create a the new replica of table with name: '${name}' because one or more replicas already existed as tables.`);
        }
      } else if (!members.has(region) || region === ctx.region) {
        return validationError(ctx, `Cannot ${kind} replica: table ${name} has no replica in region ${region}`);
      }
      let keyArn: string | undefined;
      if (kind !== 'delete') {
        if (typeof spec.KMSMasterKeyId === 'string' && spec.KMSMasterKeyId !== '') {
          const key = await replicaKey(ctx, region, spec.KMSMasterKeyId);
          if ('error' in key) return key.error;
          keyArn = key.arn;
        } else if (kind === 'create' && sourceKey) {
          return validationError(ctx, 'One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica when the table is encrypted with a customer managed key');
        }
      }
      plan.push({ kind, region, keyArn });
      if (kind === 'create') members.add(region);
      if (kind === 'delete') members.delete(region);
    }

    const rest = { ...input };
    delete rest.ReplicaUpdates;
    if (Object.keys(rest).some((k) => k !== 'TableName')) {
      const res = await ctx.forward({ ...ctx.request, body: Buffer.from(JSON.stringify(rest)) });
      if (res.status !== 200) return res;
    }

    // On replay the replica was made long ago: it is ACTIVE (or gone) already.
    const now = ctx.state.replaying ? -REPLICA_TRANSITION_MS : Date.now();
    const group: GlobalTable = existing ?? { name, replicas: new Map<string, Replica>(), stamps: new Map(), queue: Promise.resolve(), lock: Promise.resolve() };
    if (!existing) {
      group.replicas.set(ctx.region, { region: ctx.region, kmsKeyArn: sourceKey, status: 'ACTIVE', until: 0 });
      ctx.state.globalTables.set(name, group);
    }
    for (const step of plan) {
      if (step.kind === 'create') {
        const create = createTableInput(table, name, step.keyArn ? { encryptionType: 'KMS', kmsMasterKeyArn: step.keyArn } : { encryptionType: 'Default' });
        if (table.StreamSpecification) create.StreamSpecification = table.StreamSpecification;
        const made = await motoJson(ctx, 'dynamodb', 'CreateTable', create, step.region);
        if (made.status !== 200) return jsonError(ctx.protocol, made.code ?? 'InternalServerError', String(made.body.message ?? `creating the replica in ${step.region} failed`), made.status);
        group.replicas.set(step.region, { region: step.region, kmsKeyArn: step.keyArn, status: 'CREATING', until: now + REPLICA_TRANSITION_MS });
        // Writes in the replica's region are checked and replicated by the same key schema.
        const types = ctx.state.keyTypes.get(`${ctx.region}/${name}`);
        if (types) ctx.state.keyTypes.set(`${step.region}/${name}`, types);
        await backfill(ctx, name, step.region);
      } else if (step.kind === 'update') {
        const r = group.replicas.get(step.region)!;
        if (step.keyArn) {
          await motoJson(ctx, 'dynamodb', 'UpdateTable', { TableName: name, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: step.keyArn } }, step.region);
          r.kmsKeyArn = step.keyArn;
        }
      } else {
        await motoJson(ctx, 'dynamodb', 'DeleteTable', { TableName: name }, step.region);
        group.replicas.set(step.region, { ...group.replicas.get(step.region)!, status: 'DELETING', until: now + REPLICA_TRANSITION_MS });
      }
    }
    const after = await motoJson(ctx, 'dynamodb', 'DescribeTable', { TableName: name });
    const description = (after.body.Table ?? table) as Json;
    decorate(ctx, description);
    return jsonResponse(ctx.protocol, { TableDescription: description });
  },
};

const dynamoDbReplicaDescriptions: Fix = {
  service: 'dynamodb',
  operations: ['DescribeTable', 'CreateTable'],
  difference: 'a global table\'s description lists its other replicas with their ReplicaStatus and GlobalTableVersion 2019.11.21',
  apply: async (ctx) => decorated(ctx, await ctx.forward()),
};

const dynamoDbReplicaTableDeleted: Fix = {
  service: 'dynamodb',
  operations: ['DeleteTable'],
  difference: 'deleting a replica\'s table removes it from its global table; the other replicas stay',
  apply: async (ctx) => {
    const name = tableNameOf(parseJson(ctx.request.body).TableName);
    const res = await ctx.forward();
    const group = ctx.state.globalTables.get(name);
    if (res.status !== 200 || !group) return res;
    group.replicas.delete(ctx.region);
    settle(group);
    if ([...group.replicas.values()].filter((r) => r.status !== 'DELETING').length < 2) ctx.state.globalTables.delete(name);
    return res;
  },
};

let stampClock = 0;

/** Runs `fn` holding the global table's lock. */
async function holding<T>(group: GlobalTable, fn: () => Promise<T>): Promise<T> {
  const before = group.lock;
  let release!: () => void;
  group.lock = new Promise<void>((r) => (release = r));
  await before;
  try {
    return await fn();
  } finally {
    release();
  }
}

interface Image {
  readonly table: string;
  readonly key: Json;
  readonly item: Json | null;
}

/** Key attributes of an item or key, by the table's key schema as the fixes know it. */
function keyOf(ctx: FixContext, table: string, source: Json | undefined): Json | undefined {
  const types = ctx.state.keyTypes.get(`${ctx.region}/${table}`);
  if (!types || !source) return undefined;
  const out: Json = {};
  for (const name of Object.keys(types).sort()) {
    if (source[name] === undefined) return undefined;
    out[name] = source[name];
  }
  return out;
}

/** The tables an item write names. */
function writtenTables(operation: string, input: Json): string[] {
  if (operation === 'BatchWriteItem') return Object.keys((input.RequestItems ?? {}) as Json).map(tableNameOf);
  if (operation === 'TransactWriteItems') {
    return ((input.TransactItems ?? []) as Json[]).flatMap((a) => Object.values(a ?? {}).map((op) => tableNameOf((op as Json | undefined)?.TableName)));
  }
  return [tableNameOf(input.TableName)];
}

/** What a successful write left in `ctx.region`, item by item, for the global tables it touched. */
async function imagesOf(ctx: FixContext, input: Json, response: Json): Promise<Image[]> {
  const images: Image[] = [];
  const isGlobal = (t: string) => groupOf(ctx, t) !== undefined;
  const readBack = async (table: string, key: Json | undefined) => {
    if (!key) return;
    const got = await motoJson(ctx, 'dynamodb', 'GetItem', { TableName: table, Key: key, ConsistentRead: true });
    images.push({ table, key, item: (got.body.Item as Json | undefined) ?? null });
  };
  const put = (table: string, item: Json | undefined) => {
    const key = keyOf(ctx, table, item);
    if (key && item) images.push({ table, key, item });
  };
  const remove = (table: string, k: Json | undefined) => {
    const key = keyOf(ctx, table, k);
    if (key) images.push({ table, key, item: null });
  };
  switch (ctx.operation) {
    case 'PutItem':
    case 'DeleteItem':
    case 'UpdateItem': {
      const table = tableNameOf(input.TableName);
      if (!isGlobal(table)) break;
      if (ctx.operation === 'PutItem') put(table, input.Item as Json);
      else if (ctx.operation === 'DeleteItem') remove(table, input.Key as Json);
      else await readBack(table, keyOf(ctx, table, input.Key as Json));
      break;
    }
    case 'BatchWriteItem': {
      const unprocessed = (response.UnprocessedItems ?? {}) as Record<string, Json[]>;
      for (const [t, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, Json[]>)) {
        const table = tableNameOf(t);
        if (!isGlobal(table) || !Array.isArray(requests)) continue;
        const skipped = new Set((unprocessed[t] ?? []).map((r) => JSON.stringify(r)));
        for (const r of requests) {
          if (skipped.has(JSON.stringify(r))) continue;
          if (r.PutRequest) put(table, (r.PutRequest as Json).Item as Json);
          else if (r.DeleteRequest) remove(table, (r.DeleteRequest as Json).Key as Json);
        }
      }
      break;
    }
    case 'TransactWriteItems':
      for (const action of (input.TransactItems ?? []) as Json[]) {
        const [kind, op] = Object.entries(action ?? {})[0] ?? [];
        const o = op as Json | undefined;
        const table = tableNameOf(o?.TableName);
        if (!o || !isGlobal(table)) continue;
        if (kind === 'Put') put(table, o.Item as Json);
        else if (kind === 'Delete') remove(table, o.Key as Json);
        else if (kind === 'Update') await readBack(table, keyOf(ctx, table, o.Key as Json));
      }
      break;
    default:
      break;
  }
  return images;
}

/** Queues an image for every other replica; a replica applies it only when no later write reached its copy. */
function replicate(ctx: FixContext, image: Image): void {
  const group = ctx.state.globalTables.get(image.table);
  if (!group) return;
  const stamp = ++stampClock;
  const keyText = JSON.stringify(image.key);
  group.stamps.set(`${ctx.region}|${keyText}`, stamp);
  const origin = ctx.region;
  group.queue = group.queue.then(async () => {
    for (const r of [...group.replicas.values()]) {
      if (r.region === origin || r.status === 'DELETING') continue;
      const slot = `${r.region}|${keyText}`;
      await holding(group, async () => {
        if ((group.stamps.get(slot) ?? 0) > stamp) return; // a later write already reached this copy
        group.stamps.set(slot, stamp);
        if (image.item) await motoJson(ctx, 'dynamodb', 'PutItem', { TableName: image.table, Item: image.item }, r.region);
        else await motoJson(ctx, 'dynamodb', 'DeleteItem', { TableName: image.table, Key: image.key }, r.region);
      });
    }
  }).catch(() => undefined);
}

const dynamoDbReplication: Fix = {
  service: 'dynamodb',
  operations: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'],
  difference: 'writes to a global table replicate asynchronously to every other replica, last writer wins (moto has no replicas)',
  apply: async (ctx) => {
    if (ctx.state.globalTables.size === 0) return ctx.forward();
    const input = parseJson(ctx.request.body);
    const groups = [...new Set(writtenTables(ctx.operation, input))].map((t) => groupOf(ctx, t)).filter((g): g is GlobalTable => g !== undefined);
    if (groups.length === 0) return ctx.forward();
    // The local write and its stamps happen under the lock of every global table it writes
    // (taken in name order), so no replicated image lands in between.
    const run = async (i: number): Promise<BufferedResponse> => {
      if (i < groups.length) return holding(groups[i], () => run(i + 1));
      const res = await ctx.forward();
      if (res.status !== 200) return res;
      for (const image of await imagesOf(ctx, input, parseJson(res.body))) replicate(ctx, image);
      return res;
    };
    groups.sort((a, b) => (a.name < b.name ? -1 : 1));
    return run(0);
  },
};

/** Waits until every queued replication has been applied (tests, and a sandbox about to stop). */
export async function replicationSettled(state: { readonly globalTables: Map<string, GlobalTable> }): Promise<void> {
  for (;;) {
    const queues = [...state.globalTables.values()].map((g) => g.queue);
    await Promise.all(queues);
    if ([...state.globalTables.values()].every((g, i) => g.queue === queues[i])) return;
  }
}

export const GLOBAL_TABLE_FIXES: ReadonlyArray<Fix> = [dynamoDbReplicaUpdates, dynamoDbReplicaDescriptions, dynamoDbReplicaTableDeleted, dynamoDbReplication];
