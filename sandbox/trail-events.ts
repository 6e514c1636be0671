/**
 * CloudTrail event history for the sandbox: every successful mutating management call through the
 * front door (CreateTable, PutKeyPolicy, StartBackupJob, … — not item or object writes, which are
 * data events) becomes an event that `cloudtrail:LookupEvents` finds, as in the CloudTrail console's
 * 90-day history. moto has no LookupEvents.
 *
 * Bounded: the newest `limit` events are kept (the rest are dropped, oldest first), in memory and in
 * `<stateDir>/cloudtrail-events.jsonl`, so the history survives a restart. Not fsynced: an event is
 * a record of a call, not state.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AwsError } from './protocol';

export const DEFAULT_TRAIL_EVENT_LIMIT = 10_000;

/** Item and object operations: CloudTrail data events, never in the management event history. */
const DATA_EVENTS = new Set([
  'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  'PutObject', 'DeleteObject', 'DeleteObjects', 'UploadPart', 'CreateMultipartUpload', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'CopyObject',
  'PutObjectTagging', 'DeleteObjectTagging', 'PutObjectAcl', 'PutObjectRetention', 'PutObjectLegalHold',
]);

export interface TrailEvent {
  readonly EventId: string;
  readonly EventName: string;
  readonly EventSource: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly region: string;
  readonly AccessKeyId: string;
  readonly Username: string;
  readonly Resources: ReadonlyArray<{ ResourceType: string; ResourceName: string }>;
  readonly CloudTrailEvent: string;
}

export interface RecordedCall {
  readonly service: string;
  readonly region: string;
  readonly operation: string;
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly userAgent?: string;
  /** The request's parameters as CloudTrail shows them (JSON input, query form, or path labels). */
  readonly parameters?: Record<string, unknown>;
}

const RESOURCE_TYPES: ReadonlyArray<[string, string, string]> = [
  // [parameter, service, resource type]
  ['TableName', 'dynamodb', 'AWS::DynamoDB::Table'],
  ['TableArn', 'dynamodb', 'AWS::DynamoDB::Table'],
  ['ResourceArn', 'dynamodb', 'AWS::DynamoDB::Table'],
  ['KeyId', 'kms', 'AWS::KMS::Key'],
  ['TargetKeyId', 'kms', 'AWS::KMS::Key'],
  ['RoleName', 'iam', 'AWS::IAM::Role'],
  ['PolicyArn', 'iam', 'AWS::IAM::Policy'],
  ['UserName', 'iam', 'AWS::IAM::User'],
  ['Name', 'cloudtrail', 'AWS::CloudTrail::Trail'],
  ['TrailName', 'cloudtrail', 'AWS::CloudTrail::Trail'],
  ['BackupVaultName', 'backup', 'AWS::Backup::BackupVault'],
  ['BackupPlanId', 'backup', 'AWS::Backup::BackupPlan'],
  ['RecoveryPointArn', 'backup', 'AWS::Backup::RecoveryPoint'],
  ['Bucket', 's3', 'AWS::S3::Bucket'],
  ['TopicArn', 'sns', 'AWS::SNS::Topic'],
];

function resourcesOf(call: RecordedCall): Array<{ ResourceType: string; ResourceName: string }> {
  const out: Array<{ ResourceType: string; ResourceName: string }> = [];
  for (const [param, service, type] of RESOURCE_TYPES) {
    const value = call.parameters?.[param];
    if (service === call.service && typeof value === 'string' && value !== '') out.push({ ResourceType: type, ResourceName: value });
  }
  return out;
}

const eventSource = (service: string): string => `${service}.amazonaws.com`;

/** Whether a successful call belongs in the management event history. */
export function isManagementWrite(service: string, operation: string | undefined, mutating: boolean): boolean {
  return mutating && !!operation && !DATA_EVENTS.has(operation) && service !== 'unsigned';
}

const LOOKUP_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;

/** DynamoDB item operations CloudTrail records as data events (when a trail's selectors ask), and whether each reads. */
export const DYNAMODB_DATA_EVENTS: ReadonlyMap<string, boolean> = new Map([
  ['GetItem', true], ['BatchGetItem', true], ['Query', true], ['Scan', true], ['TransactGetItems', true],
  ['PutItem', false], ['UpdateItem', false], ['DeleteItem', false], ['BatchWriteItem', false], ['TransactWriteItems', false],
  ['ExecuteStatement', false], ['BatchExecuteStatement', false], ['ExecuteTransaction', false],
]);

/** One CloudTrail record (the `Records[]` element of a delivered log file) and what a trail selects it by. */
export interface DeliverableRecord {
  readonly region: string;
  readonly category: 'Management' | 'Data';
  readonly readOnly: boolean;
  /** Data events: the table ARNs the call touched. */
  readonly resources: readonly string[];
  readonly time: number;
  readonly record: Record<string, unknown>;
}

export class TrailEvents {
  private events: TrailEvent[] = [];
  /** Trail log file delivery (sandbox/trail-delivery.ts), when a trail logs. */
  private sink?: { wantsData: boolean; add(record: DeliverableRecord): void };

  /** Hands every recorded event (and data events, while `sink.wantsData`) to log file delivery. */
  deliverTo(sink: { wantsData: boolean; add(record: DeliverableRecord): void }): void {
    this.sink = sink;
  }

  /** Whether data events are worth building (a logging trail selects DynamoDB data events). */
  get wantsDataEvents(): boolean {
    return this.limit > 0 && this.sink?.wantsData === true;
  }

  /** A DynamoDB data event, for trails whose selectors ask for it (never in LookupEvents, as on AWS). */
  recordData(call: RecordedCall, now = Date.now()): void {
    const readOnly = DYNAMODB_DATA_EVENTS.get(call.operation);
    if (!this.sink || readOnly === undefined || this.limit <= 0) return;
    const p = call.parameters ?? {};
    const names = new Set<string>();
    for (const v of [p.TableName, ...Object.keys((p.RequestItems ?? {}) as object)]) if (typeof v === 'string') names.add(v);
    for (const t of Array.isArray(p.TransactItems) ? (p.TransactItems as Array<Record<string, Record<string, unknown>>>) : []) {
      for (const op of Object.values(t ?? {})) if (typeof op?.TableName === 'string') names.add(op.TableName);
    }
    const arns = [...names].map((n) => (n.startsWith('arn:') ? n : `arn:aws:dynamodb:${call.region}:${call.accountId}:table/${n}`));
    this.sink.add({
      region: call.region, category: 'Data', readOnly, resources: arns, time: now,
      record: {
        ...this.baseRecord(call, randomUUID(), now),
        readOnly,
        resources: arns.map((ARN) => ({ accountId: call.accountId, type: 'AWS::DynamoDB::Table', ARN })),
        managementEvent: false,
        eventCategory: 'Data',
      },
    });
  }

  private baseRecord(call: RecordedCall, id: string, now: number): Record<string, unknown> {
    return {
      eventVersion: '1.08',
      userIdentity: { type: 'Root', principalId: call.accountId, arn: `arn:aws:iam::${call.accountId}:root`, accountId: call.accountId, accessKeyId: call.accessKeyId },
      eventTime: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: eventSource(call.service),
      eventName: call.operation,
      awsRegion: call.region,
      sourceIPAddress: '127.0.0.1',
      userAgent: call.userAgent ?? '',
      requestParameters: call.parameters ?? null,
      responseElements: null,
      requestID: call.requestId,
      eventID: id,
      eventType: 'AwsApiCall',
      recipientAccountId: call.accountId,
    };
  }

  constructor(private readonly limit = DEFAULT_TRAIL_EVENT_LIMIT, private readonly file?: string) {
    if (!file || !existsSync(file) || limit <= 0) return;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      try {
        this.events.push(JSON.parse(line) as TrailEvent);
      } catch {
        // a torn last line
      }
    }
    if (this.events.length > limit) this.events = this.events.slice(-limit);
    if (lines.length > this.events.length) writeFileSync(file, this.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  get size(): number {
    return this.events.length;
  }

  record(call: RecordedCall, now = Date.now()): TrailEvent | undefined {
    if (this.limit <= 0) return undefined;
    const id = randomUUID();
    const cloudTrailEvent = { ...this.baseRecord(call, id, now), readOnly: false, managementEvent: true, eventCategory: 'Management' };
    this.sink?.add({ region: call.region, category: 'Management', readOnly: false, resources: [], time: now, record: cloudTrailEvent });
    const event: TrailEvent = {
      EventId: id,
      EventName: call.operation,
      EventSource: eventSource(call.service),
      time: now,
      region: call.region,
      AccessKeyId: call.accessKeyId,
      Username: 'root',
      Resources: resourcesOf(call),
      CloudTrailEvent: JSON.stringify(cloudTrailEvent),
    };
    this.events.push(event);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    if (this.file) {
      try {
        appendFileSync(this.file, `${JSON.stringify(event)}\n`);
      } catch {
        // history is best effort; the call itself succeeded
      }
    }
    return event;
  }

  /** CloudTrail LookupEvents over this region's history: the answer, or the AWS error. */
  lookup(region: string, input: Record<string, unknown>): { ok: true; body: Record<string, unknown> } | { ok: false; error: AwsError } {
    const attrs = Array.isArray(input.LookupAttributes) ? (input.LookupAttributes as Array<Record<string, unknown>>) : [];
    if (attrs.length > 1) return { ok: false, error: { code: 'InvalidLookupAttributesException', message: 'You cannot specify more than one lookup attribute.' } };
    const attr = attrs[0];
    if (attr && !LOOKUP_KEYS.includes(attr.AttributeKey as (typeof LOOKUP_KEYS)[number])) {
      return { ok: false, error: { code: 'InvalidLookupAttributesException', message: `Invalid attribute key: ${String(attr.AttributeKey)}` } };
    }
    const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 50) return { ok: false, error: { code: 'InvalidMaxResultsException', message: 'MaxResults must be between 1 and 50.' } };
    const seconds = (v: unknown): number | undefined => (v === undefined ? undefined : typeof v === 'number' ? v * 1000 : Date.parse(String(v)));
    const start = seconds(input.StartTime);
    const end = seconds(input.EndTime);
    if (start !== undefined && end !== undefined && start > end) return { ok: false, error: { code: 'InvalidTimeRangeException', message: 'Start time must be earlier than end time.' } };
    let offset = 0;
    if (input.NextToken !== undefined) {
      offset = Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) return { ok: false, error: { code: 'InvalidNextTokenException', message: 'Invalid NextToken.' } };
    }
    const value = attr ? String(attr.AttributeValue ?? '') : undefined;
    const matches = (e: TrailEvent): boolean => {
      if (e.region !== region) return false;
      if (start !== undefined && e.time < start) return false;
      if (end !== undefined && e.time > end) return false;
      if (!attr) return true;
      switch (attr.AttributeKey) {
        case 'EventId': return e.EventId === value;
        case 'EventName': return e.EventName === value;
        case 'ReadOnly': return value === 'false';
        case 'Username': return e.Username === value;
        case 'EventSource': return e.EventSource === value;
        case 'AccessKeyId': return e.AccessKeyId === value;
        case 'ResourceType': return e.Resources.some((r) => r.ResourceType === value);
        case 'ResourceName': return e.Resources.some((r) => r.ResourceName === value);
        default: return false;
      }
    };
    const found = this.events.filter(matches).reverse();
    const page = found.slice(offset, offset + max);
    const next = offset + max < found.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
    return {
      ok: true,
      body: {
        Events: page.map((e) => ({
          EventId: e.EventId,
          EventName: e.EventName,
          ReadOnly: 'false',
          AccessKeyId: e.AccessKeyId,
          EventTime: e.time / 1000,
          EventSource: e.EventSource,
          Username: e.Username,
          Resources: e.Resources,
          CloudTrailEvent: e.CloudTrailEvent,
        })),
        ...(next ? { NextToken: next } : {}),
      },
    };
  }
}
