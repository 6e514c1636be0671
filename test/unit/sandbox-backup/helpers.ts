import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createBackupService, type SandboxBackupService } from '../../../sandbox/backup';
import type { AccountLookup, CorruptionFault, DynamoDbCaller, FaultableJob, JobFault, JobFaultSource, KeyRecord, RoleRecord, SandboxRequest } from '../../../sandbox/types';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/backup`;

type Item = Record<string, unknown>;

interface FakeTable {
  description: Record<string, unknown>;
  items: Map<string, Item>;
  tags: Record<string, string>;
}

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** In-memory DynamoDB with just the calls the Backup service makes; records every call. */
export class FakeDynamo {
  readonly tables = new Map<string, FakeTable>();
  readonly calls: { region: string; operation: string; input: Record<string, unknown> }[] = [];
  /** Items returned per Scan page, small so tests cover pagination. */
  scanPageSize = 2;
  /** Number of upcoming BatchWriteItem calls that leave their last item unprocessed. */
  unprocessedOnce = 0;

  addTable(name: string, items: Item[], extra: Record<string, unknown> = {}, tags: Record<string, string> = {}): string {
    const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    this.tables.set(name, {
      description: {
        TableName: name,
        TableArn: arn,
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        ...extra,
      },
      items: new Map(items.map((i) => [JSON.stringify(i.ID), i])),
      tags,
    });
    return arn;
  }

  readonly call: DynamoDbCaller = async (region, operation, input) => {
    this.calls.push({ region, operation, input });
    const table = (name: unknown) => {
      const t = this.tables.get(String(name));
      if (!t) throw awsError('ResourceNotFoundException', `Requested resource not found: Table: ${String(name)} not found`);
      return t;
    };
    switch (operation) {
      case 'DescribeTable':
        return { Table: table(input.TableName).description };
      case 'Scan': {
        const all = [...table(input.TableName).items.values()];
        const start = input.ExclusiveStartKey ? all.findIndex((i) => JSON.stringify(i.ID) === JSON.stringify((input.ExclusiveStartKey as Item).ID)) + 1 : 0;
        const page = all.slice(start, start + this.scanPageSize);
        const more = start + this.scanPageSize < all.length;
        return { Items: page, Count: page.length, ...(more ? { LastEvaluatedKey: { ID: page[page.length - 1].ID } } : {}) };
      }
      case 'CreateTable': {
        const name = String(input.TableName);
        if (this.tables.has(name)) throw awsError('ResourceInUseException', `Table already exists: ${name}`);
        const arn = `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;
        const sse = input.SSESpecification as Item | undefined;
        const description = {
          ...input,
          TableArn: arn,
          TableStatus: 'ACTIVE',
          ...(sse ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: sse.KMSMasterKeyId } } : {}),
        };
        this.tables.set(name, { description, items: new Map(), tags: {} });
        return { TableDescription: description };
      }
      case 'BatchWriteItem': {
        const requestItems = input.RequestItems as Record<string, { PutRequest: { Item: Item } }[]>;
        const unprocessed: Record<string, unknown[]> = {};
        for (const [name, requests] of Object.entries(requestItems)) {
          const t = table(name);
          let list = requests;
          if (this.unprocessedOnce > 0 && list.length > 0) {
            this.unprocessedOnce--;
            unprocessed[name] = [list[list.length - 1]];
            list = list.slice(0, -1);
          }
          for (const r of list) t.items.set(JSON.stringify(r.PutRequest.Item.ID), r.PutRequest.Item);
        }
        return { UnprocessedItems: unprocessed };
      }
      case 'ListTables':
        return { TableNames: [...this.tables.keys()] };
      case 'ListTagsOfResource': {
        const name = String(input.ResourceArn).split('/').pop();
        return { Tags: Object.entries(table(name).tags).map(([Key, Value]) => ({ Key, Value })) };
      }
      default:
        throw awsError('UnknownOperationException', `fake DynamoDB has no ${operation}`);
    }
  };
}

/** A trust policy that lets AWS Backup assume a role. */
export const BACKUP_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** IAM and KMS as the Backup service sees them: ROLE trusts AWS Backup; every key is enabled unless set otherwise. */
export class FakeAccount implements AccountLookup {
  readonly roles = new Map<string, RoleRecord>([[ROLE, { arn: ROLE, trustPolicy: BACKUP_TRUST }]]);
  /** Key states by ARN; a key not listed is Enabled. `null` means the key does not exist. */
  readonly keys = new Map<string, string | null>();

  async role(roleArn: string): Promise<RoleRecord | undefined> {
    return this.roles.get(roleArn);
  }

  async key(_region: string, keyId: string): Promise<KeyRecord | undefined> {
    const state = this.keys.get(keyId);
    return state === null ? undefined : { arn: keyId, state: state ?? 'Enabled', manager: 'CUSTOMER' };
  }
}

/** Fault registry stand-in with the same counting semantics as the front door's. */
export class FakeFaults implements JobFaultSource {
  jobFaults: (JobFault & { count: number })[] = [];
  corruption: (CorruptionFault & { count: number })[] = [];

  takeJobFault(job: FaultableJob): JobFault | undefined {
    const f = this.jobFaults.find((x) => x.job === job && x.count > 0);
    if (!f) return undefined;
    if (f.outcome !== 'HANG') f.count--;
    return { job: f.job, outcome: f.outcome, message: f.message };
  }

  takeCorruption(): CorruptionFault | undefined {
    const f = this.corruption.find((x) => x.count > 0);
    if (!f) return undefined;
    f.count--;
    return { dropItems: f.dropItems };
  }

  isHangCleared(job: FaultableJob): boolean {
    return !this.jobFaults.some((x) => x.job === job && x.outcome === 'HANG' && x.count > 0);
  }
}

export interface Harness {
  svc: SandboxBackupService;
  dynamo: FakeDynamo;
  account: FakeAccount;
  faults: FakeFaults;
  dir: string;
  now: { value: Date };
  call(method: string, p: string, body?: unknown, query?: Record<string, string>, region?: string): Promise<{ status: number; json: Record<string, any>; headers: Record<string, string> }>;
  reopen(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A Backup service over the fake DynamoDB. `schedules`: plan rules run only when a test calls
 * `runSchedules()`, on the test's clock `now`; `runningSchedules`: they run by themselves on the
 * system clock sped up by `timeScale`, as in `tablesafe sandbox start`.
 */
export async function harness(opts: { timeScale?: number; schedules?: boolean; runningSchedules?: boolean; dir?: string } = {}): Promise<Harness> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'backup-unit-'));
  const dynamo = new FakeDynamo();
  const faults = new FakeFaults();
  const account = new FakeAccount();
  const now = { value: new Date('2025-01-15T10:00:00Z') };
  const make = () =>
    createBackupService({
      stateDir: dir,
      timeScale: opts.timeScale ?? 2000,
      dynamodb: dynamo.call,
      account,
      faults,
      ...(opts.schedules ? { clock: { now: () => now.value }, runSchedules: false } : {}),
      ...(opts.runningSchedules ? { runSchedules: true } : {}),
    });
  const h: Harness = {
    svc: await make(),
    dynamo,
    account,
    faults,
    dir,
    now,
    async call(method, p, body, query, region = REGION) {
      const req: SandboxRequest = {
        method,
        path: p,
        query: new URLSearchParams(query ?? {}),
        headers: {},
        body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
        service: 'backup',
        region,
        accountId: ACCOUNT,
        requestId: 'req-1',
      };
      const res = await h.svc.handle(req);
      const text = res.body.toString();
      return { status: res.status, json: text ? JSON.parse(text) : {}, headers: { ...res.headers } };
    },
    async reopen() {
      await h.svc.close();
      h.svc = await make();
    },
    async cleanup() {
      await h.svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export const enc = encodeURIComponent;

/** Polls a describe call until `done` holds (fast: the service runs at a high time scale). */
export async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function createVault(h: Harness, name = 'vault1', body: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('PUT', `/backup-vaults/${name}`, body);
  if (res.status !== 200) throw new Error(JSON.stringify(res.json));
  return res.json.BackupVaultArn as string;
}

export async function backupTable(h: Harness, tableArn: string, vault = 'vault1'): Promise<{ jobId: string; recoveryPointArn: string }> {
  const start = await h.call('PUT', '/backup-jobs', { BackupVaultName: vault, ResourceArn: tableArn, IamRoleArn: ROLE });
  if (start.status !== 200) throw new Error(JSON.stringify(start.json));
  const jobId = start.json.BackupJobId as string;
  const done = await waitFor(() => h.call('GET', `/backup-jobs/${jobId}`), (r) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(r.json.State));
  if (done.json.State !== 'COMPLETED') throw new Error(`backup ended ${done.json.State}: ${done.json.StatusMessage}`);
  return { jobId, recoveryPointArn: done.json.RecoveryPointArn };
}

export const seedItems = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ ID: { S: `id-${i}` }, v: { N: String(i) } }));
