/**
 * The fidelity suite's machinery: the clients a case runs with (the JS SDK v3 and every AWS CLI
 * major version installed), one sandbox for all cases, and outcomes in one shape whichever client
 * produced them.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../../sandbox';

export type ClientName = 'sdk-v3' | 'cli-v1' | 'cli-v2';

/** One run of a case: which client, and a short tag that keeps its resources apart from the others'. */
export interface Variant {
  readonly client: ClientName;
  /** `s`, `c1`, `c2`: resource names end with it. */
  readonly tag: string;
  /** A scratch directory for files the CLI reads (`fileb://`). */
  readonly dir: string;
}

export interface Clients {
  readonly ddb: DynamoDBClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly trail: CloudTrailClient;
  readonly backup: BackupClient;
  readonly s3: S3Client;
}

/** What every case can use: the sandbox, SDK clients for set-up and observation, shared fixtures. */
export interface Env {
  readonly sandbox: Sandbox;
  readonly endpoint: string;
  readonly region: string;
  readonly account: string;
  readonly sdk: Clients;
  readonly fx: Record<string, string>;
}

/** What a call came to, whichever client made it. */
export interface Outcome {
  readonly ok: boolean;
  /** The AWS error code (`ValidationException`). */
  readonly code?: string;
  readonly message?: string;
  /** HTTP status (the SDK reports it; the CLI does not). */
  readonly status?: number;
  /** The parsed answer (JSON from the CLI, the output object from the SDK). */
  readonly output?: any;
}

export type Expectation =
  | { readonly error: string; readonly message?: RegExp; readonly status?: number }
  | ((out: any, data: any, v: Variant) => void);

export interface Case {
  /** Stable id, e.g. `ddb.batch-write.26-items`. */
  readonly id: string;
  /** The AWS behaviour checked, with its source (API reference page and member, or developer guide section). */
  readonly reference: string;
  /** Set when the sandbox deliberately differs from AWS here: what differs and why (sandbox/README.md, Known differences). */
  readonly difference?: string;
  /** Per-variant set-up through the SDK; its result is passed on as `data`. */
  readonly setup?: (e: Env, v: Variant) => Promise<any>;
  /** Arguments after `aws --endpoint-url … --output json`. */
  readonly cli: (e: Env, v: Variant, data: any) => string[];
  readonly sdk: (e: Env, v: Variant, data: any) => Promise<unknown>;
  /** After a successful call: what to check instead of the answer (e.g. a job's final state). */
  readonly observe?: (e: Env, out: any, data: any, v: Variant) => Promise<unknown>;
  readonly expect: Expectation;
}

export function sdkClients(endpoint: string): Clients {
  const o = { endpoint, maxAttempts: 1 };
  return {
    ddb: new DynamoDBClient(o),
    kms: new KMSClient(o),
    sts: new STSClient(o),
    iam: new IAMClient(o),
    trail: new CloudTrailClient(o),
    backup: new BackupClient(o),
    s3: new S3Client({ ...o, forcePathStyle: true }),
  };
}

/** SDK v3 errors as an outcome. */
export function sdkOutcome(err: unknown): Outcome {
  const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return { ok: false, code: e.Code && e.name === 'Error' ? e.Code : e.name, message: e.message, status: e.$metadata?.httpStatusCode };
}

const CLI_ERROR = /An error occurred \(([^)]+)\)(?: \(reached max retries: \d+\))? when calling the \w+ operation(?: \(reached max retries: \d+\))?: ([\s\S]*)$/;

/** One CLI invocation's rc/stdout/stderr as an outcome. */
export function cliOutcome(r: { rc: number; out: string; err: string }): Outcome {
  if (r.rc === 0) {
    let output: unknown = {};
    try {
      output = r.out.trim() ? JSON.parse(r.out) : {};
    } catch {
      output = r.out;
    }
    return { ok: true, output };
  }
  const m = CLI_ERROR.exec(r.err.trim());
  return m ? { ok: false, code: m[1], message: m[2].trim() } : { ok: false, code: 'CliFailure', message: r.err.trim() || `exit ${r.rc}` };
}

const run = promisify(execFile);

/** Every AWS CLI major version a Python on this machine can import, with the interpreter that runs it. */
export async function installedClis(): Promise<Array<{ client: ClientName; python: string; version: string }>> {
  const found = new Map<ClientName, { client: ClientName; python: string; version: string }>();
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const { stdout } = await run(python, ['-c', 'import awscli; print(awscli.__version__)'], { timeout: 20_000 });
      const version = stdout.trim();
      const client: ClientName = version.startsWith('1.') ? 'cli-v1' : 'cli-v2';
      if (!found.has(client)) found.set(client, { client, python, version });
    } catch {
      // that interpreter has no AWS CLI
    }
  }
  return [...found.values()];
}

/** Runs the calls, in order, in one CLI process; answers one outcome per call. */
export async function runCliBatch(python: string, calls: string[][], env: Record<string, string>): Promise<Outcome[]> {
  if (calls.length === 0) return [];
  const child = spawn(python, [path.join(__dirname, 'cli-batch.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  const errs: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => errs.push(c));
  child.stdin.end(JSON.stringify(calls));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`cli-batch.py exited ${code}: ${Buffer.concat(errs).toString().slice(-2000)}`);
  const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { results: Array<{ rc: number; out: string; err: string }> };
  return parsed.results.map(cliOutcome);
}

/** Environment for the CLI: the sandbox's credentials and region, no config files, no pager. */
export function cliEnv(sandbox: Sandbox): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'PYENV_ROOT', 'PYENV_VERSION', 'TMPDIR'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: sandbox.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: sandbox.env.AWS_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: sandbox.env.AWS_REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
}

export function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'tablesafe-fidelity-'));
}

/** Polls `read` until `done` (fast: the suite's sandbox runs jobs at a high time scale). */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}
