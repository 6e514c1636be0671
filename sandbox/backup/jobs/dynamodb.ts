import type { DynamoDbCaller } from '../../types';
import type { TableSnapshot } from '../state';

type Json = Record<string, unknown>;

/** A consistent copy of a table: its description, then every item (strongly consistent scan, all pages). */
export async function snapshotTable(dynamodb: DynamoDbCaller, region: string, tableName: string): Promise<TableSnapshot> {
  const described = await dynamodb(region, 'DescribeTable', { TableName: tableName });
  const table = (described.Table ?? {}) as Json;
  const items: Json[] = [];
  let startKey: unknown;
  do {
    const page = await dynamodb(region, 'Scan', {
      TableName: tableName,
      ConsistentRead: true,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    items.push(...((page.Items as Json[] | undefined) ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && Object.keys(startKey as Json).length > 0);
  const tags: { Key: string; Value: string }[] = [];
  let tagToken: unknown;
  do {
    const page = await dynamodb(region, 'ListTagsOfResource', { ResourceArn: table.TableArn, ...(tagToken ? { NextToken: tagToken } : {}) });
    tags.push(...((page.Tags as { Key: string; Value: string }[] | undefined) ?? []));
    tagToken = page.NextToken;
  } while (tagToken);
  return { table, items, tags };
}

const pick = (o: Json | undefined, keys: string[]): Json => {
  const out: Json = {};
  for (const k of keys) if (o && o[k] !== undefined) out[k] = o[k];
  return out;
};

function throughput(o: Json | undefined): Json {
  const t = (o ?? {}) as Json;
  return { ReadCapacityUnits: Number(t.ReadCapacityUnits ?? 1) || 1, WriteCapacityUnits: Number(t.WriteCapacityUnits ?? 1) || 1 };
}

export interface RestoreEncryption {
  readonly encryptionType: 'KMS' | 'Default';
  readonly kmsMasterKeyArn?: string;
}

/**
 * CreateTable input that rebuilds the snapshot's schema, indexes, billing, table class and
 * encryption under a new name. What a DynamoDB restore does not carry stays behind: streams, TTL,
 * point-in-time recovery, deletion protection, auto scaling, and tags unless `tags` are given
 * (CopySourceTagsToRestoredResource).
 */
export function createTableInput(table: Json, target: string, encryption: RestoreEncryption, tags?: readonly { Key: string; Value: string }[]): Json {
  const summary = table.BillingModeSummary as Json | undefined;
  const provisioned = table.ProvisionedThroughput as Json | undefined;
  const billing = (summary?.BillingMode as string | undefined) ?? (Number(provisioned?.ReadCapacityUnits ?? 0) > 0 ? 'PROVISIONED' : 'PAY_PER_REQUEST');
  const isProvisioned = billing === 'PROVISIONED';
  const input: Json = {
    TableName: target,
    KeySchema: table.KeySchema,
    AttributeDefinitions: table.AttributeDefinitions,
    BillingMode: billing,
  };
  if (isProvisioned) input.ProvisionedThroughput = throughput(provisioned);
  const gsis = table.GlobalSecondaryIndexes as Json[] | undefined;
  if (gsis?.length) {
    input.GlobalSecondaryIndexes = gsis.map((g) => ({
      ...pick(g, ['IndexName', 'KeySchema']),
      Projection: pick(g.Projection as Json, ['ProjectionType', 'NonKeyAttributes']),
      ...(isProvisioned ? { ProvisionedThroughput: throughput(g.ProvisionedThroughput as Json) } : {}),
    }));
  }
  const lsis = table.LocalSecondaryIndexes as Json[] | undefined;
  if (lsis?.length) {
    input.LocalSecondaryIndexes = lsis.map((l) => ({
      ...pick(l, ['IndexName', 'KeySchema']),
      Projection: pick(l.Projection as Json, ['ProjectionType', 'NonKeyAttributes']),
    }));
  }
  if (encryption.encryptionType === 'KMS') {
    input.SSESpecification = { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: encryption.kmsMasterKeyArn };
  }
  const tableClass = (table.TableClassSummary as Json | undefined)?.TableClass;
  if (typeof tableClass === 'string') input.TableClass = tableClass;
  if (tags?.length) input.Tags = tags.map(({ Key, Value }) => ({ Key, Value }));
  return input;
}

export async function tableExists(dynamodb: DynamoDbCaller, region: string, tableName: string): Promise<boolean> {
  try {
    await dynamodb(region, 'DescribeTable', { TableName: tableName });
    return true;
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return false;
    throw e;
  }
}

/** BatchWriteItem in batches of 25, retrying UnprocessedItems with a growing pause. */
export async function writeItems(
  dynamodb: DynamoDbCaller,
  region: string,
  tableName: string,
  items: readonly Json[],
  onProgress: (written: number) => void,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let written = 0;
  for (let i = 0; i < items.length; i += 25) {
    let requests: Json[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt > 10) throw new Error(`BatchWriteItem left ${requests.length} items unprocessed after 10 retries`);
        await sleep(Math.min(1000, 20 * 2 ** attempt));
      }
      const out = await dynamodb(region, 'BatchWriteItem', { RequestItems: { [tableName]: requests } });
      const unprocessed = (out.UnprocessedItems as Record<string, Json[]> | undefined)?.[tableName] ?? [];
      written += requests.length - unprocessed.length;
      requests = unprocessed;
    }
    onProgress(written);
  }
}
