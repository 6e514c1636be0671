/** Contract diffs of the live table: status, design, encryption, PITR, protection, TTL, streams, tags. */
import type { AttributeDefinition, KeySchemaElement, TableDescription } from '@aws-sdk/client-dynamodb';
import type { Contract, ContractIndex, KeyAttribute } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import { CheckResult, Diff, difference, fromDiff, readFailure } from './check';
import type { LiveState } from '../../compliance/facts/live-state';

/** `HASH ID:S, RANGE SK:N` from the contract. */
export function expectedKeySchema(pk: KeyAttribute, sk?: KeyAttribute): string[] {
  return [`HASH ${pk.name}`, ...(sk ? [`RANGE ${sk.name}`] : [])];
}
export function liveKeySchema(ks: readonly KeySchemaElement[] | undefined): string[] {
  return (ks ?? []).map((k) => `${k.KeyType} ${k.AttributeName}`);
}

function expectedAttributes(t: Contract['table']): string[] {
  const all = new Map<string, string>();
  const add = (a?: KeyAttribute) => a && all.set(a.name, a.type);
  add(t.partitionKey);
  add(t.sortKey);
  for (const i of [...t.globalSecondaryIndexes, ...t.localSecondaryIndexes]) {
    add(i.partitionKey);
    add(i.sortKey);
  }
  return [...all].map(([n, ty]) => `${n}:${ty}`).sort();
}
const liveAttributes = (a: readonly AttributeDefinition[] | undefined) => (a ?? []).map((x) => `${x.AttributeName}:${x.AttributeType}`).sort();

interface LiveIndex {
  IndexName?: string;
  KeySchema?: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
}

function diffIndexes(diff: Diff, kind: 'globalSecondaryIndexes' | 'localSecondaryIndexes', expected: readonly ContractIndex[], live: readonly LiveIndex[] | undefined, autoscaled: boolean): void {
  const byName = new Map((live ?? []).map((i) => [i.IndexName ?? '', i]));
  diff.eq(`${kind}[].name`, expected.map((i) => i.name).sort(), [...byName.keys()].sort());
  for (const e of expected) {
    const l = byName.get(e.name);
    if (!l) continue;
    const f = `${kind}.${e.name}`;
    diff.eq(`${f}.keySchema`, expectedKeySchema(e.partitionKey, e.sortKey), liveKeySchema(l.KeySchema));
    diff.eq(`${f}.projectionType`, e.projectionType, l.Projection?.ProjectionType);
    if (e.projectionType === 'INCLUDE') diff.eq(`${f}.nonKeyAttributes`, [...(e.nonKeyAttributes ?? [])].sort(), [...(l.Projection?.NonKeyAttributes ?? [])].sort());
    if (e.capacity && !autoscaled) {
      diff.eq(`${f}.capacity`, e.capacity, { read: l.ProvisionedThroughput?.ReadCapacityUnits, write: l.ProvisionedThroughput?.WriteCapacityUnits });
    }
  }
}

/** Design differences between a live (or restored) table and the contract: keys, attributes, indexes. */
export function diffTableDesign(contract: Contract, t: TableDescription, diff = new Diff()): Diff {
  const c = contract.table;
  diff.eq('table.keySchema', expectedKeySchema(c.partitionKey, c.sortKey), liveKeySchema(t.KeySchema));
  diff.eq('table.attributeDefinitions', expectedAttributes(c), liveAttributes(t.AttributeDefinitions));
  diffIndexes(diff, 'globalSecondaryIndexes', c.globalSecondaryIndexes, t.GlobalSecondaryIndexes, c.autoscaling !== undefined);
  diffIndexes(diff, 'localSecondaryIndexes', c.localSecondaryIndexes, t.LocalSecondaryIndexes, false);
  return diff;
}

/** SSE differences: enabled, KMS, with the contract's key (the keyArn output). */
export function diffEncryption(keyArn: string | undefined, t: TableDescription, field = 'table.sse', diff = new Diff()): Diff {
  diff.eq(`${field}.status`, 'ENABLED', t.SSEDescription?.Status);
  diff.eq(`${field}.type`, 'KMS', t.SSEDescription?.SSEType);
  if (keyArn) diff.eq(`${field}.kmsMasterKeyArn`, keyArn, t.SSEDescription?.KMSMasterKeyArn);
  return diff;
}

/**
 * Autoscaling of the table and of every declared GSI: a read and a write scalable target each
 * (`table/<name>`, `table/<name>/index/<gsi>`), and a scaling policy for each target.
 */
function diffAutoscaling(diff: Diff, tableName: string, c: Contract['table'], live: LiveState): void {
  const resources = [
    { field: 'table', id: `table/${tableName}`, kind: 'table' },
    ...c.globalSecondaryIndexes.map((g) => ({ field: `globalSecondaryIndexes.${g.name}`, id: `table/${tableName}/index/${g.name}`, kind: 'index' })),
  ];
  if (!live.scalableTargets.ok) {
    diff.add(`table.autoscaling: could not read: ${live.scalableTargets.error}`);
    return;
  }
  const policies = live.scalingPolicies;
  if (policies && !policies.ok) diff.add(`table.autoscaling.policies: could not read: ${policies.error}`);
  for (const r of resources) {
    const expected = [`dynamodb:${r.kind}:ReadCapacityUnits`, `dynamodb:${r.kind}:WriteCapacityUnits`];
    const targets = live.scalableTargets.value.filter((s) => s.ResourceId === r.id).map((s) => s.ScalableDimension ?? '').sort();
    diff.eq(`${r.field}.autoscaling.targets`, expected, targets);
    if (policies?.ok) {
      const withPolicy = new Set<string>(policies.value.filter((p) => p.ResourceId === r.id).map((p) => p.ScalableDimension ?? ''));
      const without = targets.filter((d) => !withPolicy.has(d));
      if (without.length) diff.add(difference(`${r.field}.autoscaling.policies`, 'a scaling policy for each target', `none for ${without.join(', ')}`));
    }
  }
}

export function tableChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  const c = contract.table;
  if (!live.table.ok) return [readFailure('TABLE-ACTIVE', 'Table exists and is ACTIVE', `table ${outputs.tableName}`, live.table.error)];
  const t = live.table.value;
  const ev = [`table ${t.TableArn ?? outputs.tableArn}`];
  const results: CheckResult[] = [];
  results.push(fromDiff('TABLE-ACTIVE', 'Table exists and is ACTIVE', new Diff().eq('table.status', 'ACTIVE', t.TableStatus), `${t.TableName} is ACTIVE`, ev));
  results.push(fromDiff('TABLE-DESIGN', 'Key schema, attributes and indexes equal the contract', diffTableDesign(contract, t), 'key schema, attributes, GSIs and LSIs equal the contract', ev));

  const billing = new Diff().eq('table.billingMode', c.billingMode, t.BillingModeSummary?.BillingMode ?? 'PROVISIONED');
  if (c.billingMode === 'PROVISIONED' && c.capacity) {
    const read = t.ProvisionedThroughput?.ReadCapacityUnits ?? 0;
    const write = t.ProvisionedThroughput?.WriteCapacityUnits ?? 0;
    if (c.autoscaling) {
      const a = c.autoscaling;
      if (read < a.minRead || read > a.maxRead) billing.add(difference('table.capacity.read', `${a.minRead}..${a.maxRead} (autoscaling)`, read));
      if (write < a.minWrite || write > a.maxWrite) billing.add(difference('table.capacity.write', `${a.minWrite}..${a.maxWrite} (autoscaling)`, write));
      diffAutoscaling(billing, t.TableName ?? outputs.tableName ?? c.name, c, live);
    } else billing.eq('table.capacity', c.capacity, { read, write });
  }
  results.push(fromDiff('TABLE-BILLING', 'Billing mode and capacity equal the contract', billing, `billing ${c.billingMode}`, ev));

  results.push(fromDiff('TABLE-SSE', "Encrypted with the contract's KMS key", diffEncryption(outputs.keyArn, t), `SSE KMS with ${outputs.keyArn}`, [...ev, `key ${t.SSEDescription?.KMSMasterKeyArn ?? '(none)'}`]));

  if (!live.pitr.ok) results.push(readFailure('TABLE-PITR', 'Point-in-time recovery enabled', 'continuous backups', live.pitr.error));
  else {
    const p = live.pitr.value;
    const d = new Diff().eq('table.pointInTimeRecovery', c.pointInTimeRecovery ? 'ENABLED' : 'DISABLED', p?.PointInTimeRecoveryStatus ?? 'DISABLED');
    if (c.pointInTimeRecovery && p?.PointInTimeRecoveryStatus === 'ENABLED' && !p.EarliestRestorableDateTime) d.add(difference('table.pitr.earliestRestorableDateTime', 'a timestamp', undefined));
    const earliest = p?.EarliestRestorableDateTime?.toISOString();
    results.push(fromDiff('TABLE-PITR', 'Point-in-time recovery enabled', d, `PITR ${p?.PointInTimeRecoveryStatus ?? 'DISABLED'}${earliest ? `, earliest restorable ${earliest}` : ''}`, [...ev, `earliestRestorableDateTime ${earliest ?? '(none)'}`]));
  }
  results.push(fromDiff('TABLE-DELETION-PROTECTION', 'Deletion protection as declared', new Diff().eq('table.deletionProtection', c.deletionProtection, t.DeletionProtectionEnabled === true), `deletion protection ${c.deletionProtection ? 'on' : 'off'}`, ev));

  if (!live.ttl.ok) results.push(readFailure('TABLE-TTL', 'Time to live as declared', 'time to live', live.ttl.error));
  else {
    const on = live.ttl.value?.TimeToLiveStatus === 'ENABLED' || live.ttl.value?.TimeToLiveStatus === 'ENABLING';
    const d = new Diff().eq('table.ttlAttribute', c.ttlAttribute, on ? live.ttl.value?.AttributeName : undefined);
    results.push(fromDiff('TABLE-TTL', 'Time to live as declared', d, c.ttlAttribute ? `TTL on ${c.ttlAttribute}` : 'TTL off as declared', ev));
  }
  const streamOn = t.StreamSpecification?.StreamEnabled === true;
  results.push(fromDiff('TABLE-STREAM', 'Streams as declared', new Diff().eq('table.streamViewType', c.streamViewType, streamOn ? t.StreamSpecification?.StreamViewType : undefined), c.streamViewType ? `stream ${c.streamViewType}` : 'no stream, as declared', ev));

  if (!live.tags.ok) results.push(readFailure('TABLE-TAGS', 'Tags as declared', 'table tags', live.tags.error));
  else {
    const d = new Diff();
    for (const [k, v] of Object.entries(c.tags)) d.eq(`table.tags.${k}`, v, live.tags.value[k]);
    results.push(fromDiff('TABLE-TAGS', 'Tags as declared', d, `${Object.keys(c.tags).length} declared tag(s) present`, ev));
  }
  if (c.replicaRegions.length) {
    const regions = (t.Replicas ?? []).map((r) => r.RegionName).sort();
    const d = new Diff().eq('table.replicaRegions', [...c.replicaRegions].sort(), regions);
    // Each replica as read in its own region: there, ACTIVE, encrypted with a KMS key.
    for (const r of live.replicas ?? []) {
      const f = `table.replicas.${r.region}`;
      if (!r.table.ok) d.add(`${f}: could not read: ${r.table.error}`);
      else d.eq(`${f}.status`, 'ACTIVE', r.table.value.TableStatus).eq(`${f}.sse.type`, 'KMS', r.table.value.SSEDescription?.SSEType);
    }
    results.push(fromDiff('TABLE-REPLICAS', 'Replicas as declared', d, `replicas in ${c.replicaRegions.join(', ')}`, ev));
  }
  return results;
}

