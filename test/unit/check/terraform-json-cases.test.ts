/**
 * `tablesafe check` on Terraform JSON written elsewhere, one behaviour per test: exact identity,
 * parsed references, the unknown verdict, dynamic blocks, jsonencode(), malformed policies, deep
 * input, messages, an empty scope, retention against the vault lock.
 */
import { CheckReport, runCheck } from '../../../compliance';
import type { PackFinding } from '../../../compliance/rules/evaluate';
import { renderTable } from '../../../compliance/rules/render';

const provider = { aws: [{ region: 'us-east-1' }, { alias: 'dr', region: 'us-west-2' }] };
const tf = (resource: object, extra: object = {}) => ({ provider, resource, ...extra });
const check = (terraform: object, options: Parameters<typeof runCheck>[1] = {}) => runCheck({ terraform }, options);
const finding = (r: CheckReport, ruleId: string, id: string): PackFinding => {
  const f = r.compliance.findings.find((x) => x.ruleId === ruleId && x.resource.id === id);
  if (!f) throw new Error(`no ${ruleId} finding for ${id}: ${r.compliance.findings.filter((x) => x.ruleId === ruleId).map((x) => x.resource.id).join(', ')}`);
  return f;
};
const status = (r: CheckReport, ruleId: string, id: string) => finding(r, ruleId, id).status;

const openPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });
const rootPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });

describe('exact resource identity', () => {
  it('judges a key on its own inline policy, not on its sibling k-2 whose name it prefixes', () => {
    const r = check(tf({
      aws_kms_key: { k: { policy: openPolicy, enable_key_rotation: true }, 'k-2': { enable_key_rotation: true } },
      aws_kms_key_policy: { p: { key_id: '${aws_kms_key.k-2.id}', policy: rootPolicy } },
    }));
    expect([status(r, 'TS-KMS-002', 'aws_kms_key.k'), status(r, 'TS-KMS-002', 'aws_kms_key.k-2'), r.exitCode]).toEqual(['non-compliant', 'compliant', 1]);
  });

  it('does not give the trail bucket logs the public access block and versioning of logs-archive', () => {
    const r = check(tf({
      aws_s3_bucket: { logs: { bucket: 'org-logs' }, 'logs-archive': { bucket: 'org-logs-archive' } },
      aws_s3_bucket_public_access_block: { archive: { bucket: '${aws_s3_bucket.logs-archive.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
      aws_s3_bucket_versioning: { archive: { bucket: '${aws_s3_bucket.logs-archive.id}', versioning_configuration: { status: 'Enabled' } } },
      aws_cloudtrail: { t: { name: 't', s3_bucket_name: '${aws_s3_bucket.logs.id}' } },
    }));
    expect([status(r, 'TS-S3-001', 'aws_s3_bucket.logs'), status(r, 'TS-S3-003', 'aws_s3_bucket.logs'), status(r, 'TS-S3-001', 'aws_s3_bucket.logs-archive')]).toEqual(['non-compliant', 'non-compliant', 'not-applicable']);
  });

  it('keeps two vaults of the same name in two regions apart: the primary\'s missing policy is not hidden by the DR vault\'s', () => {
    const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });
    const r = check(tf({
      aws_backup_vault: { primary: { name: 'vault' }, dr: { name: 'vault', provider: 'aws.dr' } },
      aws_backup_vault_policy: { dr: { backup_vault_name: 'vault', provider: 'aws.dr', policy: deny } },
    }));
    expect([status(r, 'TS-BAK-002', 'aws_backup_vault.primary'), status(r, 'TS-BAK-002', 'aws_backup_vault.dr')]).toEqual(['non-compliant', 'compliant']);
  });

  it('links a policy by literal name within the same region only', () => {
    const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });
    const r = check(tf({
      aws_backup_vault: { primary: { name: 'vault' }, dr: { name: 'vault', provider: '${aws.dr}' } },
      aws_backup_vault_policy: { primary: { backup_vault_name: 'vault', policy: deny } },
    }));
    expect([status(r, 'TS-BAK-002', 'aws_backup_vault.primary'), status(r, 'TS-BAK-002', 'aws_backup_vault.dr')]).toEqual(['compliant', 'non-compliant']);
  });

  it('follows references with an index: aws_s3_bucket.logs[0] and count', () => {
    const r = check(tf({
      aws_s3_bucket: { logs: { count: 2, bucket: 'logs-${count.index}' } },
      aws_s3_bucket_versioning: { v: { bucket: '${aws_s3_bucket.logs[0].id}', versioning_configuration: { status: 'Enabled' } } },
      aws_cloudtrail: { t: { count: 2, name: 't-${count.index}', s3_bucket_name: '${aws_s3_bucket.logs[count.index].id}' } },
    }));
    expect([status(r, 'TS-S3-003', 'aws_s3_bucket.logs[0]'), status(r, 'TS-S3-003', 'aws_s3_bucket.logs[1]')]).toEqual(['compliant', 'non-compliant']);
  });

  it('expands for_each and follows each.key', () => {
    const r = check(tf({
      aws_dynamodb_table: { t: { for_each: { orders: 'x', users: 'y' }, name: '${each.key}', point_in_time_recovery: { enabled: '${each.key == "orders"}' } } },
    }));
    expect([status(r, 'TS-DDB-001', 'aws_dynamodb_table.t["orders"]'), status(r, 'TS-DDB-001', 'aws_dynamodb_table.t["users"]')]).toEqual(['compliant', 'non-compliant']);
  });

  it('finds references inside interpolations and functions', () => {
    const r = check(tf({
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_dynamodb_table: { t: { name: 't', billing_mode: 'PAY_PER_REQUEST', server_side_encryption: { enabled: true, kms_key_arn: '${tostring(aws_kms_key.k.arn)}' } } },
    }));
    expect(finding(r, 'TS-DDB-002', 'aws_dynamodb_table.t')).toMatchObject({ status: 'compliant', evidence: { actual: 'CUSTOMER_MANAGED (aws_kms_key.k.arn)' } });
  });
});

describe('the unknown verdict', () => {
  /** A compliant trail and log bucket, but for the two settings given. */
  const logBucket = (flag: unknown, status: unknown) => tf({
    aws_kms_key: { k: { enable_key_rotation: true } },
    aws_s3_bucket: { logs: { bucket: 'org-logs' } },
    aws_s3_bucket_public_access_block: { p: { bucket: '${aws_s3_bucket.logs.id}', block_public_acls: flag, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
    aws_s3_bucket_versioning: { v: { bucket: '${aws_s3_bucket.logs.id}', versioning_configuration: { status } } },
    aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.logs.id}', policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) } },
    aws_cloudtrail: { t: { name: 't', s3_bucket_name: '${aws_s3_bucket.logs.id}', is_multi_region_trail: true, enable_log_file_validation: true, kms_key_id: '${aws_kms_key.k.arn}' } },
  });

  it('judges a setting from ${var.enabled} unknown in TS-S3-001 and TS-S3-003, as in TS-DDB-001', () => {
    const r = check(logBucket('${var.enabled}', '${var.versioning}'));
    expect([status(r, 'TS-S3-001', 'aws_s3_bucket.logs'), status(r, 'TS-S3-003', 'aws_s3_bucket.logs')]).toEqual(['unknown', 'unknown']);
  });

  it('shows the expression in the message', () => {
    const r = check(logBucket('${var.enabled}', 'Enabled'));
    expect(finding(r, 'TS-S3-001', 'aws_s3_bucket.logs').message).toMatch(/aws_s3_bucket_public_access_block\.p\.block_public_acls = var\.enabled/);
  });

  it('fails the run under tablesafe-strict', () => {
    expect(check(logBucket('${var.enabled}', 'Enabled')).exitCode).toBe(1);
  });

  it('warns under tablesafe-baseline', () => {
    const r = check(logBucket('${var.enabled}', 'Enabled'), { pack: 'tablesafe-baseline' });
    expect([r.exitCode, r.compliance.warnings.map((f) => f.status)]).toEqual([0, expect.arrayContaining(['unknown'])]);
  });

  it('is overridden by --unknown, and the report says which policy applied', () => {
    const input = logBucket('${var.enabled}', 'Enabled');
    const warn = check(input, { unknown: 'warn' });
    const fail = check(input, { pack: 'tablesafe-baseline', unknown: 'fail' });
    expect([warn.exitCode, warn.compliance.unknownPolicy, fail.exitCode]).toEqual([0, { policy: 'warn', from: 'option' }, 1]);
    expect(renderTable(warn.compliance)).toMatch(/unknown findings are warnings \(--unknown\)/);
    expect(renderTable(check(input).compliance)).toMatch(/unknown findings fail the run on error-level rules \(tablesafe-strict\)/);
  });

  it('ignores unknowns with --unknown ignore', () => {
    const r = check(logBucket('${var.enabled}', 'Enabled'), { unknown: 'ignore' });
    expect([r.exitCode, r.compliance.warnings.length, r.compliance.summary.unknown]).toEqual([0, 0, 1]);
  });

  it('is never compliant: a known true beside an unknown does not pass', () => {
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: '${var.on ? true : var.other}' } } } }));
    expect(status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toBe('unknown');
  });

  it('evaluates a conditional with a literal condition', () => {
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: '${1 == 1 ? true : var.x}' } } } }));
    expect(status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toBe('compliant');
  });

  it('reads locals', () => {
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: '${local.pitr}' } } } }, { locals: { pitr: false } }));
    expect(status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toBe('non-compliant');
  });

  it('can be suppressed like a violation', () => {
    const r = check(logBucket('${var.enabled}', 'Enabled'), { suppressions: [{ ruleId: 'TS-S3-001', resource: 'org-logs', reason: 'set to true by every pipeline tfvars' }] });
    expect([r.exitCode, statusOfSuppressed(r)]).toEqual([0, 'unknown']);
  });
});

function statusOfSuppressed(r: CheckReport): string | undefined {
  return r.compliance.suppressed[0]?.status;
}

describe('dynamic blocks', () => {
  it('expands dynamic blocks with a literal for_each: PITR and the customer-managed key come from them', () => {
    const r = check(tf({
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_dynamodb_table: {
        t: {
          name: 't',
          billing_mode: 'PAY_PER_REQUEST',
          dynamic: {
            point_in_time_recovery: { for_each: [true], content: { enabled: '${point_in_time_recovery.value}' } },
            server_side_encryption: { for_each: { key: '${aws_kms_key.k.arn}' }, iterator: 'sse', content: { enabled: true, kms_key_arn: '${sse.value}' } },
          },
        },
      },
    }));
    expect([status(r, 'TS-DDB-001', 'aws_dynamodb_table.t'), status(r, 'TS-DDB-002', 'aws_dynamodb_table.t')]).toEqual(['compliant', 'compliant']);
  });

  it('judges a dynamic block over a variable unknown, showing the for_each', () => {
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', dynamic: { point_in_time_recovery: { for_each: '${var.pitr}', content: { enabled: true } } } } } }));
    expect(finding(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toMatchObject({ status: 'unknown', message: expect.stringMatching(/dynamic "point_in_time_recovery" for_each = var\.pitr/) });
  });

  it('expands a dynamic block given as an array, with an empty for_each meaning no block', () => {
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', dynamic: [{ point_in_time_recovery: [{ for_each: [], content: [{ enabled: true }] }] }] } } }));
    expect(status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toBe('non-compliant');
  });
});

describe('policies', () => {
  it('evaluates jsonencode() of a literal object: Principal * written that way fails the gate', () => {
    const r = check(tf({ aws_kms_key: { k: { enable_key_rotation: true, policy: '${jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:*", Resource = "*" }] })}' } } }));
    expect([status(r, 'TS-KMS-002', 'aws_kms_key.k'), r.exitCode]).toEqual(['non-compliant', 1]);
  });

  it('reads a jsonencode() policy whose resources are references', () => {
    const r = check(tf({
      aws_s3_bucket: { logs: { bucket: 'org-logs' } },
      aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.logs.id}', policy: '${jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })}' } },
      aws_cloudtrail: { t: { name: 't', s3_bucket_name: '${aws_s3_bucket.logs.id}' } },
    }));
    expect(status(r, 'TS-S3-002', 'aws_s3_bucket.logs')).toBe('compliant');
  });

  it('does not crash on "Condition": {"Bool": null}: one unknown line naming the problem', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: null } }] });
    const r = check(tf({ aws_kms_key: { k: { enable_key_rotation: true, policy } } }));
    const f = finding(r, 'TS-KMS-002', 'aws_kms_key.k');
    expect([f.status, f.message.split('\n').length]).toEqual(['unknown', 1]);
    expect(f.message).toMatch(/malformed: Statement\[0\]\.Condition\.Bool is null, not an object of condition keys/);
  });

  it.each([
    ['a policy that is not JSON', '{"Statement": ['],
    ['an Effect that is neither Allow nor Deny', JSON.stringify({ Statement: [{ Effect: 'allow', Principal: '*', Action: 'kms:*' }] })],
    ['a Principal that is a number', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: 5, Action: 'kms:*' }] })],
    ['a Statement that is a string', JSON.stringify({ Statement: 'all' })],
    ['a document that is a list', '[]'],
    ['Condition values that are objects', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Condition: { StringEquals: { a: { b: 1 } } } }] })],
  ])('judges %s unknown (malformed), never compliant', (_what, policy) => {
    const r = check(tf({ aws_kms_key: { k: { enable_key_rotation: true, policy } } }));
    expect(finding(r, 'TS-KMS-002', 'aws_kms_key.k')).toMatchObject({ status: 'unknown', message: expect.stringMatching(/malformed/) });
  });

  it('treats Allow with NotPrincipal as open to everyone', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' }] });
    expect(status(check(tf({ aws_kms_key: { k: { enable_key_rotation: true, policy } } })), 'TS-KMS-002', 'aws_kms_key.k')).toBe('non-compliant');
  });

  it('judges a statement whose principal is a variable unknown', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '${var.principal}' }, Action: 'kms:*', Resource: '*' }] });
    expect(status(check(tf({ aws_kms_key: { k: { enable_key_rotation: true, policy } } })), 'TS-KMS-002', 'aws_kms_key.k')).toBe('unknown');
  });
});

describe('input that is odd but Terraform JSON', () => {
  it('says when no resource is in scope, and exits 0', () => {
    const r = check(tf({ aws_instance: { web: { ami: 'ami-1' } } }));
    expect([r.exitCode, r.compliance.resourcesInScope]).toEqual([0, 0]);
    expect(renderTable(r.compliance)).toMatch(/no resources in scope/);
  });

  it('reports a value nested 100,000 levels deep in one line, without a stack trace', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', tags: deep, point_in_time_recovery: { enabled: deep } } } }));
    const f = finding(r, 'TS-DDB-001', 'aws_dynamodb_table.t');
    expect([f.status, f.message.split('\n').length]).toEqual(['unknown', 1]);
  });

  it('reports an expression nested 100,000 levels deep as unknown', () => {
    const expr = `\${${'('.repeat(100_000)}true${')'.repeat(100_000)}}`;
    const r = check(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: expr } } } }));
    expect(finding(r, 'TS-DDB-001', 'aws_dynamodb_table.t').message).toMatch(/cannot evaluate: point_in_time_recovery\.enabled = /);
  });

  it('checks sections given as arrays, "//" comments and blocks as arrays', () => {
    const r = check({
      '//': 'generated',
      provider: [{ aws: [{ region: 'us-east-1' }] }],
      resource: [{ '//': 'tables', aws_dynamodb_table: [{ t: [{ '//': 'the table', name: 't', point_in_time_recovery: [{ enabled: true }] }] }] }],
    });
    expect(status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')).toBe('compliant');
  });

  it('notes what it skipped instead of failing', () => {
    const r = check({ resource: { aws_dynamodb_table: { t: 5 } }, module: { m: { source: './m' } } });
    expect(r.compliance.notes).toEqual([expect.stringMatching(/resource\.aws_dynamodb_table\.t is a number, not a block: skipped/), expect.stringMatching(/module\.m/)]);
  });

  it('refuses JSON that is not Terraform JSON with TS_E_INPUT_INVALID', () => {
    expect(() => check({ hello: 'world' })).toThrow(/is not Terraform JSON/);
  });
});

describe('messages', () => {
  it('show references by address, never as raw ${...} tokens', () => {
    const r = check(tf({
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_backup_vault: { v: { name: 'v', kms_key_arn: '${aws_kms_key.k.arn}' } },
      aws_dynamodb_table: { t: { name: 't', server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.k.arn}' } } },
    }));
    const text = r.compliance.findings.map((f) => `${f.message} ${f.evidence?.actual ?? ''}`).join('\n');
    expect(text).toMatch(/aws_kms_key\.k\.arn/);
    expect(text).not.toMatch(/\$\{/);
  });
});

describe('retention against the vault lock (TS-BAK-007)', () => {
  const locked = (deleteAfter: number, min = 30, max = 365) => tf({
    aws_backup_vault: { v: { name: 'v' } },
    aws_backup_vault_lock_configuration: { l: { backup_vault_name: '${aws_backup_vault.v.name}', min_retention_days: min, max_retention_days: max } },
    aws_backup_plan: { p: { name: 'p', rule: [{ rule_name: 'hourly', target_vault_name: '${aws_backup_vault.v.name}', schedule: 'cron(0 * ? * * *)', lifecycle: { delete_after: deleteAfter } }] } },
  });

  it('fails an hourly rule keeping points 7 days in a vault locked to at least 30', () => {
    const f = finding(check(locked(7)), 'TS-BAK-007', 'aws_backup_plan.p');
    expect([f.status, f.message]).toEqual(['non-compliant', 'rule hourly keeps recovery points 7 days in v, whose lock requires at least 30']);
  });

  it('fails a retention above the lock maximum', () => {
    expect(status(check(locked(400)), 'TS-BAK-007', 'aws_backup_plan.p')).toBe('non-compliant');
  });

  it('passes a retention within the lock', () => {
    expect(status(check(locked(35)), 'TS-BAK-007', 'aws_backup_plan.p')).toBe('compliant');
  });

  it('finds the vault when the vault and the plan rule both take its name from the same variable', () => {
    const r = check(tf({
      aws_backup_vault: { v: { name: '${var.vault_name}' } },
      aws_backup_vault_lock_configuration: { l: { backup_vault_name: '${aws_backup_vault.v.name}', min_retention_days: 30, max_retention_days: 365 } },
      aws_backup_plan: { p: { name: 'p', rule: [{ rule_name: 'hourly', target_vault_name: '${var.vault_name}', schedule: 'cron(0 * ? * * *)', lifecycle: { delete_after: 7 } }] } },
    }));
    const f = finding(r, 'TS-BAK-007', 'aws_backup_plan.p');
    expect([f.status, f.message]).toEqual(['non-compliant', 'rule hourly keeps recovery points 7 days in aws_backup_vault.v, whose lock requires at least 30']);
  });

  it('holds a copy action to its destination vault\'s lock', () => {
    const r = check(tf({
      aws_backup_vault: { v: { name: 'v' }, dr: { name: 'dr', provider: 'aws.dr' } },
      aws_backup_vault_lock_configuration: { l: { provider: 'aws.dr', backup_vault_name: '${aws_backup_vault.dr.name}', min_retention_days: 30, max_retention_days: 90 } },
      aws_backup_plan: { p: { name: 'p', rule: { rule_name: 'daily', target_vault_name: 'v', schedule: 'cron(0 5 ? * * *)', lifecycle: { delete_after: 35 }, copy_action: { destination_vault_arn: '${aws_backup_vault.dr.arn}', lifecycle: { delete_after: 120 } } } } },
    }));
    expect(finding(r, 'TS-BAK-007', 'aws_backup_plan.p').message).toMatch(/copy 1 keeps recovery points 120 days in dr, whose lock allows at most 90/);
  });
});

describe('patterns from the input', () => {
  it('match ARN globs without exponential backtracking', () => {
    const started = Date.now();
    const r = check(tf({
      aws_dynamodb_table: { t: { name: 'a'.repeat(200), billing_mode: 'PAY_PER_REQUEST' } },
      aws_backup_selection: { s: { name: 's', plan_id: 'p', resources: [`arn:aws:dynamodb:*:*:table/${'*a'.repeat(40)}b`] } },
    }));
    expect([status(r, 'TS-DDB-004', 'aws_dynamodb_table.t'), Date.now() - started < 2000]).toEqual(['non-compliant', true]);
  });
});
