/**
 * tablesafe as a package in someone else's cdktf app: `npm pack`, install the tarball into a fresh
 * app, build a stack from the constructs (key, table, vault, plan, selection, roles) held to the
 * compliance Aspect beside a PlatformStack with the app's own config, synthesize, `npx tablesafe
 * check` both, apply both with real terraform on the sandbox, `npx tablesafe verify` the platform
 * stack (contract + saved outputs + endpoint, with a fresh backup and the restore drill), destroy.
 *
 * Installing offline. The npm cache of a machine is not complete enough for `npm install --offline`
 * to resolve tablesafe's dependency tree (it needs every packument), and this test must not reach
 * a registry. So the app declares tablesafe as `file:<tarball>` — npm extracts it, links its bin and
 * checks its peer dependencies exactly as for a registry install — and declares each of tablesafe's
 * dependencies and peer dependencies as `file:` links into this checkout's node_modules, which npm
 * accepts offline (about 2 s). Only those packages are reachable from the app's node_modules: a
 * dev dependency the package forgot to declare (ts-node, typescript) fails here as it would for a
 * user. The app is compiled with this checkout's tsc (a user's devDependency, kept out of the app's
 * node_modules for that reason) and synthesized with `node main.js`, the command its cdktf.json
 * gives `cdktf synth`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BackupClient } from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { OUTPUT_NAMES } from '../../../core/contract';
import { runBackupJob } from '../../../demo/backup';
import { Terraform } from '../../../demo/terraform';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { tempStateDir, useSandboxEnv } from '../../integration/sandbox/helpers';
import { initArgs, tail, terraform, type TerraformRun } from '../sandbox/terraform-cycle';

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '../../..');
const work = mkdtempSync(path.join(tmpdir(), 'tablesafe-consumer-'));
const app = path.join(work, 'app');
const FIXTURES = path.join(root, 'test', 'fixtures', 'consumer');
const STACKS = ['orders', 'payments'] as const;
const stackDir = (stack: string) => path.join(app, 'cdktf.out', 'stacks', stack);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const failure = (r: Run) => (r.code === 0 ? '' : `${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`);
const tfFailure = (r: TerraformRun) => (r.code === 0 ? '' : tail(r, 60));

/** Writes the app a user would: package.json, cdktf.json, tsconfig.json, main.ts. */
function writeApp(tarball: string): void {
  mkdirSync(app, { recursive: true });
  const modules = realpathSync(path.join(root, 'node_modules'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
  const link = (name: string) => [name, `file:${path.join(modules, name)}`];
  const dependencies = Object.fromEntries([['tablesafe', `file:${tarball}`], ...[...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)].map(link)]);
  writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'platform-apps', version: '1.0.0', private: true, dependencies, devDependencies: Object.fromEntries([link('@types/node')]) }, null, 2)}\n`);
  writeFileSync(path.join(app, 'cdktf.json'), `${JSON.stringify({ language: 'typescript', app: 'node main.js', terraformProviders: [], terraformModules: [] }, null, 2)}\n`);
  // As `cdktf init --template=typescript` writes it (CommonJS, classic node resolution: typesVersions must map the subpaths).
  const compilerOptions = {
    target: 'ES2018', lib: ['es2018'], module: 'CommonJS', strict: true, noImplicitReturns: true, noUnusedLocals: true,
    noUnusedParameters: true, experimentalDecorators: true, inlineSourceMap: true, skipLibCheck: true, types: ['node'],
  };
  writeFileSync(path.join(app, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2)}\n`);
  // main.ts is the README's "Use tablesafe in your own cdktf app" example (a unit test keeps them equal);
  // insecure.ts breaks a rule (PITR off), so the Aspect from the package must fail its synth.
  for (const file of ['main.ts', 'insecure.ts']) copyFileSync(path.join(FIXTURES, file), path.join(app, file));
}

let sandbox: Sandbox | undefined;
let env: Record<string, string>;
const applied = new Set<string>();

beforeAll(async () => {
  // `npm pack` runs `prepare` (the incremental build) and honours `files`, as `npm publish` would.
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], root);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${failure(pack)}`);
  const tarball = path.join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
  writeApp(tarball);

  useSandboxEnv();
  sandbox = await startSandbox({ stateDir: tempStateDir(), quiet: true, timeScale: 100 });
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  env = { ...inherited, ...sandbox.env, CI: 'true', CHECKPOINT_DISABLE: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false' };
}, 120_000);

afterAll(async () => {
  // Whatever happened, nothing stays up: destroy what was applied (tables unprotected first), stop the sandbox.
  try {
    if (sandbox && applied.size) {
      await liftDeletionProtection(sandbox.endpoint);
      await Promise.all([...applied].map((s) => terraform(stackDir(s), ['destroy', '-auto-approve'], env)));
    }
  } finally {
    await sandbox?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}, 180_000);

/** The tables are deletion-protected, as they should be; an operator lifts that before a teardown. */
async function liftDeletionProtection(endpoint: string): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint });
  for (const name of (await ddb.send(new ListTablesCommand({}))).TableNames ?? []) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.DeletionProtectionEnabled) await ddb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
  }
}

test('npm installs the packed tarball offline, with the tablesafe binary and compiled JavaScript only', async () => {
  const install = await run('npm', ['install', '--offline', '--install-links=false', '--ignore-scripts', '--no-audit', '--no-fund'], app, env);
  expect({ code: install.code, failure: failure(install) }).toEqual({ code: 0, failure: '' });
  const installed = path.join(app, 'node_modules', 'tablesafe');
  expect({
    bin: existsSync(path.join(app, 'node_modules', '.bin', 'tablesafe')),
    entry: existsSync(path.join(installed, 'dist', 'index.js')) && existsSync(path.join(installed, 'dist', 'index.d.ts')),
    schema: existsSync(path.join(installed, 'dist', 'verify', 'report', 'report.schema.json')),
    sources: ['cli/main.ts', 'test', 'bench', 'tsconfig.json', 'dist/.tsbuildinfo'].filter((f) => existsSync(path.join(installed, f))),
  }).toEqual({ bin: true, entry: true, schema: true, sources: [] });
});

test('the app compiles against the declarations and synthesizes both stacks through the compliance Aspect', async () => {
  const tsc = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app, env);
  expect({ code: tsc.code, failure: failure(tsc) }).toEqual({ code: 0, failure: '' });
  const synth = await run(process.execPath, ['main.js'], app, { ...env, TABLESAFE_ENDPOINT: sandbox!.endpoint, TABLESAFE_BACKEND: 'local' });
  expect({ code: synth.code, failure: failure(synth) }).toEqual({ code: 0, failure: '' });
  const compliance = STACKS.map((s) => JSON.parse(readFileSync(path.join(stackDir(s), 'tablesafe.compliance.json'), 'utf8')) as { pack: string; compliant: boolean });
  expect(compliance.map((c) => [c.pack, c.compliant])).toEqual([['tablesafe-strict', true], ['tablesafe-strict', true]]);
  expect(existsSync(path.join(stackDir('payments'), 'tablesafe.contract.json'))).toBe(true);
});

test('the Aspect from the package fails the synth of a stack that breaks a rule', async () => {
  const synth = await run(process.execPath, ['insecure.js'], app, env);
  expect(synth.code).not.toBe(0);
  expect(synth.stderr).toMatch(/TS_E_COMPLIANCE/);
  expect(synth.stderr).toMatch(/TS-DDB-001 \[insecure\/table\/table\] point-in-time recovery is disabled/);
});

test.each(STACKS)('npx tablesafe check cdktf.out/stacks/%s exits 0', async (stack) => {
  const check = await run('npx', ['--no', 'tablesafe', 'check', path.join('cdktf.out', 'stacks', stack)], app, env);
  expect({ code: check.code, failure: failure(check) }).toEqual({ code: 0, failure: '' });
  expect(check.stdout).toMatch(new RegExp(`tablesafe-strict on ${stack}: compliant`));
});

test('terraform applies both stacks on the sandbox', async () => {
  const runs = await Promise.all(
    STACKS.map(async (stack) => {
      const init = await terraform(stackDir(stack), initArgs(), env);
      if (init.code !== 0) return { stack, code: init.code, failure: tfFailure(init) };
      applied.add(stack);
      const apply = await terraform(stackDir(stack), ['apply', '-auto-approve'], env);
      return { stack, code: apply.code, failure: tfFailure(apply) };
    }),
  );
  expect(runs.sort((a, b) => a.stack.localeCompare(b.stack))).toEqual(STACKS.map((stack) => ({ stack, code: 0, failure: '' })));
});

test('npx tablesafe verify --contract --outputs --endpoint proves the payments stack, restore drill included', async () => {
  const ddb = new DynamoDBClient({ endpoint: sandbox!.endpoint });
  for (let i = 1; i <= 5; i++) await ddb.send(new PutItemCommand({ TableName: 'payments', Item: { PaymentId: { S: `p-${i}` }, Amount: { N: String(i * 10) } } }));
  // What a pipeline saves after apply (`terraform output -json > outputs.json`).
  const saved = await new Terraform({ cwd: stackDir('payments'), env }).run(['output', '-json', '-no-color'], false);
  expect({ code: saved.exitCode, output: saved.exitCode === 0 ? '' : saved.output }).toEqual({ code: 0, output: '' });
  writeFileSync(path.join(app, 'outputs.json'), saved.stdout);
  // The plan's first scheduled backup, taken now: verify proves the latest recovery point restores.
  const outputs = JSON.parse(saved.stdout) as Record<string, { value: string }>;
  const value = (key: keyof typeof OUTPUT_NAMES) => outputs[OUTPUT_NAMES[key]].value;
  await runBackupJob({
    client: new BackupClient({ endpoint: sandbox!.endpoint }),
    vaultName: value('vaultName'),
    tableArn: value('tableArn'),
    backupRoleArn: value('backupRoleArn'),
    idempotencyToken: 'consumer-test',
    maxWaitMs: 60_000,
  });
  const contract = path.join('cdktf.out', 'stacks', 'payments', 'tablesafe.contract.json');
  const verify = await run('npx', ['--no', 'tablesafe', 'verify', '--contract', contract, '--outputs', 'outputs.json', '--endpoint', sandbox!.endpoint, '--out', 'reports', '--json'], app, env);
  expect({ code: verify.code, failure: failure(verify) }).toEqual({ code: 0, failure: '' });
  const report = JSON.parse(verify.stdout) as { verdict: string; stack: string; drill?: { restoredItems?: number; itemsValidated: number; cleanedUp: boolean } };
  expect({ verdict: report.verdict, stack: report.stack, restored: report.drill?.restoredItems, cleanedUp: report.drill?.cleanedUp }).toEqual({ verdict: 'PASSED', stack: 'payments', restored: 5, cleanedUp: true });
});

test('terraform destroys both stacks', async () => {
  await liftDeletionProtection(sandbox!.endpoint);
  const runs = await Promise.all(
    [...applied].map(async (stack) => {
      const destroy = await terraform(stackDir(stack), ['destroy', '-auto-approve'], env);
      if (destroy.code === 0) applied.delete(stack);
      return { stack, code: destroy.code, failure: tfFailure(destroy) };
    }),
  );
  expect(runs.sort((a, b) => a.stack.localeCompare(b.stack))).toEqual(STACKS.map((stack) => ({ stack, code: 0, failure: '' })));
  const ddb = new DynamoDBClient({ endpoint: sandbox!.endpoint });
  expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
});
