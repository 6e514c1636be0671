import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { applyCompliance, checkStackCompliance, ComplianceOptions } from '../../../modules/compliance';
import type { ComplianceReport } from '../../../compliance/rules/evaluate';
import { ALL_RULES } from '../../../compliance/rules';

const EXPECTED_RULES = ['TS-DDB-001', 'TS-DDB-002', 'TS-KMS-001', 'TS-CT-001', 'TS-IAM-001'];

/** Intentionally insecure: PITR off, AWS-owned key, rotation off, single-region trail, wildcard IAM. */
function insecureStack(options: ComplianceOptions = {}): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'insecure');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new DynamodbTable(stack, 'table', {
    name: 'orders', billingMode: 'PAY_PER_REQUEST', hashKey: 'ID', attribute: [{ name: 'ID', type: 'S' }],
    pointInTimeRecovery: { enabled: false }, deletionProtectionEnabled: true,
  });
  new KmsKey(stack, 'key', { description: 'no rotation', enableKeyRotation: false });
  const bucket = new S3Bucket(stack, 'logs', { bucket: 'insecure-logs' });
  new Cloudtrail(stack, 'trail', { name: 'single', s3BucketName: bucket.bucket, isMultiRegionTrail: false, enableLogFileValidation: true, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc' });
  const role = new IamRole(stack, 'role', {
    name: 'admin-ish',
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  new IamRolePolicy(stack, 'everything', {
    role: role.name, name: 'everything',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '${aws_dynamodb_table.table.arn}' }] }),
  });
  applyCompliance(stack, { pack: 'tablesafe-baseline', ...options });
  return stack;
}

// Rules this stack also breaks but that the test is not about (no backup plan, open log bucket).
const OTHER: ComplianceOptions['suppressions'] = [
  { ruleId: 'TS-DDB-004', resource: '*', reason: 'backup plan lives in another stack for this test' },
  { ruleId: 'TS-S3-001', resource: '*', reason: 'bucket hardening is not what this test is about' },
  { ruleId: 'TS-S3-002', resource: '*', reason: 'bucket hardening is not what this test is about' },
];

const REASONED = EXPECTED_RULES.map((ruleId) => ({ ruleId, resource: '*', reason: `accepted in this sandbox: ${ruleId} is demonstrated on purpose` }));

function readReport(outdir: string): ComplianceReport {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'insecure', 'tablesafe.compliance.json'), 'utf8'));
}

describe('compliance at synth', () => {
  it('fails synth listing every violated rule id', () => {
    const stack = insecureStack({ suppressions: OTHER });
    let message = '';
    try {
      Testing.fullSynth(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const id of EXPECTED_RULES) expect(message).toMatch(new RegExp(`${id} \\[insecure/`));
  });

  it('names resource path and remedy in the error', () => {
    expect(() => Testing.fullSynth(insecureStack({ suppressions: OTHER }))).toThrow(/TS-DDB-001 \[insecure\/table\] point-in-time recovery is disabled — remedy: enable point_in_time_recovery/);
  });

  it('synths with reasoned suppressions and reports them', () => {
    const outdir = Testing.fullSynth(insecureStack({ suppressions: [...OTHER, ...REASONED] }));
    const report = readReport(outdir);
    expect(report.suppressed.map((f) => f.ruleId).sort()).toEqual(expect.arrayContaining(EXPECTED_RULES));
  });

  it('writes the report next to cdk.tf.json with pack and rules evaluated', () => {
    const outdir = Testing.fullSynth(insecureStack({ suppressions: [...OTHER, ...REASONED] }));
    const report = readReport(outdir);
    expect([report.pack, report.rulesEvaluated.length, report.suppressions.length]).toEqual(['tablesafe-baseline', ALL_RULES.length, OTHER!.length + REASONED.length]);
  });

  it('rejects a suppression without a reason when applied', () => {
    expect(() => insecureStack({ suppressions: [{ ruleId: 'TS-DDB-001', resource: '*', reason: '' }] })).toThrow(/suppressions\[0\]\.reason "" for TS-DDB-001 must explain/);
  });

  it('checks a stack without synthesizing it', () => {
    const report = checkStackCompliance(insecureStack(), { pack: 'tablesafe-strict' });
    expect(report.violations.map((f) => f.ruleId)).toEqual(expect.arrayContaining(EXPECTED_RULES));
  });
});

describe('retention against the vault lock at synth', () => {
  it('fails a stack of provider resources whose hourly rule keeps points 7 days in a vault locked to 30 (TS-BAK-007)', () => {
    const stack = new TerraformStack(Testing.app(), 'locked');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const vault = new BackupVault(stack, 'vault', { name: 'locked-vault' });
    new BackupVaultLockConfiguration(stack, 'lock', { backupVaultName: vault.name, minRetentionDays: 30, maxRetentionDays: 365 });
    new BackupPlan(stack, 'plan', { name: 'p', rule: [{ ruleName: 'hourly', targetVaultName: vault.name, schedule: 'cron(0 * ? * * *)', lifecycle: { deleteAfter: 7 } }] });
    applyCompliance(stack, { pack: 'tablesafe-baseline', suppressions: [{ ruleId: 'TS-BAK-001', resource: '*', reason: 'the key is not what this test is about' }] });
    expect(() => Testing.fullSynth(stack)).toThrow(/TS-BAK-007 \[locked\/plan\] rule hourly keeps recovery points 7 days in locked-vault, whose lock requires at least 30/);
  });
});
