/**
 * Verify holds on every shipped stack: `demo`, `dev` and `prod`, each applied with real Terraform to
 * its own sandbox whose backup plans run on their own schedules (time scale 3600: an hour a second), so
 * the plans' rules make the recovery points — prod's daily rule also its copy in the DR vault in
 * us-west-2. Then `tablesafe verify --stack <env>` exits 0 for each. On prod, each out-of-band
 * change gives exit 1 naming exactly the checks it breaks, and undoing it gives exit 0 again
 * (`--skip-drill`: the drill is not what these cases test). And on prod, a DR copy that is missing or
 * corrupt, or a restore that hangs in the DR region, fails the drill naming the right check, with a
 * complete report and no scratch table left in either region.
 *
 * Every stack's evidence bucket is read live and passes EVIDENCE-BUCKET and TS-S3-004 to 008; on
 * prod, its TLS-only policy deleted fails TS-S3-007. A plan of each applied stack passes
 * `tablesafe check`, its capability matrix simulated from the planned values (TS-IAM-005).
 *
 * IAM is enforced (`enforceIam`): verify runs its live checks as the stack's auditor role and the
 * drill as its restore-drill role, so each pass proves those roles suffice; a needed action removed
 * from the drill role fails the drill with AccessDenied naming it, and the drill role cannot delete
 * the source table.
 *
 * One sandbox per stack: moto's DescribeTrails ignores trailNameList, and the AWS provider refuses
 * a trail read that lists more than one trail, so three stacks' trails cannot share one moto.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  BackupClient,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DescribeBackupVaultCommand,
  GetBackupVaultAccessPolicyCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { CloudTrailClient, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AttributeValue, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DisableKeyRotationCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runVerifyCli } from '../../../cli/verify';
import { loadCheckInput, runCheck } from '../../../compliance';
import { sandboxEnvironments, synthStacks } from '../../../demo/synth';
import { Terraform } from '../../../demo/terraform';
import { startSandbox, type Sandbox } from '../../../sandbox';
import type { Report } from '../../../verify/report/report';
import { postFault, tempStateDir, useSandboxEnv } from '../../integration/sandbox/helpers';
import { pluginDir } from './terraform-cycle';

jest.setTimeout(900_000);

const STACKS = ['demo', 'dev', 'prod'] as const;
type Stack = (typeof STACKS)[number];
const DR = 'us-west-2';
/** An hour of schedule time a second: hourly rules fire every second, daily ones every 24 s. */
const TIME_SCALE = 3600;

const sandboxes: Partial<Record<Stack, Sandbox>> = {};
let root: string;
const outputs: Partial<Record<Stack, Record<string, string>>> = {};
const terraforms: Partial<Record<Stack, Terraform>> = {};
const timings: string[] = [];

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function until<T>(what: string, fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Items each stack's table accepts (prod: sort key and the GSI/LSI attributes). */
function seedItems(stack: Stack): Record<string, AttributeValue>[] {
  return Array.from({ length: 5 }, (_, i) => ({
    ID: { S: `item-${i}` },
    ...(stack === 'prod' ? { SK: { S: 'v1' }, Status: { S: i % 2 ? 'open' : 'closed' }, UpdatedAt: { S: `2026-01-0${i + 1}` } } : {}),
    Owner: { S: `owner-${i % 2}` },
    n: { N: String(i) },
  }));
}

/** COMPLETED recovery points of the table made by the stack's own plan after `after`. */
async function scheduledPoints(endpoint: string, vault: string, region: string, tableArn: string, planId: string | undefined, after: Date): Promise<RecoveryPointByBackupVault[]> {
  const client = new BackupClient({ endpoint, region });
  try {
    const all: RecoveryPointByBackupVault[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, ByResourceArn: tableArn, NextToken }));
      all.push(...(page.RecoveryPoints ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all.filter((p) => p.Status === 'COMPLETED' && (p.CreationDate?.getTime() ?? 0) > after.getTime() && (planId === undefined || p.CreatedBy?.BackupPlanId === planId));
  } finally {
    client.destroy();
  }
}

interface Run {
  readonly code: number;
  readonly report: Report;
  readonly failed: string[];
  readonly dir: string;
}

/** `tablesafe verify --stack <stack>` in-process, as the command line runs it. */
async function verify(stack: Stack, ...extra: string[]): Promise<Run> {
  return runCommand('verify', stack, ...extra);
}

/** `tablesafe <verify|drill> --stack <stack>` in-process, as the command line runs it. */
async function runCommand(command: 'verify' | 'drill', stack: Stack, ...extra: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await runVerifyCli([command, '--stack', stack, '--endpoint', sandboxes[stack]!.endpoint, '--out', path.join(root, 'reports'), ...extra], { stdout: stream(out), stderr: stream(err), cwd: path.join(root, stack) });
  const dir = /reports: (.*)/.exec(out.join(''))?.[1]?.trim();
  if (!dir) throw new Error(`verify ${stack} wrote no report (exit ${code}): ${err.join('')}`);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
  return { code, report, failed: report.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort(), dir };
}

const failures = (r: Run) => r.report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);

beforeAll(async () => {
  useSandboxEnv();
  root = mkdtempSync(path.join(tmpdir(), 'tablesafe-verify-stacks-'));
  mkdirSync(path.join(root, 'reports'));
  await timed('start three sandboxes', async () => {
    for (const stack of STACKS) sandboxes[stack] = await startSandbox({ stateDir: tempStateDir(), quiet: true, timeScale: TIME_SCALE, runSchedules: true, enforceIam: true });
  });
  const synthEnv = { ...process.env, TABLESAFE_BACKEND: 'local', TABLESAFE_OFFLINE: undefined, TABLESAFE_ACCOUNT_ID: undefined };
  const dirs: Partial<Record<Stack, string>> = {};
  await timed('synth demo, dev, prod', async () => {
    // Each stack synthesized against its own sandbox's endpoint, in a project dir of its own.
    for (const stack of STACKS) Object.assign(dirs, synthStacks({ outdir: path.join(root, stack, 'cdktf.out'), stacks: [stack], environments: sandboxEnvironments(), env: { ...synthEnv, TABLESAFE_ENDPOINT: sandboxes[stack]!.endpoint } }));
  });
  const applied = await timed('init + apply demo, dev, prod (in parallel)', () =>
    Promise.allSettled(
      STACKS.map(async (stack) => {
        const tf = new Terraform({ cwd: dirs[stack]!, env: { ...synthEnv, ...sandboxes[stack]!.env }, pluginDir: pluginDir() });
        await tf.init();
        await tf.apply();
        outputs[stack] = (await tf.outputs()) as Record<string, string>;
        terraforms[stack] = tf;
      }),
    ),
  );
  const failed = applied.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const seeded = new Date();
  for (const stack of STACKS) {
    const ddb = new DynamoDBClient({ endpoint: sandboxes[stack]!.endpoint });
    for (const Item of seedItems(stack)) await ddb.send(new PutItemCommand({ TableName: outputs[stack]!.table_name, Item }));
    ddb.destroy();
  }
  // The plans' own rules back the seeded tables up; prod's daily rule also copies to us-west-2.
  await timed('scheduled recovery points (and the DR copy)', () =>
    Promise.all(
      STACKS.flatMap((stack) => {
        const o = outputs[stack]!;
        const ep = sandboxes[stack]!.endpoint;
        const waits = [until(`${stack}: a scheduled recovery point`, () => scheduledPoints(ep, o.backup_vault_name, 'us-east-1', o.table_arn, o.backup_plan_id, seeded), (l) => l.length > 0)];
        if (o.dr_backup_vault_name) waits.push(until(`${stack}: a scheduled copy in ${DR}`, () => scheduledPoints(ep, o.dr_backup_vault_name, DR, o.table_arn, undefined, seeded), (l) => l.length > 0));
        return waits;
      }),
    ),
  );
});

afterAll(async () => {
  for (const s of Object.values(sandboxes)) await s?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  process.stdout.write(`verify-stacks timings:\n  ${timings.join('\n  ')}\n`);
});

describe.each(STACKS)('tablesafe verify --stack %s on a correct deployment', (stack) => {
  it('exits 0: live checks, the DR copy where declared, and the restore drill all pass', async () => {
    // prod with --fresh: the run whose drill restores a fresh backup must agree about the RPO.
    const run = await timed(`verify ${stack}`, () => (stack === 'prod' ? verify(stack, '--fresh') : verify(stack)));
    expect({ code: run.code, failures: failures(run) }).toEqual({ code: 0, failures: [] });
    const ids = run.report.checks.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['BACKUP-RPO', 'DRILL-RESTORE', 'DATA-DIGEST']));
    // Each phase ran as the stack's role for it, in a session named after the run.
    const roleName = (arn: string) => arn.split('/').pop();
    expect(run.report.identities).toEqual({
      liveChecks: `arn:aws:sts::123456789012:assumed-role/${roleName(outputs[stack]!.auditor_role_arn)}/tablesafe-audit-${run.report.runId}`,
      drill: `arn:aws:sts::123456789012:assumed-role/${roleName(outputs[stack]!.restore_drill_role_arn)}/tablesafe-drill-${run.report.runId}`,
    });
    // The evidence bucket, read live as the auditor: write-once as declared, and held to the evidence rules.
    const evidence = outputs[stack]!.evidence_bucket_name;
    const passed = run.report.checks.filter((c) => c.status === 'pass').map((c) => c.id);
    expect(passed).toEqual(expect.arrayContaining(['EVIDENCE-BUCKET', ...['004', '005', '006', '007', '008'].map((n) => `TS-S3-${n}:${evidence}`)]));
    if (stack === 'prod') {
      expect(ids).toEqual(expect.arrayContaining(['BACKUP-DR-COPY', 'BACKUP-DR-VAULT', 'KEY-DR', 'TS-DDB-005:tablesafe-prod-records', 'TS-BAK-002:tablesafe-prod-dr-vault', 'TS-BAK-003:tablesafe-prod-dr-vault', 'TS-KMS-001:alias/tablesafe-prod-dr']));
      expect(run.report.checks.find((c) => c.id === 'BACKUP-RPO')?.message).toMatch(/^latest recovery point is [\d.]+ min old \(RPO 60 min\)$/);
    }
  });
});

describe.each(STACKS)('tablesafe check on a plan of the applied %s stack', (stack) => {
  it('passes, the capability matrix simulated from the planned values for every role', async () => {
    const tf = terraforms[stack]!;
    const plan = await tf.run(['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin'], false);
    if (plan.exitCode !== 0) throw new Error(`terraform plan failed:\n${plan.output}`);
    const show = await tf.run(['show', '-json', '-no-color', 'plan.bin'], false);
    const file = path.join(root, stack, 'cdktf.out', 'stacks', stack, 'plan.json');
    writeFileSync(file, show.stdout);
    const report = runCheck(loadCheckInput(file));
    expect(report.compliance.violations.map((f) => `${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
    // Applied, nothing is left to be known after apply: no unknown either, and the gate passes.
    expect(report.compliance.findings.filter((f) => f.status === 'unknown').map((f) => `${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
    expect(report.exitCode).toBe(0);
    const matrix = report.compliance.findings.filter((f) => f.ruleId === 'TS-IAM-005' && f.status !== 'not-applicable');
    expect(matrix.map((f) => [f.resource.id, f.status])).toEqual(
      ['auditor', 'restore_drill', 'backup', 'app_reader', 'app_writer'].map(() => [expect.stringMatching(/^aws_iam_role\./), 'compliant']),
    );
  });
});

describe('prod: each out-of-band change fails verify naming its check; undoing it passes again', () => {
  const o = () => outputs.prod!;
  const endpoint = () => sandboxes.prod!.endpoint;

  async function drift(name: string, change: () => Promise<void>, undo: () => Promise<void>, expected: string[]): Promise<void> {
    await change();
    const broken = await timed(`prod drift: ${name}`, () => verify('prod', '--skip-drill'));
    await undo();
    const fixed = await timed(`prod undo: ${name}`, () => verify('prod', '--skip-drill'));
    expect({ broken: { code: broken.code, failed: broken.failed }, fixed: { code: fixed.code, failures: failures(fixed) } }).toEqual({
      broken: { code: 1, failed: [...expected].sort() },
      fixed: { code: 0, failures: [] },
    });
  }

  it('DR vault access policy deleted → BACKUP-DR-VAULT-POLICY and TS-BAK-002 for the DR vault', async () => {
    const backup = new BackupClient({ endpoint: endpoint(), region: DR });
    const vault = o().dr_backup_vault_name;
    const policy = (await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault }))).Policy!;
    await drift(
      'DR vault policy deleted',
      async () => void (await backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vault }))),
      async () => void (await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policy }))),
      ['BACKUP-DR-VAULT-POLICY', `TS-BAK-002:${vault}`],
    );
    backup.destroy();
  });

  it('DR vault lock removed → BACKUP-DR-VAULT and TS-BAK-003 for the DR vault', async () => {
    const backup = new BackupClient({ endpoint: endpoint(), region: DR });
    const vault = o().dr_backup_vault_name;
    const before = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    await drift(
      'DR vault lock removed',
      async () => void (await backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault }))),
      async () => void (await backup.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, MinRetentionDays: before.MinRetentionDays, MaxRetentionDays: before.MaxRetentionDays }))),
      ['BACKUP-DR-VAULT', `TS-BAK-003:${vault}`],
    );
    backup.destroy();
  });

  it("a GSI's scaling target deregistered → TABLE-BILLING and TS-DDB-005", async () => {
    const scaling = new ApplicationAutoScalingClient({ endpoint: endpoint() });
    const resource = `table/${o().table_name}/index/by-status`;
    const dimension = 'dynamodb:index:ReadCapacityUnits';
    const target = (await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: [resource], ScalableDimension: dimension }))).ScalableTargets?.[0];
    const policies = (await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: resource, ScalableDimension: dimension }))).ScalingPolicies ?? [];
    expect({ target: target?.ResourceId, policies: policies.length }).toEqual({ target: resource, policies: 1 });
    await drift(
      'GSI scaling target deregistered',
      async () => void (await scaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: resource, ScalableDimension: dimension }))),
      async () => {
        // As an operator would: the target again, then its policy (AWS deletes a target's policies with it).
        await scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: resource, ScalableDimension: dimension, MinCapacity: target!.MinCapacity, MaxCapacity: target!.MaxCapacity, RoleARN: target!.RoleARN }));
        const left = (await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: resource, ScalableDimension: dimension }))).ScalingPolicies ?? [];
        for (const p of policies.filter((x) => !left.some((l) => l.PolicyName === x.PolicyName))) {
          await scaling.send(new PutScalingPolicyCommand({ ServiceNamespace: 'dynamodb', ResourceId: resource, ScalableDimension: dimension, PolicyName: p.PolicyName, PolicyType: p.PolicyType, TargetTrackingScalingPolicyConfiguration: p.TargetTrackingScalingPolicyConfiguration }));
        }
      },
      ['TABLE-BILLING', `TS-DDB-005:${o().table_name}`],
    );
    scaling.destroy();
  });

  it('key rotation off on the DR key → KEY-DR and TS-KMS-001 for the DR key', async () => {
    const kms = new KMSClient({ endpoint: endpoint(), region: DR });
    const key = o().dr_kms_key_arn;
    await drift(
      'DR key rotation off',
      async () => void (await kms.send(new DisableKeyRotationCommand({ KeyId: key }))),
      async () => void (await kms.send(new EnableKeyRotationCommand({ KeyId: key }))),
      ['KEY-DR', 'TS-KMS-001:alias/tablesafe-prod-dr'],
    );
    kms.destroy();
  });

  it('evidence bucket policy deleted → TS-S3-007 for the evidence bucket', async () => {
    const s3 = new S3Client({ endpoint: endpoint(), forcePathStyle: true });
    const bucket = o().evidence_bucket_name;
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!;
    await drift(
      'evidence bucket policy deleted',
      async () => void (await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))),
      async () => void (await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }))),
      [`TS-S3-007:${bucket}`],
    );
    s3.destroy();
  });

  it('trail logging stopped → TRAIL', async () => {
    const trail = new CloudTrailClient({ endpoint: endpoint() });
    const name = o().trail_arn;
    await drift(
      'trail logging stopped',
      async () => void (await trail.send(new StopLoggingCommand({ Name: name }))),
      async () => void (await trail.send(new StartLoggingCommand({ Name: name }))),
      ['TRAIL'],
    );
    trail.destroy();
  });
});

describe('prod: a broken DR path fails the drill with a complete report and no scratch table in either region', () => {
  const endpoint = () => sandboxes.prod!.endpoint;
  const messageOf = (run: Run, id: string) => run.report.checks.find((c) => c.id === id)?.message ?? '';

  async function drillTablesIn(region: string): Promise<string[]> {
    const ddb = new DynamoDBClient({ endpoint: endpoint(), region });
    try {
      return ((await ddb.send(new ListTablesCommand({}))).TableNames ?? []).filter((n) => n.startsWith('tablesafe-drill-'));
    } finally {
      ddb.destroy();
    }
  }

  async function expectBrokenDrill(run: Run, check: string, message: RegExp): Promise<void> {
    expect({ code: run.code, failed: run.failed.includes(check), message: messageOf(run, check) }).toEqual({ code: 1, failed: true, message: expect.stringMatching(message) });
    for (const f of ['report.json', 'junit.xml', 'report.md', 'report.html', 'SHA256SUMS']) expect(existsSync(path.join(run.dir, f))).toBe(true);
    expect(run.report.drill?.cleanedUp).toBe(true);
    expect({ primary: await drillTablesIn('us-east-1'), dr: await drillTablesIn(DR) }).toEqual({ primary: [], dr: [] });
  }

  afterEach(async () => {
    await fetch(`${endpoint()}/_sandbox/faults`, { method: 'DELETE' });
  });

  it('a DR copy that is missing (every copy into us-west-2 fails) → DRILL-DR-COPY', async () => {
    // Scheduled copies take the fault too, so its count covers them; afterEach clears it.
    await postFault(endpoint(), { job: 'copy', outcome: 'FAILED', region: DR, message: 'Injected: copy into the DR vault refused', count: 1000 });
    const run = await timed('prod drill: DR copy missing', () => runCommand('drill', 'prod', '--fresh'));
    await expectBrokenDrill(run, 'DRILL-DR-COPY', /Injected: copy into the DR vault refused/);
    expect(run.report.drill?.paths.map((p) => [p.path, p.status])).toEqual([['backup', 'passed'], ['pitr', 'passed'], ['dr', 'failed']]);
  });

  it('a DR copy that is corrupt (its restore loses 2 items) → DATA-DIGEST names the keys', async () => {
    await postFault(endpoint(), { recoveryPoint: 'corrupt', region: DR, dropItems: 2 });
    const run = await timed('prod drill: DR copy corrupt', () => runCommand('drill', 'prod', '--fresh'));
    await expectBrokenDrill(run, 'DATA-DIGEST', /DR-copy restore differs from the backup restore in 2 key\(s\)/);
  });

  it('a restore that hangs in the DR region → DRILL-RESTORE-DR at the deadline', async () => {
    await postFault(endpoint(), { job: 'restore', outcome: 'HANG', region: DR });
    const run = await timed('prod drill: DR restore hangs', () => runCommand('drill', 'prod', '--fresh', '--timeout', '20s'));
    await expectBrokenDrill(run, 'DRILL-RESTORE-DR', /in us-west-2 still (RUNNING|PENDING) after the 20 s deadline/);
  });
});

describe('prod: the drill runs as its role, and IAM holds it to its policy', () => {
  const o = () => outputs.prod!;
  const endpoint = () => sandboxes.prod!.endpoint;
  const drillRoleName = () => o().restore_drill_role_arn.split('/').pop()!;

  it('a needed action removed from the drill role out of band: the drill fails with AccessDenied naming it; put back, it passes', async () => {
    const iam = new IAMClient({ endpoint: endpoint() });
    const RoleName = drillRoleName();
    const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
    const original = await Promise.all(names.map(async (PolicyName) => ({ PolicyName, doc: decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument!) })));
    const holder = original.find((p) => p.doc.includes('backup:StartRestoreJob'));
    expect(holder).toBeDefined();
    const doc = JSON.parse(holder!.doc) as { Statement: { Action: string | string[] }[] };
    for (const st of doc.Statement) if (Array.isArray(st.Action)) st.Action = st.Action.filter((a) => a !== 'backup:StartRestoreJob');
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: holder!.PolicyName, PolicyDocument: JSON.stringify(doc) }));
    let denied: Run;
    try {
      denied = await timed('prod drill without backup:StartRestoreJob', () => verify('prod', '--paths', 'backup'));
    } finally {
      await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: holder!.PolicyName, PolicyDocument: holder!.doc }));
    }
    expect(denied.code).toBe(1);
    const restore = denied.report.checks.find((c) => c.status === 'fail' && /AccessDenied/.test(c.message));
    expect(restore?.message).toEqual(expect.stringContaining(`is not authorized to perform: backup:StartRestoreJob on resource: `));
    expect(restore?.message).toEqual(expect.stringContaining(`assumed-role/${RoleName}/tablesafe-drill-`));
    const again = await timed('prod drill with the action back', () => verify('prod', '--paths', 'backup'));
    expect({ code: again.code, failures: failures(again) }).toEqual({ code: 0, failures: [] });
    iam.destroy();
  });

  it('--as-caller runs the live checks with the caller\'s own credentials, and the report says so', async () => {
    const run = await timed('prod verify --as-caller', () => verify('prod', '--skip-drill', '--as-caller'));
    expect({ code: run.code, identities: run.report.identities }).toEqual({ code: 0, identities: { liveChecks: 'arn:aws:iam::123456789012:user/moto' } });
  });

  it('the drill role may not delete the source table: the sandbox refuses it and the table stays', async () => {
    const sts = new STSClient({ endpoint: endpoint() });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: o().restore_drill_role_arn, RoleSessionName: 'must-deny' }))).Credentials!;
    const asDrill = new DynamoDBClient({ endpoint: endpoint(), maxAttempts: 1, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
    const err = await asDrill.send(new DeleteTableCommand({ TableName: o().table_name })).then(() => undefined, (e: Error) => e);
    expect([err?.name, err?.message]).toEqual([
      'AccessDeniedException',
      `User: arn:aws:sts::123456789012:assumed-role/${drillRoleName()}/must-deny is not authorized to perform: dynamodb:DeleteTable on resource: ${o().table_arn} because no identity-based policy allows the dynamodb:DeleteTable action`,
    ]);
    const still = await new DynamoDBClient({ endpoint: endpoint() }).send(new DescribeTableCommand({ TableName: o().table_name }));
    expect(still.Table?.TableStatus).toBe('ACTIVE');
    asDrill.destroy();
    sts.destroy();
  });
});
