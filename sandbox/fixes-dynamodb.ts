/**
 * DynamoDB differences between moto 5.2.1 and AWS that a client notices: identity fields moto
 * leaves out, a KMS key that is missing, disabled or named by id, request limits moto does not
 * enforce, a PartiQL INSERT that overwrites, TTL enabled twice. Each fix has a test under
 * test/unit/sandbox and a case in the fidelity suite (test/integration/fidelity).
 */
import { createHash } from 'node:crypto';
import type { BufferedResponse } from './forward';
import { jsonError, motoJson, parseJson, rewriteJson, validationError, withJsonBody, type Fix, type FixContext, type Json } from './fix-kit';
import { keyProblem, keyStateOf } from './fixes-kms';
import { parsePartiqlInsert, type AttributeValue } from './partiql';

/** A stable table id (a UUID) derived from the table's ARN and creation time, so it survives replay. */
export function tableIdOf(tableArn: string, created: unknown): string {
  const h = createHash('sha256').update(`${tableArn}\n${String(created ?? '')}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Adds TableId and each index's IndexArn (plus size and count) where moto leaves them out. */
export function addTableIdentity(table: Json | undefined): void {
  if (!table || typeof table.TableArn !== 'string') return;
  const arn = table.TableArn;
  if (table.TableId === undefined) table.TableId = tableIdOf(arn, table.CreationDateTime);
  for (const key of ['LocalSecondaryIndexes', 'GlobalSecondaryIndexes'] as const) {
    const indexes = table[key] as Json[] | undefined;
    if (!Array.isArray(indexes)) continue;
    if (indexes.length === 0) {
      // AWS leaves an index list out when there is none; moto answers [] (the provider treats both alike).
      delete table[key];
      continue;
    }
    for (const index of indexes) {
      if (index.IndexArn === undefined) index.IndexArn = `${arn}/index/${String(index.IndexName)}`;
      if (index.IndexSizeBytes === undefined) index.IndexSizeBytes = 0;
      if (index.ItemCount === undefined) index.ItemCount = 0;
    }
  }
}

const dynamoDbTableIdentity: Fix = {
  service: 'dynamodb',
  operations: ['CreateTable', 'UpdateTable', 'DescribeTable', 'DeleteTable', 'RestoreTableFromBackup'],
  difference: 'a TableDescription carries TableId and each index its IndexArn (moto leaves both out)',
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    const body = parseJson(res.body);
    const table = (body.Table ?? body.TableDescription) as Json | undefined;
    if (!table) return res;
    addTableIdentity(table);
    return rewriteJson(res, body);
  },
};

/**
 * DynamoDB's answer when a table's KMS key cannot be used. AWS refuses the call with a
 * ValidationException; the wording here is ours (README, Known differences).
 */
function sseKeyError(ctx: FixContext, keyId: string, problem: string): BufferedResponse {
  return validationError(ctx, `One or more parameter values were invalid: KMSMasterKeyId ${keyId} ${problem}`);
}

const dynamoDbSseKey: Fix = {
  service: 'dynamodb',
  operations: ['CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime'],
  difference:
    'a customer managed key for table encryption must exist and be enabled (moto accepts any key id, even a disabled key), and SSEDescription names the key by ARN (moto echoes the id or alias given)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const field = ctx.operation.startsWith('Restore') ? 'SSESpecificationOverride' : 'SSESpecification';
    const sse = input[field] as Json | undefined;
    const keyId = sse && sse.Enabled !== false && typeof sse.KMSMasterKeyId === 'string' && sse.KMSMasterKeyId !== '' ? sse.KMSMasterKeyId : undefined;
    if (!keyId) return ctx.forward();
    const key = await keyStateOf(ctx, keyId);
    if (!key) return sseKeyError(ctx, keyId, 'does not exist or is not allowed to be used');
    const problem = keyProblem(key);
    if (problem) return sseKeyError(ctx, key.arn, problem.dynamodb);
    return ctx.forward(withJsonBody(ctx.request, { ...input, [field]: { ...sse, KMSMasterKeyId: key.arn } }));
  },
};

const MAX_BATCH_WRITE = 25;
const MAX_BATCH_GET = 100;

const dynamoDbBatchLimits: Fix = {
  service: 'dynamodb',
  operations: ['BatchWriteItem', 'BatchGetItem'],
  difference: 'BatchWriteItem takes at most 25 requests and BatchGetItem at most 100 keys (moto takes any number)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const items = (input.RequestItems ?? {}) as Record<string, unknown>;
    if (ctx.operation === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries(items)) {
        if (Array.isArray(requests) && requests.length > MAX_BATCH_WRITE) {
          return validationError(ctx,
            `1 validation error detected: Value at 'requestItems.${table}.member' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_WRITE}`);
        }
      }
      const total = Object.values(items).reduce<number>((n, r) => n + (Array.isArray(r) ? r.length : 0), 0);
      if (total > MAX_BATCH_WRITE) return validationError(ctx, 'Too many items requested for the BatchWriteItem call');
    } else {
      const total = Object.values(items).reduce<number>((n, r) => n + (Array.isArray((r as Json)?.Keys) ? ((r as Json).Keys as unknown[]).length : 0), 0);
      if (total > MAX_BATCH_GET) return validationError(ctx, 'Too many items requested for the BatchGetItem call');
    }
    return ctx.forward();
  },
};

/** Bytes of a number as DynamoDB counts them: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size of an attribute value by DynamoDB's item-size rules (names count where they appear). */
export function attributeValueSize(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const v = value as Record<string, unknown>;
  if (typeof v.S === 'string') return Buffer.byteLength(v.S);
  if (typeof v.N === 'string') return numberSize(v.N);
  if (typeof v.B === 'string') return Buffer.from(v.B, 'base64').length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (Array.isArray(v.SS)) return (v.SS as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (Array.isArray(v.NS)) return (v.NS as string[]).reduce((n, s) => n + numberSize(s), 0);
  if (Array.isArray(v.BS)) return (v.BS as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
  if (Array.isArray(v.L)) return 3 + (v.L as unknown[]).reduce<number>((n, x) => n + 1 + attributeValueSize(x), 0);
  if (v.M && typeof v.M === 'object') return 3 + itemSize(v.M as Json);
  return 0;
}

export function itemSize(item: Json | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + attributeValueSize(value), 0);
}

export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** The aggregate size of a transaction's items, keys and expression values. */
export function transactionSize(input: Json): number {
  let total = 0;
  for (const action of Array.isArray(input.TransactItems) ? (input.TransactItems as Json[]) : []) {
    for (const op of Object.values(action ?? {}) as Json[]) {
      if (!op || typeof op !== 'object') continue;
      total += itemSize(op.Item as Json | undefined) + itemSize(op.Key as Json | undefined) + itemSize(op.ExpressionAttributeValues as Json | undefined);
    }
  }
  return total;
}

const dynamoDbTransactionSize: Fix = {
  service: 'dynamodb',
  operations: ['TransactWriteItems'],
  difference: 'a transaction larger than 4 MB in aggregate is a ValidationException (moto writes it)',
  apply: async (ctx) => {
    const size = transactionSize(parseJson(ctx.request.body));
    if (size > MAX_TRANSACTION_BYTES) return validationError(ctx, 'Transaction request cannot be larger than 4 MB');
    return ctx.forward();
  },
};

async function keySchemaOf(ctx: FixContext, table: string): Promise<Record<string, string> | undefined> {
  const known = ctx.state.keyTypes.get(`${ctx.region}/${table}`);
  if (known) return known;
  const described = await motoJson(ctx, 'dynamodb', 'DescribeTable', { TableName: table });
  if (described.status !== 200) return undefined;
  const t = described.body.Table as Json;
  const defs = new Map(((t.AttributeDefinitions as Json[] | undefined) ?? []).map((d) => [String(d.AttributeName), String(d.AttributeType)]));
  const out: Record<string, string> = {};
  for (const k of (t.KeySchema as Json[] | undefined) ?? []) out[String(k.AttributeName)] = defs.get(String(k.AttributeName)) ?? '';
  return out;
}

const dynamoDbPartiqlInsert: Fix = {
  service: 'dynamodb',
  operations: ['ExecuteStatement'],
  difference: 'a PartiQL INSERT of an existing key is DuplicateItemException, and one into a missing table ResourceNotFoundException (moto overwrites the item, or crashes)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const insert = typeof input.Statement === 'string' ? parsePartiqlInsert(input.Statement, (input.Parameters as AttributeValue[] | undefined) ?? []) : undefined;
    if (!insert) return ctx.forward();
    const schema = await keySchemaOf(ctx, insert.table);
    if (!schema) return jsonError(ctx.protocol, 'ResourceNotFoundException', 'Requested resource not found');
    const key: Record<string, AttributeValue> = {};
    for (const name of Object.keys(schema)) {
      const value = insert.item[name];
      if (value === undefined) return validationError(ctx, `One or more parameter values were invalid: Missing the key ${name} in the item`);
      key[name] = value;
    }
    const existing = await motoJson(ctx, 'dynamodb', 'GetItem', { TableName: insert.table, Key: key, ConsistentRead: true });
    if (existing.status === 200 && existing.body.Item) return jsonError(ctx.protocol, 'DuplicateItemException', 'Duplicate primary key exists in table');
    return ctx.forward();
  },
};

/** moto answers `ResourceNotFound: Table not found` for TTL calls on a missing table; AWS uses its usual code. */
function tableNotFound(ctx: FixContext, table: unknown): BufferedResponse {
  return jsonError(ctx.protocol, 'ResourceNotFoundException', `Requested resource not found: Table: ${String(table)} not found`);
}

const dynamoDbTtl: Fix = {
  service: 'dynamodb',
  operations: ['UpdateTimeToLive', 'DescribeTimeToLive'],
  difference:
    'enabling TTL where it is already enabled (or disabling it twice) is a ValidationException (moto accepts it), and a missing table is ResourceNotFoundException (moto: ResourceNotFound)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    if (ctx.operation === 'DescribeTimeToLive') {
      const res = await ctx.forward();
      return res.status === 400 && /ResourceNotFound$/.test(String(parseJson(res.body).__type ?? '')) ? tableNotFound(ctx, input.TableName) : res;
    }
    const spec = (input.TimeToLiveSpecification ?? {}) as Json;
    const current = await motoJson(ctx, 'dynamodb', 'DescribeTimeToLive', { TableName: input.TableName });
    if (current.status === 400 && /ResourceNotFound$/.test(String(current.body.__type ?? ''))) return tableNotFound(ctx, input.TableName);
    if (current.status === 200) {
      const status = (current.body.TimeToLiveDescription as Json | undefined)?.TimeToLiveStatus;
      if (spec.Enabled === true && (status === 'ENABLED' || status === 'ENABLING')) return validationError(ctx, 'TimeToLive is already enabled');
      if (spec.Enabled === false && (status === 'DISABLED' || status === 'DISABLING' || status === undefined)) return validationError(ctx, 'TimeToLive is already disabled');
    }
    return ctx.forward();
  },
};

const dynamoDbDeletionProtection: Fix = {
  service: 'dynamodb',
  operations: ['DeleteTable'],
  difference: "deleting a protected table is refused in DynamoDB's words (moto's message differs)",
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status === 400 && /DeletionProtectionEnabled is set to True/.test(res.body.toString('utf8'))) {
      return validationError(ctx, 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    }
    return res;
  },
};

const dynamoDbPitrRequired: Fix = {
  service: 'dynamodb',
  operations: ['RestoreTableToPointInTime', 'ExportTableToPointInTime'],
  difference: 'restoring or exporting a table to a point in time needs point-in-time recovery enabled on it (moto does either without)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const restore = ctx.operation === 'RestoreTableToPointInTime';
    const source = String((restore ? input.SourceTableName ?? input.SourceTableArn : input.TableArn) ?? '');
    const name = source.startsWith('arn:') ? source.slice(source.indexOf(':table/') + ':table/'.length) : source;
    const region = /^arn:aws[\w-]*:dynamodb:([^:]+):/.exec(source)?.[1] ?? ctx.region;
    if (!name) return ctx.forward();
    const backups = await motoJson(ctx, 'dynamodb', 'DescribeContinuousBackups', { TableName: name }, region);
    if (backups.status !== 200) {
      return restore
        ? jsonError(ctx.protocol, 'SourceTableNotFoundException', `Source table not found: ${name}`)
        : jsonError(ctx.protocol, 'TableNotFoundException', `Table not found: ${source}`);
    }
    const status = ((backups.body.ContinuousBackupsDescription as Json | undefined)?.PointInTimeRecoveryDescription as Json | undefined)?.PointInTimeRecoveryStatus;
    if (status !== 'ENABLED') return jsonError(ctx.protocol, 'PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${name}'`);
    return ctx.forward();
  },
};

/** Why a DynamoDB number string breaks DynamoDB's limits (38 significant digits, 1E-130 ≤ |n| < 1E126). */
export function numberProblem(n: string): string | undefined {
  const m = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(n.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined; // not a number: moto answers that one
  const intPart = m[1];
  const frac = m[2] ?? '';
  const all = `${intPart}${frac}`;
  const lead = all.length - all.replace(/^0+/, '').length;
  const significant = all.replace(/^0+/, '').replace(/0+$/, '');
  if (significant === '') return undefined; // zero
  if (significant.length > 38) return 'Attempting to store more than 38 significant digits in a Number';
  const magnitude = intPart.length - lead - 1 + Number(m[3] ?? 0);
  if (magnitude > 125) return 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  if (magnitude < -130) return 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  return undefined;
}

/** The first number problem in attribute values (nested maps, lists and number sets included). */
function numbersIn(values: unknown): string | undefined {
  if (!values || typeof values !== 'object') return undefined;
  for (const value of Object.values(values as Json)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Json;
    const found = typeof v.N === 'string' ? numberProblem(v.N)
      : Array.isArray(v.NS) ? (v.NS as unknown[]).map((x) => numberProblem(String(x))).find(Boolean)
        : Array.isArray(v.L) ? numbersIn(Object.fromEntries((v.L as unknown[]).map((x, i) => [i, x])))
          : v.M ? numbersIn(v.M) : undefined;
    if (found) return found;
  }
  return undefined;
}

const dynamoDbNumbers: Fix = {
  service: 'dynamodb',
  operations: ['PutItem', 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems'],
  difference: 'numbers are limited to 38 significant digits and a magnitude of 1E-130 to 1E126 (moto stores any)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const sources: unknown[] = [input.Item, input.ExpressionAttributeValues];
    for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, Json[]>)) {
      for (const r of Array.isArray(requests) ? requests : []) sources.push((r.PutRequest as Json | undefined)?.Item);
    }
    for (const action of Array.isArray(input.TransactItems) ? (input.TransactItems as Json[]) : []) {
      for (const op of Object.values(action ?? {}) as Json[]) if (op && typeof op === 'object') sources.push(op.Item, op.ExpressionAttributeValues);
    }
    const problem = sources.map(numbersIn).find(Boolean);
    return problem ? validationError(ctx, problem) : ctx.forward();
  },
};

export const DYNAMODB_FIXES: ReadonlyArray<Fix> = [
  dynamoDbDeletionProtection,
  dynamoDbPitrRequired,
  dynamoDbNumbers,
  dynamoDbTableIdentity,
  dynamoDbSseKey,
  dynamoDbBatchLimits,
  dynamoDbTransactionSize,
  dynamoDbPartiqlInsert,
  dynamoDbTtl,
];
