/**
 * The real services behind the main job: in-process synth, the sandbox, terraform, SDK v3 clients
 * bound to the sandbox, and verify. Everything the demo writes lives under its workdir
 * (`.tablesafe/demo` by default): the synthesized stack with its sandbox endpoint baked in (kept
 * apart from `cdktf.out/`, which may hold real deployments), terraform's working files and state,
 * and the sandbox's state for this run.
 */
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { demo as demoConfig } from '../stacks/config';
import { CONTRACT_FILE_NAME, DRILL_TABLE_PREFIX, RECOVERY_POINT_TABLE_TAG } from '../core/contract';
import { isTablesafeError, TablesafeError } from '../core/errors';
import { readContract, readSuppressions } from '../core/outputs';
import { acquirePidLock } from '../core/pid-lock';
import { runBackupJob } from './backup';
import { deleteAndRecover, validateItems } from './disaster';
import { seedItems } from './items';
import { isWriterKey, startWriter } from './writer';
import type { DemoAws, DemoServices, EvidenceOutcome, SandboxHandle, ScheduledRecoveryPoint, TerraformLike, VerifyArgs, VerifyOutcome } from './main-job';
import { Terraform } from './terraform';
import type { AwsClients } from '../core/aws/clients';

export interface ServiceOptions {
  readonly workdir: string;
  readonly timeScale: number;
  readonly runId: string;
  /** Project root (reports and relative paths resolve against it). @default process.cwd() */
  readonly cwd?: string;
}

export const DEMO_STACK = demoConfig.environment;

/** One demo per workdir at a time: two would share terraform state. Returns the unlock function. */
export function lockWorkdir(workdir: string): () => void {
  mkdirSync(workdir, { recursive: true });
  return acquirePidLock(path.join(workdir, 'demo.pid'), (pid) =>
    new TablesafeError('TS_E_DEMO_BUSY', `another demo (process ${pid}) is using ${workdir}`, 'wait for it to finish (or stop it with Ctrl-C), or pass another --workdir'));
}

export function createDemoServices(o: ServiceOptions): DemoServices {
  const cwd = o.cwd ?? process.cwd();
  const workdir = path.resolve(cwd, o.workdir);
  const outdir = path.join(workdir, 'cdktf.out');
  const stateDir = path.join(workdir, 'runs', o.runId, 'sandbox');

  return {
    freePort: () =>
      new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const port = (server.address() as net.AddressInfo).port;
          server.close(() => resolve(port));
        });
      }),

    synth: async (endpoint) => {
      // Loaded here so `tablesafe demo --help` does not pay for cdktf.
      const { synthStacks, sandboxEnvironments } = await import('./synth');
      const dirs = synthStacks({ outdir, stacks: [DEMO_STACK], environments: sandboxEnvironments(), env: { ...process.env, TABLESAFE_ENDPOINT: endpoint, TABLESAFE_BACKEND: 'local', TABLESAFE_OFFLINE: undefined, TABLESAFE_ACCOUNT_ID: undefined } });
      const stackDir = dirs[DEMO_STACK];
      // State from an earlier demo describes a sandbox that no longer exists.
      for (const f of [`terraform.${DEMO_STACK}.tfstate`, `terraform.${DEMO_STACK}.tfstate.backup`]) rmSync(path.join(stackDir, f), { force: true });
      const contractFile = path.join(stackDir, CONTRACT_FILE_NAME);
      return { stackDir, contractFile, contract: readContract(contractFile, 'the demo stack was just synthesized: run the demo again'), tableName: demoConfig.table.name, partitionKey: demoConfig.table.partitionKey.name };
    },

    startSandbox: async (port) => {
      const { startSandbox } = await import('../sandbox');
      // Plan schedules run, as on AWS: the stack's own rules back the table up while the demo runs.
      // IAM is enforced for the stack's roles, which verify assumes: the demo proves they suffice.
      const sandbox = await startSandbox({ port, stateDir, timeScale: o.timeScale, runSchedules: true, quiet: true, enforceIam: true });
      return sandbox;
    },

    terraform: (stackDir, env, onLine, signal): TerraformLike => new Terraform({ cwd: stackDir, env, onLine, signal }),

    aws: (sandbox) => sandboxAws(sandbox),

    writeOutputs: (outputs) => {
      const file = path.join(workdir, 'runs', o.runId, 'outputs.json');
      mkdirSync(path.dirname(file), { recursive: true });
      // The `terraform output -json` shape verify reads (`{"name": {"value": …}}`).
      writeFileSync(file, `${JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])), null, 2)}\n`);
      return file;
    },

    verify: (args, log) => verifyInProcess({ ...args, cwd }, log),

    waitForStop: (signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        // Keeps the event loop alive while nothing else is pending.
        const timer = setInterval(() => undefined, 60_000);
        signal.addEventListener('abort', () => {
          clearInterval(timer);
          resolve();
        }, { once: true });
      }),

    cleanWorkdir: () => rmSync(path.join(workdir, 'runs', o.runId), { recursive: true, force: true }),
  };
}

function sandboxAws(sandbox: SandboxHandle): DemoAws {
  const base = {
    region: sandbox.env.AWS_REGION,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID, secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 8,
    retryMode: 'adaptive' as const,
  };
  // Unguarded clients: the demo writes its own source table on purpose (seed, the disaster's delete).
  const dynamodb = new DynamoDBClient(base);
  const backup = new BackupClient(base);
  const percent = (p: { percent?: number }) => p.percent;
  return {
    seed: (table, items, onProgress, signal) => seedItems({ client: dynamodb, tableName: table, items, onProgress, signal }),
    backup: (stack, runId, onProgress, signal) =>
      runBackupJob({
        client: backup, vaultName: stack.vaultName, tableArn: stack.tableArn, backupRoleArn: stack.backupRoleArn, idempotencyToken: `tablesafe-demo-${runId}`,
        // Tagged with its table, as the plan's points are: the drill role may restore only those.
        recoveryPointTags: { [RECOVERY_POINT_TABLE_TAG]: stack.tableName },
        signal, onProgress: (state, p) => onProgress(state, percent(p)),
      }),
    recover: (stack, log, onProgress, signal) =>
      deleteAndRecover({ dynamodb, backup, tableName: stack.tableName, tableArn: stack.tableArn, vaultName: stack.vaultName, keyArn: stack.keyArn, backupRoleArn: stack.backupRoleArn, signal, log, onProgress: (what, p) => onProgress(what, percent(p)) }),
    validate: (table, items, key, signal) => validateItems(dynamodb, table, items, key, signal, isWriterKey),
    startWriter: (table, partitionKey) => startWriter({ client: dynamodb, tableName: table, partitionKey }),
    drillTables: async () => {
      const names: string[] = [];
      let start: string | undefined;
      do {
        const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
        names.push(...(page.TableNames ?? []).filter((n) => n.startsWith(DRILL_TABLE_PREFIX)));
        start = page.LastEvaluatedTableName;
      } while (start);
      return names;
    },
    scheduledRecoveryPoints: async (vaultName) => {
      const points: ScheduledRecoveryPoint[] = [];
      let token: string | undefined;
      do {
        const page = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vaultName, NextToken: token }));
        for (const rp of page.RecoveryPoints ?? []) {
          // A plan's rule made it (the demo's own backup is on demand: no plan).
          if (!rp.CreatedBy?.BackupPlanId || !rp.RecoveryPointArn) continue;
          points.push({ arn: rp.RecoveryPointArn, status: String(rp.Status ?? 'UNKNOWN'), creationDate: rp.CreationDate ?? new Date(0), ruleId: rp.CreatedBy.BackupRuleName ?? rp.CreatedBy.BackupRuleId, schedule: rp.CreatedBy.BackupRuleCron });
        }
        token = page.NextToken;
      } while (token);
      return points.sort((a, b) => a.creationDate.getTime() - b.creationDate.getTime());
    },
    deleteTables: async (names) => {
      for (const name of names) {
        if (!name.startsWith(DRILL_TABLE_PREFIX)) throw new TablesafeError('TS_E_DEMO_CLEANUP', `refusing to delete ${name}: not a scratch table`);
        await dynamodb.send(new DeleteTableCommand({ TableName: name }));
      }
    },
    close: () => {
      dynamodb.destroy();
      backup.destroy();
    },
  };
}

/**
 * The pack sealed as `tablesafe verify` seals it (signed with the stack's key, uploaded to its
 * Object Lock bucket), verified at once by KMS and offline, and the history of the reports root
 * the demo writes to (so the summary shows this run next to the ones before it).
 */
async function sealAndRecord(dir: string, runId: string, args: VerifyArgs & { readonly cwd: string }, clients: AwsClients): Promise<EvidenceOutcome> {
  const [{ sealPack }, { verifyPack }, { buildHistory, findPackDirs }] = await Promise.all([import('../verify/evidence/seal'), import('../verify/evidence/check'), import('../verify/evidence/history')]);
  const sealed = await sealPack({ dir, runId, contract: args.contract, outputs: args.outputs, kms: clients.kms, s3: clients.s3 });
  const checked = await verifyPack(dir, { kms: clients.kms });
  const root = path.dirname(dir);
  const history = await buildHistory({ dirs: findPackDirs(root).filter((d) => path.dirname(d) === root), source: root });
  const first = sealed.uploaded?.keys[0];
  return {
    signed: sealed.signed,
    uploadedTo: sealed.uploaded && first ? `s3://${sealed.uploaded.bucket}/${first.split('/').slice(0, -1).join('/')}/` : undefined,
    lockedUntil: sealed.uploaded?.retainUntil,
    valid: checked.valid,
    problems: checked.lines.filter((l) => l.status === 'fail').map((l) => `${l.what}: ${l.message}`),
    // The sandbox (and its KMS) stops with the demo: the command that works afterwards is the offline one.
    verifyCommand: `npx tablesafe evidence verify ${path.relative(args.cwd, dir) || dir} --offline`,
    history: history.runs.filter((r) => r.stack === args.contract.stack).map((r) => ({ runId: r.runId, startedAt: r.startedAt, verdict: r.verdict, rtoSeconds: r.rtoSeconds, signature: r.signature })),
  };
}

/**
 * The verify phase: `runVerify()` in this process with clients built for the sandbox (its
 * credentials passed explicitly, nothing put in the environment), then the report written under
 * `out/<run-id>/`. A TablesafeError (verify could not run) becomes exit 2 with its one line.
 */
async function verifyInProcess(args: VerifyArgs & { readonly cwd: string }, log: (line: string) => void): Promise<VerifyOutcome> {
  const [{ runVerify }, { writeReport }, { createClients }, { roleClients }, { newRunId }] = await Promise.all([
    import('../verify/run'), import('../verify/report/writers'), import('../core/aws/clients'), import('../verify/identities'), import('../verify/drill/scratch'),
  ]);
  const clientOptions = { region: args.env.AWS_REGION ?? args.outputs.region ?? args.contract.region, endpoint: args.endpoint };
  const clients = createClients({ ...clientOptions, credentials: { accessKeyId: args.env.AWS_ACCESS_KEY_ID, secretAccessKey: args.env.AWS_SECRET_ACCESS_KEY } });
  const runId = newRunId();
  // As on AWS: the live checks run as the stack's auditor role, the drill as its restore-drill role.
  const phases = roleClients({ outputs: args.outputs, caller: clients, clientOptions, runId });
  try {
    const report = await runVerify({ contract: args.contract, outputs: args.outputs, clients, phaseClients: phases, options: { runId, sources: args.sources, log, suppressions: readSuppressions(args.sources.contract), fresh: args.fresh } });
    const reportDir = path.resolve(args.cwd, args.out, report.runId);
    writeReport(report, reportDir);
    const evidence = await sealAndRecord(reportDir, report.runId, args, clients);
    const d = report.drill;
    return {
      exitCode: report.verdict === 'PASSED' ? 0 : 1,
      verdict: report.verdict,
      reportDir,
      passed: report.summary.passed,
      failed: report.summary.failed,
      failedChecks: report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`),
      rtoSeconds: d?.rtoMeasuredSeconds,
      rtoTargetMinutes: d?.rtoTargetMinutes,
      // The headline RPO as BACKUP-RPO judged it (a point from before the run), never a fresh backup's age.
      rpoMinutes: report.figures.rpo.ageMinutes,
      rpoTargetMinutes: report.figures.rpo.targetMinutes,
      sourceItems: d?.sourceItems,
      restoredItems: d?.restoredItems,
      itemsValidated: d?.itemsValidated,
      restoreWaitSeconds: d?.rtoMeasuredSeconds,
      paths: d?.paths?.map((p) => ({ path: p.path, status: p.status, rtoSeconds: p.rtoMeasuredSeconds, agrees: p.agreement?.equal })),
      dataAtRisk: d?.dataAtRisk && { total: d.dataAtRisk.total, added: d.dataAtRisk.added, changed: d.dataAtRisk.changed, removed: d.dataAtRisk.removed },
      evidence,
    };
  } catch (e) {
    if (isTablesafeError(e)) return { exitCode: 2, error: `tablesafe verify: ${e.toLine()}` };
    throw e;
  } finally {
    phases.destroy();
    clients.destroy();
  }
}
