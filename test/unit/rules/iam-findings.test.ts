/** What the IAM rules (TS-IAM-001..004) tell the user: status, message, evidence and remedy. */
import { drillRoleDeletesScratchOnly as drillRule } from '../../../compliance/rules/iam/drill-deletes-scratch-only';
import { roleNoWildcardAction as actionRule } from '../../../compliance/rules/iam/no-wildcard-action';
import { roleNoWildcardResourceOnData as resourceRule } from '../../../compliance/rules/iam/no-wildcard-resource';
import { rolePassRoleScoped as passRule } from '../../../compliance/rules/iam/pass-role-scoped';
import { UNKNOWN_REMEDY } from '../../../compliance/rules/rule';
import type { PolicyStatement, RoleFact } from '../../../compliance/facts/types';
import { factSet, role, statement } from './fact-builder';

const ROLE = 'aws_iam_role.reader';
const st = (o: Partial<PolicyStatement> & { policyName?: string } = {}) => ({ policyName: 'p', ...statement(o), ...(o.policyName ? { policyName: o.policyName } : {}) });
const withStatements = (statements: ReturnType<typeof st>[], extra: Partial<RoleFact> = {}) => role({ statements, ...extra });
const facts = factSet();
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';
const SCRATCH_ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/tablesafe-drill-*';

/** The unknown finding the IAM rules give for statements whose parts are not known. */
const unknownOf = (actual: string) => ({
  status: 'unknown',
  message: `cannot evaluate: ${actual} (not known from this input)`,
  evidence: { resource: ROLE, expected: 'a value known before apply', actual },
  remedy: UNKNOWN_REMEDY,
});

const rules = [actionRule, resourceRule, passRule, drillRule] as const;

describe('every IAM statement rule', () => {
  const drill = { roleKind: 'restore-drill' as const };

  it.each(rules.map((r) => [r.id, r] as const))('%s reports unknown, naming the expression, when the statements themselves are not known', (_id, rule) => {
    const r = role({ ...drill, statements: [], unknown: ['statements'], unknownExpressions: { statements: 'var.policy_json' } });
    expect(rule.evaluate(r, facts)).toMatchObject(unknownOf('var.policy_json'));
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s lists at most three unknown statements, naming each policy/Sid and its unknown fields', (_id, rule) => {
    const unknownActions = (i: number) => st({ sid: `S${i}`, actions: [], unknown: ['actions', 'resources'], resources: [] });
    const r = withStatements([1, 2, 3, 4].map(unknownActions), drill);
    expect(rule.evaluate(r, facts)).toMatchObject(unknownOf('p/S1: actions, resources not known; p/S2: actions, resources not known; p/S3: actions, resources not known'));
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s ignores Deny statements, which only narrow access', (_id, rule) => {
    const r = withStatements([st({ effect: 'Deny', actions: ['*'], resources: ['*'] }), st({ effect: 'Deny', actions: [], unknown: ['actions'] })], drill);
    expect(rule.evaluate(r, facts).status).not.toMatch(/non-compliant|unknown/);
  });
});

describe('TS-IAM-001 findings', () => {
  it('names the statement and its wildcard actions, with the remedy', () => {
    const r = withStatements([st({ sid: 'Admin', actions: ['dynamodb:GetItem', 'dynamodb:*'] }), st({ sid: 'Ok' })]);
    expect(actionRule.evaluate(r, facts)).toMatchObject({
      status: 'non-compliant',
      message: 'wildcard actions in p/Admin',
      evidence: { resource: ROLE, expected: 'no Allow of *, service:* or NotAction', actual: 'p/Admin: dynamodb:GetItem, dynamodb:*' },
      remedy: 'list the exact actions the role needs (see modules/iam/perms.ts)',
    });
  });

  it('shows a NotAction statement as NotAction', () => {
    const f = actionRule.evaluate(withStatements([st({ actions: [], notActions: ['iam:*', 'kms:*'] })]), facts);
    expect(f.evidence?.actual).toBe('p: NotAction iam:*, kms:*');
  });

  it('shows the actions of a statement whose NotAction list is empty', () => {
    const f = actionRule.evaluate(withStatements([st({ actions: ['*'], notActions: [] })]), facts);
    expect(f.evidence?.actual).toBe('p: *');
  });

  it('does not take a narrower pattern such as dynamodb:*Item for a service wildcard', () => {
    expect(actionRule.evaluate(withStatements([st({ actions: ['dynamodb:*Item'] })]), facts).status).toBe('compliant');
  });

  it('says every action is named when none is a wildcard', () => {
    expect(actionRule.evaluate(withStatements([st({ unknown: ['resources'], resources: [] })]), facts)).toMatchObject({
      status: 'compliant', message: 'every action is named', evidence: { resource: ROLE, expected: 'no Allow of *, service:* or NotAction', actual: 'none' },
    });
  });

  it('reports unknown for a statement whose actions or NotActions are not known, even with no wildcard written', () => {
    expect(actionRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'] })]), facts)).toMatchObject(unknownOf('p: actions not known'));
    expect(actionRule.evaluate(withStatements([st({ unknown: ['notActions'] })]), facts)).toMatchObject(unknownOf('p: notActions not known'));
  });

  it('reports a wildcard even when another statement is not known', () => {
    const r = withStatements([st({ actions: [], unknown: ['actions'] }), st({ sid: 'Admin', actions: ['*'] })]);
    expect(actionRule.evaluate(r, facts).status).toBe('non-compliant');
  });

  it('says why it does not apply to a role without statements', () => {
    expect(actionRule.evaluate(role({ statements: [] }), facts).message).toBe('role has no inline or customer-managed policy statements');
  });
});

describe('TS-IAM-002 findings', () => {
  // The data actions a role must never hold on `*` (reads, writes, deletes, restores of tables, keys and recovery points).
  const dataActions = [
    'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
    'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert',
    'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:RestoreTableFromBackup',
    'dynamodb:RestoreTableToPointInTime', 'dynamodb:ExportTableToPointInTime', 'dynamodb:CreateBackup', 'dynamodb:DeleteBackup',
    'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
    'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy',
    'backup:StartBackupJob', 'backup:StartRestoreJob', 'backup:StartCopyJob', 'backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle',
    'backup:GetRecoveryPointRestoreMetadata', 'backup:DeleteBackupVault', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultLockConfiguration',
  ];

  it.each(dataActions)('reports %s on Resource *, naming the statement, the action and the remedy', (action) => {
    expect(resourceRule.evaluate(withStatements([st({ sid: 'Wide', actions: [action], resources: ['*'] })]), facts)).toMatchObject({
      status: 'non-compliant',
      message: 'data actions on Resource * in p/Wide',
      evidence: { resource: ROLE, expected: 'data actions on named ARNs, never on *', actual: `p/Wide: ${action} on *` },
      remedy: 'name the table, index, key and vault ARNs in Resource (Table.grantReadData / grantWriteData do)',
    });
  });

  it('shows six data actions of a statement and counts the rest', () => {
    const f = resourceRule.evaluate(withStatements([st({ actions: ['dynamodb:*'], resources: ['*'] })]), facts);
    expect(f.evidence?.actual).toBe('p: dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:Query, dynamodb:Scan, dynamodb:PutItem, dynamodb:UpdateItem and 14 more on *');
  });

  it('says data actions are scoped when they name their resources', () => {
    expect(resourceRule.evaluate(withStatements([st({ resources: [TABLE_ARN] })]), facts)).toMatchObject({
      status: 'compliant', message: 'data actions are scoped to named resources', evidence: { resource: ROLE, expected: 'data actions on named ARNs, never on *', actual: 'none on *' },
    });
  });

  it('reports the statement on * even when another statement is not known', () => {
    const r = withStatements([st({ sid: 'Wide', resources: ['*'] }), st({ actions: [], unknown: ['actions'], resources: ['*'] })]);
    expect(resourceRule.evaluate(r, facts).status).toBe('non-compliant');
  });

  it('reports unknown when the actions of a statement on * are not known (Action or NotAction)', () => {
    expect(resourceRule.evaluate(withStatements([st({ actions: ['dynamodb:GetItem'], unknown: ['actions'], resources: ['*'] })]), facts)).toMatchObject(unknownOf('p: actions not known'));
    expect(resourceRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: ['*'] })]), facts).status).toBe('unknown');
    expect(resourceRule.evaluate(withStatements([st({ actions: [], unknown: ['notActions'], resources: ['*'] })]), facts)).toMatchObject(unknownOf('p: notActions not known'));
    expect(resourceRule.evaluate(withStatements([st({ actions: ['dynamodb:GetItem'], unknown: ['notActions'], resources: ['*'] })]), facts).status).toBe('unknown');
  });

  it('reports unknown when a data action may reach an unknown resource', () => {
    expect(resourceRule.evaluate(withStatements([st({ unknown: ['resources'], resources: [] })]), facts)).toMatchObject(unknownOf('p: resources not known'));
    expect(resourceRule.evaluate(withStatements([st({ unknown: ['resources'], resources: ['${var.table_arn}'] })]), facts).status).toBe('unknown');
    expect(resourceRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: [TABLE_ARN, '${var.extra_arn}'] })]), facts).status).toBe('unknown');
  });

  it('stays compliant when what is not known cannot make a data action reach *', () => {
    // Unknown actions on a named table only; an unknown resource for a list call only.
    expect(resourceRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: [TABLE_ARN] })]), facts).status).toBe('compliant');
    expect(resourceRule.evaluate(withStatements([st({ actions: ['dynamodb:ListTables'], unknown: ['resources'], resources: [] })]), facts).status).toBe('compliant');
  });

  it('says why it does not apply to a role without statements', () => {
    expect(resourceRule.evaluate(role({ statements: [] }), facts).message).toBe('role has no inline or customer-managed policy statements');
  });
});

describe('TS-IAM-003 findings', () => {
  const pass = (o: Partial<PolicyStatement>) => st({ actions: ['iam:PassRole'], ...o });

  it('names the statement and the unnamed role pattern, with the remedy', () => {
    const r = withStatements([pass({ sid: 'Pass', resources: ['arn:aws:iam::111122223333:role/backup-?', '${aws_iam_role.backup.arn}'] })]);
    expect(passRule.evaluate(r, facts)).toMatchObject({
      status: 'non-compliant',
      message: 'iam:PassRole on unnamed roles: p/Pass: arn:aws:iam::111122223333:role/backup-?',
      evidence: { resource: ROLE, expected: 'iam:PassRole on named role ARNs only', actual: 'p/Pass: arn:aws:iam::111122223333:role/backup-?' },
      remedy: 'list the exact role ARNs the role may pass (e.g. the backup service role), with an iam:PassedToService condition',
    });
  });

  it('reports a role ARN with a * in it', () => {
    const f = passRule.evaluate(withStatements([pass({ resources: ['arn:aws:iam::111122223333:role/tablesafe-*'] })]), facts);
    expect([f.status, f.evidence?.actual]).toEqual(['non-compliant', 'p: arn:aws:iam::111122223333:role/tablesafe-*']);
  });

  it('does not take a resource that is not a role ARN for a named role', () => {
    const f = passRule.evaluate(withStatements([pass({ resources: ['arn:aws:iam::111122223333:user/admin'] })]), facts);
    expect([f.status, f.evidence?.actual]).toEqual(['non-compliant', 'p: arn:aws:iam::111122223333:user/admin']);
  });

  it('says PassRole names its roles, listing them, for role ARNs, references and expressions inside an ARN', () => {
    const resources = ['arn:aws:iam::111122223333:role/backup', '${aws_iam_role.x[*].arn}', 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/drill'];
    expect(passRule.evaluate(withStatements([pass({ resources })]), facts)).toMatchObject({
      status: 'compliant',
      message: 'iam:PassRole names its roles',
      evidence: { resource: ROLE, expected: 'iam:PassRole on named role ARNs only', actual: 'arn:aws:iam::111122223333:role/backup, aws_iam_role.x[*].arn, arn:aws:iam::data.aws_caller_identity.current.account_id:role/drill' },
    });
  });

  it('says why it does not apply to a role that cannot pass roles', () => {
    expect(passRule.evaluate(role(), facts).message).toBe('role cannot pass roles');
  });

  it('reports unknown when PassRole may reach a role not known to be named', () => {
    expect(passRule.evaluate(withStatements([pass({ unknown: ['actions'], resources: ['*'] })]), facts)).toMatchObject(unknownOf('p: actions not known'));
    expect(passRule.evaluate(withStatements([st({ actions: [], notActions: ['s3:*'], unknown: ['notActions'], resources: ['*'] })]), facts).status).toBe('unknown');
    expect(passRule.evaluate(withStatements([st({ actions: [], notActions: [], unknown: ['notActions'], resources: ['*'] })]), facts).status).toBe('unknown');
    expect(passRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: ['arn:aws:iam::111122223333:role/backup', '*'] })]), facts).status).toBe('unknown');
    expect(passRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: ['${var.role_arn}'] })]), facts).status).toBe('unknown');
    expect(passRule.evaluate(withStatements([pass({ unknown: ['resources'], resources: [] })]), facts)).toMatchObject(unknownOf('p: resources not known'));
  });

  it('stays quiet when what is not known cannot make PassRole reach an unnamed role', () => {
    // Unknown actions on a named role only; unknown resources of a statement that cannot pass roles.
    expect(passRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: ['arn:aws:iam::111122223333:role/backup'] })]), facts).status).toBe('not-applicable');
    expect(passRule.evaluate(withStatements([st({ actions: ['s3:GetObject'], unknown: ['resources'], resources: [] })]), facts).status).toBe('not-applicable');
    expect(passRule.evaluate(withStatements([st({ actions: [], notActions: ['iam:*'], unknown: ['resources'], resources: [] })]), facts).status).toBe('not-applicable');
  });

  it('reports PassRole on * even when another statement is not known', () => {
    const r = withStatements([pass({ resources: ['*'] }), st({ actions: [], unknown: ['actions'], resources: ['*'] })]);
    expect(passRule.evaluate(r, facts).status).toBe('non-compliant');
  });
});

describe('TS-IAM-004 findings', () => {
  const drill = { roleKind: 'restore-drill' as const };
  const del = (o: Partial<PolicyStatement>) => st({ actions: ['dynamodb:DeleteTable'], ...o });

  it('names the statement and the table it may delete, with the remedy', () => {
    const r = withStatements([del({ sid: 'Cleanup', resources: [SCRATCH_ARN, TABLE_ARN] })], drill);
    expect(drillRule.evaluate(r, facts)).toMatchObject({
      status: 'non-compliant',
      message: `drill role may delete other tables: p/Cleanup: ${TABLE_ARN}`,
      evidence: { resource: ROLE, expected: 'dynamodb:DeleteTable only on arn:…:table/tablesafe-drill-*', actual: `p/Cleanup: ${TABLE_ARN}` },
      remedy: 'scope dynamodb:DeleteTable to arn:aws:dynamodb:<region>:<account>:table/tablesafe-drill-*',
    });
  });

  it('does not take a resource that is not an ARN for a scratch table', () => {
    const notArn = 'aws:dynamodb:us-east-1:111122223333:table/tablesafe-drill-*';
    expect(drillRule.evaluate(withStatements([del({ resources: [notArn] })], drill), facts)).toMatchObject({ status: 'non-compliant', evidence: { actual: `p: ${notArn}` } });
  });

  it('says the role deletes only scratch tables, listing them, or that it deletes none', () => {
    expect(drillRule.evaluate(withStatements([del({ resources: [SCRATCH_ARN, 'arn:${data.aws_partition.current.partition}:dynamodb:*:*:table/tablesafe-drill-x'] })], drill), facts)).toMatchObject({
      status: 'compliant',
      message: 'deletes only tablesafe-drill-* tables',
      evidence: { resource: ROLE, expected: 'dynamodb:DeleteTable only on arn:…:table/tablesafe-drill-*', actual: `${SCRATCH_ARN}, arn:data.aws_partition.current.partition:dynamodb:*:*:table/tablesafe-drill-x` },
    });
    expect(drillRule.evaluate(withStatements([st({ unknown: ['resources'], resources: [] })], drill), facts)).toMatchObject({ status: 'compliant', evidence: { actual: 'no DeleteTable' } });
  });

  it('says why it does not apply to other roles', () => {
    expect(drillRule.evaluate(role(), facts).message).toBe('not the restore-drill role');
  });

  it('reports unknown when DeleteTable may reach a table not known to be a scratch table', () => {
    expect(drillRule.evaluate(withStatements([del({ unknown: ['actions'], resources: ['*'] })], drill), facts)).toMatchObject(unknownOf('p: actions not known'));
    expect(drillRule.evaluate(withStatements([st({ actions: [], notActions: ['s3:*'], unknown: ['notActions'], resources: ['*'] })], drill), facts).status).toBe('unknown');
    expect(drillRule.evaluate(withStatements([st({ actions: [], unknown: ['actions'], resources: ['*'] })], drill), facts).status).toBe('unknown');
    expect(drillRule.evaluate(withStatements([st({ actions: [], notActions: [], unknown: ['notActions'], resources: ['*'] })], drill), facts).status).toBe('unknown');
    expect(drillRule.evaluate(withStatements([del({ unknown: ['resources'], resources: [] })], drill), facts)).toMatchObject(unknownOf('p: resources not known'));
  });

  it('joins the tables of several statements in the evidence', () => {
    const r = withStatements([del({ sid: 'A', resources: [TABLE_ARN] }), del({ sid: 'B', resources: ['*'] })], drill);
    expect(drillRule.evaluate(r, facts).evidence?.actual).toBe(`p/A: ${TABLE_ARN}; p/B: *`);
    expect(actionRule.evaluate(withStatements([st({ sid: 'A', actions: ['*'] }), st({ sid: 'B', actions: ['kms:*'] })]), facts).evidence?.actual).toBe('p/A: *; p/B: kms:*');
    expect(resourceRule.evaluate(withStatements([st({ sid: 'A', resources: ['*'] }), st({ sid: 'B', actions: ['kms:Decrypt'], resources: ['*'] })]), facts).evidence?.actual).toBe('p/A: dynamodb:GetItem on *; p/B: kms:Decrypt on *');
  });

  it('reports a table it may delete even when another statement is not known', () => {
    const r = withStatements([del({ resources: [TABLE_ARN] }), st({ actions: [], unknown: ['actions'], resources: ['*'] })], drill);
    expect(drillRule.evaluate(r, facts).status).toBe('non-compliant');
  });
});
