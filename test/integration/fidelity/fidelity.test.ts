/**
 * The fidelity conformance suite: every case names the AWS behaviour it checks (API reference or
 * developer guide) and runs with each real client on this machine — the JS SDK v3 and every AWS
 * CLI major version installed (v1 and/or v2) — against one sandbox. A case the sandbox deliberately
 * answers differently asserts the difference documented in sandbox/README.md ("Known
 * differences") and does not count as AWS-documented behaviour in the score:
 *
 *   fidelity: N/M cases as AWS documents
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startSandbox } from '../../../sandbox';
import { tempStateDir, useSandboxEnv } from '../sandbox/helpers';
import { BACKUP_CASES } from './cases/backup';
import { DYNAMODB_CASES } from './cases/dynamodb';
import { EXPORT_CASES } from './cases/exports';
import { GLOBAL_TABLE_CASES } from './cases/global-tables';
import { IDENTITY_CASES } from './cases/identity';
import { KMS_CASES } from './cases/kms';
import { PROTOCOL_CASES } from './cases/protocol';
import { TRAIL_DELIVERY_CASES } from './cases/trail-delivery';
import { makeFixtures } from './fixtures';
import {
  cliEnv, installedClis, pool, runCliBatch, scratchDir, sdkClients, sdkOutcome, type Case, type ClientName, type Env, type Outcome, type Variant,
} from './harness';

jest.setTimeout(240_000);

const CASES: Case[] = [...DYNAMODB_CASES, ...GLOBAL_TABLE_CASES, ...EXPORT_CASES, ...KMS_CASES, ...IDENTITY_CASES, ...TRAIL_DELIVERY_CASES, ...BACKUP_CASES, ...PROTOCOL_CASES];
const TAGS: Record<ClientName, string> = { 'sdk-v3': 's', 'cli-v1': 'c1', 'cli-v2': 'c2' };

interface Verdict {
  readonly client: ClientName;
  readonly pass: boolean;
  readonly detail?: string;
}

let env: Env | undefined;
let variants: Variant[] = [];
const verdicts = new Map<string, Verdict[]>();

function judge(c: Case, v: Variant, outcome: Outcome, observed: unknown, data: unknown): Verdict {
  const exp = c.expect;
  const seen = outcome.ok ? 'success' : `${outcome.code}${outcome.status ? ` (HTTP ${outcome.status})` : ''}: ${outcome.message}`;
  if (typeof exp !== 'function') {
    if (outcome.ok) return { client: v.client, pass: false, detail: `expected ${exp.error}, got success: ${JSON.stringify(outcome.output).slice(0, 300)}` };
    // SDK v3 names a modeled query-protocol error by its shape (NoSuchEntityException for the wire code NoSuchEntity).
    const sameCode = outcome.code === exp.error || (v.client === 'sdk-v3' && outcome.code === `${exp.error}Exception`);
    const problems = [
      !sameCode && `code ${outcome.code} ≠ ${exp.error}`,
      exp.message && !exp.message.test(outcome.message ?? '') && `message does not match ${exp.message}`,
      exp.status !== undefined && outcome.status !== undefined && outcome.status !== exp.status && `HTTP ${outcome.status} ≠ ${exp.status}`,
    ].filter(Boolean);
    return problems.length ? { client: v.client, pass: false, detail: `${problems.join('; ')} — got ${seen}` } : { client: v.client, pass: true };
  }
  if (!outcome.ok) return { client: v.client, pass: false, detail: `expected success, got ${seen}` };
  try {
    exp(observed, data, v);
    return { client: v.client, pass: true };
  } catch (err) {
    return { client: v.client, pass: false, detail: (err as Error).message.replace(/\s+/g, ' ').slice(0, 600) };
  }
}

beforeAll(async () => {
  useSandboxEnv();
  const sandbox = await startSandbox({ quiet: true, stateDir: tempStateDir(), timeScale: 500 });
  env = { sandbox, endpoint: sandbox.endpoint, region: 'us-east-1', account: '123456789012', sdk: sdkClients(sandbox.endpoint), fx: {} };
  const e = env;
  const clis = await installedClis();
  if (clis.length === 0) throw new Error('no AWS CLI is installed: the fidelity suite runs every case with the CLI and the SDK (pip install awscli, or apt-get install awscli)');
  variants = [{ client: 'sdk-v3', tag: TAGS['sdk-v3'], dir: scratchDir() }, ...clis.map((c) => ({ client: c.client, tag: TAGS[c.client], dir: scratchDir() }))];
  const t0 = Date.now();
  const lap = (what: string) => process.stderr.write(`fidelity: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await makeFixtures(e);
  lap('fixtures');

  // Set-up per case and variant (through the SDK), then each client's calls: the CLI ones in one
  // batch per CLI, the SDK ones alongside.
  const jobs = CASES.flatMap((c) => variants.map((v) => ({ c, v })));
  const data = await pool(jobs, 6, async ({ c, v }) => (c.setup ? c.setup(e, v) : undefined));
  lap('set-up');
  const dataOf = (c: Case, v: Variant) => data[jobs.findIndex((j) => j.c === c && j.v === v)];
  const outcomes = new Map<string, Outcome>();
  const key = (c: Case, v: Variant) => `${c.id}|${v.client}`;
  const cliRuns = clis.map(async (cli) => {
    const v = variants.find((x) => x.client === cli.client)!;
    const calls = CASES.map((c) => ['--endpoint-url', e.endpoint, '--region', 'us-east-1', '--output', 'json', ...c.cli(e, v, dataOf(c, v))]);
    const results = await runCliBatch(cli.python, calls, cliEnv(sandbox));
    CASES.forEach((c, i) => outcomes.set(key(c, v), results[i]));
    lap(`${cli.client} ${cli.version}`);
  });
  const sdkVariant = variants[0];
  const sdkRuns = pool(CASES, 6, async (c) => {
    try {
      outcomes.set(key(c, sdkVariant), { ok: true, output: await c.sdk(e, sdkVariant, dataOf(c, sdkVariant)) });
    } catch (err) {
      outcomes.set(key(c, sdkVariant), sdkOutcome(err));
    }
  });
  await Promise.all([...cliRuns, sdkRuns.then(() => lap('sdk-v3'))]);

  await pool(jobs, 6, async ({ c, v }) => {
    const outcome = outcomes.get(key(c, v))!;
    let observed: unknown = outcome.output;
    if (outcome.ok && c.observe) {
      try {
        observed = await c.observe(e, outcome.output, dataOf(c, v), v);
      } catch (err) {
        const list = verdicts.get(c.id) ?? [];
        list.push({ client: v.client, pass: false, detail: `observing the result failed: ${(err as Error).message}` });
        verdicts.set(c.id, list);
        return;
      }
    }
    const list = verdicts.get(c.id) ?? [];
    list.push(judge(c, v, outcome, observed, dataOf(c, v)));
    verdicts.set(c.id, list);
  });
});

afterAll(async () => {
  const asDocumented = CASES.filter((c) => !c.difference && (verdicts.get(c.id) ?? []).length === variants.length && verdicts.get(c.id)!.every((v) => v.pass));
  const differences = CASES.filter((c) => c.difference).length;
  const line = `fidelity: ${asDocumented.length}/${CASES.length} cases as AWS documents (${differences} documented differences; clients: ${variants.map((v) => v.client).join(', ')})`;
  process.stdout.write(`\n${line}\n`);
  const out = path.join(process.cwd(), '.tablesafe');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'fidelity.json'), `${JSON.stringify({
    score: line,
    cases: CASES.map((c) => ({ id: c.id, reference: c.reference, difference: c.difference, results: verdicts.get(c.id) ?? [] })),
  }, null, 2)}\n`);
  await env?.sandbox.stop();
});

describe('fidelity conformance', () => {
  it('has at least 100 cases, each naming the AWS behaviour it checks', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(CASES.filter((c) => c.reference.length < 20).map((c) => c.id)).toEqual([]);
  });

  it('runs every case with the SDK and at least one AWS CLI', () => {
    expect(variants.map((v) => v.client)).toEqual(expect.arrayContaining(['sdk-v3', expect.stringMatching(/^cli-v[12]$/)]));
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const failed = (verdicts.get(c.id) ?? []).filter((v) => !v.pass).map((v) => `${v.client}: ${v.detail}`);
    expect({ reference: c.reference, ran: (verdicts.get(c.id) ?? []).length, failed }).toEqual({ reference: c.reference, ran: variants.length, failed: [] });
  });
});
