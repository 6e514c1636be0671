/**
 * `tablesafe check` benchmark: Terraform JSON of 1 MB and 50 MB, generated here (N copies of a
 * platform unit — table, key, alias, vault with policy and lock, plan, selection, role, trail and
 * its bucket with public access block, versioning and policy — with references between them, as
 * cdktf writes them), measured in one run, each measurement in a fresh process, median of N.
 *
 * Times are CPU time (user + system) of the measured section: on a shared machine wall time
 * mostly measures the neighbours; both are printed. Prints two ratios, from CPU time:
 * - check time / JSON.parse time on the same 50 MB file (target ≤ 10×);
 * - per-resource check time at 50 MB / at 1 MB (target ≤ 1.5×: linear).
 *
 *   npx ts-node --transpile-only bench/check.ts [--runs 3] [--small-mb 1] [--large-mb 50]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 3);
const SMALL_MB = arg('--small-mb', 1);
const LARGE_MB = arg('--large-mb', 50);
const PARSE_TARGET = 10;
const LINEAR_TARGET = 1.5;

function unit(i: number): Record<string, Record<string, object>> {
  const u = `u${i}`;
  const tags = { project: 'bench', environment: `env-${i % 7}`, owner: 'team_a', 'data-classification': 'internal' };
  const key = `key_${u}`;
  const table = `table-${u}_records`;
  const vault = `vault_${u}`;
  const bucket = `trail-${u}_bucket`;
  const role = `backup-role_${u}`;
  return {
    aws_kms_key: {
      [key]: {
        '//': { metadata: { path: `bench/${u}/key`, uniqueId: key } },
        description: `bench key ${i}`, enable_key_rotation: true, deletion_window_in_days: 30, tags,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
          { Sid: 'DynamoDB', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } } },
        ] }),
      },
    },
    aws_kms_alias: { [`${key}_alias`]: { name: `alias/bench-${i}`, target_key_id: `\${aws_kms_key.${key}.key_id}` } },
    aws_dynamodb_table: {
      [table]: {
        '//': { metadata: { path: `bench/${u}/table`, uniqueId: table } },
        name: `bench-${i}-records`, billing_mode: 'PAY_PER_REQUEST', hash_key: 'ID', attribute: [{ name: 'ID', type: 'S' }],
        point_in_time_recovery: { enabled: true }, deletion_protection_enabled: true,
        server_side_encryption: { enabled: true, kms_key_arn: `\${aws_kms_key.${key}.arn}` }, tags,
      },
    },
    aws_backup_vault: { [vault]: { name: `bench-${i}-vault`, kms_key_arn: `\${aws_kms_key.${key}.arn}`, tags } },
    aws_backup_vault_policy: {
      [`${vault}_policy`]: {
        backup_vault_name: `\${aws_backup_vault.${vault}.name}`,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Deny', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint'], Resource: '*' }] }),
      },
    },
    aws_backup_vault_lock_configuration: { [`${vault}_lock`]: { backup_vault_name: `\${aws_backup_vault.${vault}.name}`, min_retention_days: 7, max_retention_days: 365 } },
    aws_backup_plan: {
      [`plan_${u}`]: {
        name: `bench-${i}-plan`, tags,
        rule: [{ rule_name: 'daily', schedule: 'cron(0 5 ? * * *)', target_vault_name: `\${aws_backup_vault.${vault}.name}`, lifecycle: { delete_after: 35 }, start_window: 60, completion_window: 180 }],
      },
    },
    aws_backup_selection: {
      [`selection_${u}`]: { name: `bench-${i}-tables`, plan_id: `\${aws_backup_plan.plan_${u}.id}`, iam_role_arn: `\${aws_iam_role.${role}.arn}`, resources: [`\${aws_dynamodb_table.${table}.arn}`] },
    },
    aws_iam_role: {
      [role]: {
        name: `bench-${i}-backup`, tags: { ...tags, 'tablesafe:role': 'backup' },
        assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      },
    },
    aws_iam_role_policy: {
      [`${role}_keys`]: {
        role: `\${aws_iam_role.${role}.id}`, name: 'use-keys',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: [`\${aws_kms_key.${key}.arn}`] }] }),
      },
    },
    aws_s3_bucket: { [bucket]: { bucket: `bench-${i}-trail-123456789012`, tags } },
    aws_s3_bucket_public_access_block: { [`${bucket}_pab`]: { bucket: `\${aws_s3_bucket.${bucket}.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
    aws_s3_bucket_versioning: { [`${bucket}_versioning`]: { bucket: `\${aws_s3_bucket.${bucket}.id}`, versioning_configuration: { status: 'Enabled' } } },
    aws_s3_bucket_policy: {
      [`${bucket}_policy`]: {
        bucket: `\${aws_s3_bucket.${bucket}.id}`,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
      },
    },
    aws_cloudtrail: {
      [`trail_${u}`]: {
        name: `bench-${i}-trail`, s3_bucket_name: `\${aws_s3_bucket.${bucket}.id}`, kms_key_id: `\${aws_kms_key.${key}.arn}`,
        is_multi_region_trail: true, enable_log_file_validation: true, tags,
        advanced_event_selector: [
          { name: 'Management', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
          { name: 'Data', field_selector: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] }, { field: 'resources.ARN', equals: [`\${aws_dynamodb_table.${table}.arn}`] }] },
        ],
      },
    },
  };
}

/** Terraform JSON of about `mb` megabytes: whole units until the size is reached. */
function generate(mb: number): { file: string; bytes: number; units: number } {
  const resource: Record<string, Record<string, object>> = {};
  let units = 0;
  let bytes = 0;
  const target = mb * 1024 * 1024;
  while (bytes < target) {
    const u = unit(units++);
    for (const [type, byName] of Object.entries(u)) Object.assign((resource[type] ??= {}), byName);
    bytes += JSON.stringify(u).length;
  }
  const text = JSON.stringify({ '//': { metadata: { stackName: 'bench' } }, terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } }, provider: { aws: [{ region: 'us-east-1' }] }, resource });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-')), `bench-${mb}mb.tf.json`);
  fs.writeFileSync(file, text);
  return { file, bytes: text.length, units };
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly resources: number;
  readonly findings: number;
  readonly heapMb: number;
}

function measure(file: string, mode: 'parse' | 'check'): Sample {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'check-child.ts'), file, mode], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const small = generate(SMALL_MB);
const large = generate(LARGE_MB);
const samples: Record<string, Sample[]> = { 'small parse': [], 'small check': [], 'large parse': [], 'large check': [] };
measure(small.file, 'check'); // warm the file cache and ts-node's
for (let i = 0; i < runs; i++) {
  for (const [name, file, mode] of [['small', small.file, 'parse'], ['small', small.file, 'check'], ['large', large.file, 'parse'], ['large', large.file, 'check']] as const) {
    samples[`${name} ${mode}`].push(measure(file, mode));
  }
}
for (const f of [small.file, large.file]) fs.rmSync(path.dirname(f), { recursive: true, force: true });

const ms = (k: string) => median(samples[k].map((s) => s.cpuMs));
const wall = (k: string) => median(samples[k].map((s) => s.ms));
const resources = (k: string) => samples[k][0].resources;
const parseRatio = ms('large check') / ms('large parse');
const perResource = (size: 'small' | 'large') => ms(`${size} check`) / resources(`${size} check`);
const linearRatio = perResource('large') / perResource('small');
const mbOf = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

console.log(`tablesafe check benchmark (median of ${runs} runs, one process per measurement)`);
for (const [name, input] of [['small', small], ['large', large]] as const) {
  console.log(
    `${name.padEnd(5)} ${mbOf(input.bytes).padStart(5)} MB  ${String(resources(`${name} check`)).padStart(7)} resources in scope  ${String(samples[`${name} check`][0].findings).padStart(8)} findings  ` +
      `CPU: JSON.parse ${ms(`${name} parse`).toFixed(0).padStart(6)} ms, check ${ms(`${name} check`).toFixed(0).padStart(6)} ms (${(perResource(name) * 1000).toFixed(1)} µs/resource)  ` +
      `wall: ${wall(`${name} parse`).toFixed(0)} / ${wall(`${name} check`).toFixed(0)} ms  heap ${median(samples[`${name} check`].map((s) => s.heapMb)).toFixed(0)} MB`,
  );
}
console.log(`check / JSON.parse at ${mbOf(large.bytes)} MB: ${parseRatio.toFixed(2)}x (target <= ${PARSE_TARGET}x) ${parseRatio <= PARSE_TARGET ? 'OK' : 'OVER'}`);
console.log(`per-resource cost ${mbOf(large.bytes)} MB / ${mbOf(small.bytes)} MB: ${linearRatio.toFixed(2)}x (target <= ${LINEAR_TARGET}x) ${linearRatio <= LINEAR_TARGET ? 'OK' : 'OVER'}`);
