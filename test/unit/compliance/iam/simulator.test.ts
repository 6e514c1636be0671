import { IAM_SIMULATION_FAILED, IAM_SIMULATOR_MISSING, IamSimulator, isConditionOperator, loadIamSimulator, NamedPolicy } from '../../../../compliance/iam/simulator';
import { managedPolicyDocument } from '../../../../compliance/iam/managed-policies';
import { TablesafeError } from '../../../../core/errors';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/tablesafe-prod-restore-drill`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`;
const OTHER_TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payroll`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;

const policy = (name: string, ...Statement: NamedPolicy['document']['Statement'][]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement: Statement.flat() } });

const drill = policy(
  'restore-drill',
  { Sid: 'ReadSourceTable', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Scan'], Resource: TABLE },
  { Sid: 'NeverWriteSource', Effect: 'Deny', Action: ['dynamodb:DeleteTable', 'dynamodb:PutItem'], Resource: TABLE },
  { Sid: 'RestoreOwnBackups', Effect: 'Allow', Action: ['backup:StartRestoreJob'], Resource: [`${TABLE}/backup/*`, `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:*`] },
);

let simulator: IamSimulator;
beforeAll(async () => {
  simulator = await loadIamSimulator();
});

describe('loadIamSimulator', () => {
  it('says how to install the simulator when it is absent', async () => {
    const missing = loadIamSimulator({
      load: async (name) => {
        throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
      },
    });
    await expect(missing).rejects.toThrow(TablesafeError);
    await expect(missing).rejects.toMatchObject({ code: IAM_SIMULATOR_MISSING, remedy: expect.stringMatching(/npm install --save-dev @cloud-copilot\/iam-simulate/) });
  });

  it('refuses a package that does not export runSimulation', async () => {
    await expect(loadIamSimulator({ load: async () => ({}) })).rejects.toMatchObject({ code: IAM_SIMULATOR_MISSING, message: expect.stringMatching(/unsupported version/) });
  });
});

describe('IamSimulator.simulate', () => {
  it('allows what an identity statement allows, naming the statement', async () => {
    const r = await simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: TABLE, identityPolicies: [drill] });
    expect(r).toEqual({ decision: 'allowed', statement: 'restore-drill:ReadSourceTable', decidedBy: 'identity' });
  });

  it('denies implicitly what no statement allows, without a statement', async () => {
    const r = await simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: OTHER_TABLE, identityPolicies: [drill] });
    expect(r).toEqual({ decision: 'implicitly denied' });
  });

  it('reports an explicit deny with the statement that denies', async () => {
    const r = await simulator.simulate({ principal: ROLE, action: 'dynamodb:DeleteTable', resource: TABLE, identityPolicies: [drill] });
    expect(r).toEqual({ decision: 'explicitly denied', statement: 'restore-drill:NeverWriteSource', decidedBy: 'identity' });
  });

  it('names the resource policy that denies (a vault access policy)', async () => {
    const vault = `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:v`;
    const vaultPolicy = policy('vault-access-policy', { Sid: 'DenyDeleteVaultPolicy', Effect: 'Deny', Principal: '*', Action: 'backup:DeleteBackupVaultAccessPolicy', Resource: vault });
    const admin = policy('admin', { Effect: 'Allow', Action: 'backup:*', Resource: '*' });
    const r = await simulator.simulate({ principal: ROLE, action: 'backup:DeleteBackupVaultAccessPolicy', resource: vault, identityPolicies: [admin], resourcePolicy: vaultPolicy });
    expect(r).toEqual({ decision: 'explicitly denied', statement: 'vault-access-policy:DenyDeleteVaultPolicy', decidedBy: 'resource' });
  });

  it('evaluates condition keys from the request context', async () => {
    const grants = policy('grants', { Sid: 'GrantsForAwsResources', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: KEY, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    // KMS needs the key policy to delegate to the account's IAM policies.
    const keyPolicy = policy('key-policy', { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    const forService = await simulator.simulate({ principal: ROLE, action: 'kms:CreateGrant', resource: KEY, identityPolicies: [grants], resourcePolicy: keyPolicy, context: { 'kms:GrantIsForAWSResource': 'true' } });
    const forAnyone = await simulator.simulate({ principal: ROLE, action: 'kms:CreateGrant', resource: KEY, identityPolicies: [grants], resourcePolicy: keyPolicy, context: { 'kms:GrantIsForAWSResource': 'false' } });
    expect([forService.decision, forAnyone.decision]).toEqual(['allowed', 'implicitly denied']);
  });

  it('fails on a misspelled condition operator the evaluator would skip', async () => {
    const typo = policy('typo', { Sid: 'Typo', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: KEY, Condition: { BoolIfExits: { 'kms:GrantIsForAWSResource': 'true' } } });
    await expect(simulator.simulate({ principal: ROLE, action: 'kms:CreateGrant', resource: KEY, identityPolicies: [typo] })).rejects.toMatchObject({
      code: IAM_SIMULATION_FAILED,
      message: expect.stringMatching(/policy "typo" statement Typo: condition operator "BoolIfExits"/),
    });
  });

  it('fails on an unknown condition key', async () => {
    const typo = policy('typo', { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: KEY, Condition: { Bool: { 'kms:GrantIsForAwsResources': 'true' } } });
    await expect(simulator.simulate({ principal: ROLE, action: 'kms:CreateGrant', resource: KEY, identityPolicies: [typo] })).rejects.toThrow(/condition key "kms:GrantIsForAwsResources" is unknown/);
  });

  it('fails on an unknown action, asked or granted', async () => {
    await expect(simulator.simulate({ principal: ROLE, action: 'dynamodb:ScanTable', resource: TABLE, identityPolicies: [drill] })).rejects.toMatchObject({ code: IAM_SIMULATION_FAILED, message: expect.stringMatching(/unknown IAM action "dynamodb:ScanTable"/) });
    const granted = policy('granted', { Sid: 'Typo', Effect: 'Allow', Action: 'dynamodb:Scna', Resource: TABLE });
    await expect(simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: TABLE, identityPolicies: [granted] })).rejects.toThrow(/policy "granted" statement Typo: unknown IAM action "dynamodb:Scna"/);
  });

  it('fails on a wildcard that matches no action', async () => {
    const granted = policy('granted', { Effect: 'Allow', Action: 'dynamodb:Scn*', Resource: TABLE });
    await expect(simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: TABLE, identityPolicies: [granted] })).rejects.toThrow(/"dynamodb:Scn\*" matches no IAM action/);
  });

  it('fails when the evaluator cannot type the resource', async () => {
    await expect(simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: KEY, identityPolicies: [drill] })).rejects.toMatchObject({ code: IAM_SIMULATION_FAILED });
  });

  it('hand-asserts DynamoDB-format recovery points for AWS Backup actions', async () => {
    const own = await simulator.simulate({ principal: ROLE, action: 'backup:StartRestoreJob', resource: `${TABLE}/backup/01700000000000000-0a1b2c3d`, identityPolicies: [drill] });
    const other = await simulator.simulate({ principal: ROLE, action: 'backup:StartRestoreJob', resource: `${OTHER_TABLE}/backup/01700000000000000-0a1b2c3d`, identityPolicies: [drill] });
    expect(own).toEqual({ decision: 'allowed', statement: 'restore-drill:RestoreOwnBackups', decidedBy: 'identity', handAsserted: true });
    expect(other).toEqual({ decision: 'implicitly denied', handAsserted: true });
  });

  it('evaluates AWS Backup-format recovery points with the evaluator itself', async () => {
    const r = await simulator.simulate({ principal: ROLE, action: 'backup:StartRestoreJob', resource: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:abc`, identityPolicies: [drill] });
    expect(r).toEqual({ decision: 'allowed', statement: 'restore-drill:RestoreOwnBackups', decidedBy: 'identity' });
  });

  it('rejects a malformed DynamoDB backup ARN instead of guessing', async () => {
    await expect(simulator.simulate({ principal: ROLE, action: 'backup:StartRestoreJob', resource: `${TABLE}/backup/latest`, identityPolicies: [drill] })).rejects.toThrow(/is not a recovery-point ARN/);
  });

  it('applies extra organisation deny policies (SCPs) the stack cannot see', async () => {
    const scp = policy('deny-eu-west-1-scans', { Sid: 'NoScans', Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' });
    const r = await simulator.simulate({ principal: ROLE, action: 'dynamodb:Scan', resource: TABLE, identityPolicies: [drill], serviceControlPolicies: [scp] });
    expect(r).toEqual({ decision: 'explicitly denied', statement: 'deny-eu-west-1-scans:NoScans', decidedBy: 'scp' });
  });

  it('evaluates a trust policy as the resource policy of sts:AssumeRole', async () => {
    const trust = policy('trust-policy', { Sid: 'NamedPipeline', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/pipeline` }, Action: 'sts:AssumeRole' });
    const assumeAny = policy('assume', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });
    const named = await simulator.simulate({ principal: `arn:aws:iam::${ACCOUNT}:role/pipeline`, action: 'sts:AssumeRole', resource: ROLE, identityPolicies: [assumeAny], resourcePolicy: trust });
    const unnamed = await simulator.simulate({ principal: `arn:aws:iam::${ACCOUNT}:role/someone-else`, action: 'sts:AssumeRole', resource: ROLE, identityPolicies: [assumeAny], resourcePolicy: trust });
    expect([named.decision, unnamed.decision]).toEqual(['allowed', 'implicitly denied']);
  });
});

describe('IamSimulator.simulate, context the evaluator drops', () => {
  it('refuses a request whose policy conditions on a key the evaluator ignores (web-identity claims)', async () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const trust = policy('trust-policy', { Sid: 'GitHubActions', Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/tablesafe:*' } } });
    await expect(
      simulator.simulate({ principal: provider, action: 'sts:AssumeRoleWithWebIdentity', resource: ROLE, identityPolicies: [], resourcePolicy: trust, context: { 'token.actions.githubusercontent.com:sub': 'repo:acme/tablesafe:ref:refs/heads/main' } }),
    ).rejects.toMatchObject({ code: IAM_SIMULATION_FAILED, message: expect.stringMatching(/ignores context key\(s\) token\.actions\.githubusercontent\.com:sub/) });
  });
});

describe('isConditionOperator', () => {
  it.each(['StringEquals', 'ForAnyValue:StringLike', 'BoolIfExists', 'ArnLike', 'Null'])('accepts %s', (op) => expect(isConditionOperator(op)).toBe(true));
  it.each(['BoolIfExits', 'StringEqual', 'NullIfExists', 'stringequals', 'ForSomeValues:StringLike'])('rejects %s', (op) => expect(isConditionOperator(op)).toBe(false));
});

describe('vendored managed policies', () => {
  it('hold AWS Backup service role statements, rewritten for the partition', async () => {
    const doc = managedPolicyDocument('arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores');
    expect(JSON.stringify(doc)).toMatch(/arn:aws-us-gov:dynamodb:\*:\*:table\/\*\/backup\/\*/);
    expect(managedPolicyDocument('service-role/AWSBackupServiceRolePolicyForS3Backup')).toBeUndefined();
  });

  it('pass the wrapper validation (every action, operator and key is known)', async () => {
    for (const name of ['service-role/AWSBackupServiceRolePolicyForBackup', 'service-role/AWSBackupServiceRolePolicyForRestores']) {
      await expect(simulator.validatePolicy({ name, document: managedPolicyDocument(name)! })).resolves.toBeUndefined();
    }
  });
});
