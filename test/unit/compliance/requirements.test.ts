/**
 * One requirements derivation: the contract a stack writes holds synth, `tablesafe check` and the
 * live facts to the same requirements.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient, DescribeBackupVaultCommand, GetBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeTableCommand, DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { Testing } from 'cdktf';
import { createClients } from '../../../core/aws/clients';
import { Contract, parseContract } from '../../../core/contract';
import { factsFromAws } from '../../../compliance/facts/from-aws';
import { gatherLiveState, LiveState } from '../../../compliance/facts/live-state';
import { requirementsFromContract } from '../../../compliance/facts/requirements';
import { evaluatePack, PackFinding } from '../../../compliance/rules/evaluate';
import { applyCompliance, checkStackCompliance, complianceRequirements } from '../../../modules/compliance';
import { dev, ENVIRONMENTS, PlatformConfig } from '../../../stacks/config';
import { PlatformStack } from '../../../stacks/platform-stack';
import { runCheck } from '../../../compliance/check';
import { outputs } from '../verify/fixtures';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const others = [mockClient(KMSClient), mockClient(IAMClient), mockClient(CloudTrailClient), mockClient(S3Client), mockClient(ApplicationAutoScalingClient)];

beforeEach(() => {
  for (const m of [ddb, backup, ...others] as { reset(): void; onAnyCommand(): { resolves(v: object): unknown } }[]) {
    m.reset();
    m.onAnyCommand().resolves({});
  }
});

const platform = (config: PlatformConfig) => new PlatformStack(Testing.app(), config, { env: {} });
/** The contract as verify reads it: written to JSON and parsed back. */
const contractFileOf = (stack: PlatformStack): Contract => parseContract(JSON.parse(JSON.stringify(stack.contract())));

/** Live state of a platform whose table carries `tags` and whose vault has no access policy. */
async function liveState(contract: Contract, tags: Readonly<Record<string, string>> = contract.table.tags): Promise<LiveState> {
  const out = outputs({ tableName: contract.table.name, vaultName: contract.backup.vaultName });
  ddb.on(DescribeTableCommand).resolves({ Table: { TableName: contract.table.name, TableArn: out.tableArn, TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } });
  ddb.on(ListTagsOfResourceCommand).resolves({ Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
  backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: contract.backup.vaultName, BackupVaultArn: out.vaultArn, EncryptionKeyArn: out.keyArn });
  backup.on(GetBackupVaultAccessPolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'ResourceNotFoundException' }));
  return gatherLiveState(contract, out, createClients({ region: contract.region, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }));
}

const synthFindings = (stack: PlatformStack, ruleId: string): PackFinding[] =>
  checkStackCompliance(stack, stack.complianceOptions()).findings.filter((f) => f.ruleId === ruleId);

async function liveFindings(contract: Contract, ruleId: string, tags?: Readonly<Record<string, string>>): Promise<PackFinding[]> {
  const facts = factsFromAws(contract, outputs(), await liveState(contract, tags));
  return evaluatePack(contract.compliance.pack, facts).findings.filter((f) => f.ruleId === ruleId);
}

const withBackup = (b: Partial<PlatformConfig['backup']>): PlatformConfig => ({ ...dev, backup: { ...dev.backup, ...b } });

describe('backup.denyManualDeletion: false', () => {
  const stack = platform(withBackup({ denyManualDeletion: false }));

  it('puts denyManualDeletion: false in the contract', () => {
    expect(stack.contract().backup.denyManualDeletion).toBe(false);
  });

  it('leaves TS-BAK-002 not applicable at synth', () => {
    const findings = synthFindings(stack, 'TS-BAK-002');
    expect(findings.map((f) => f.status)).toEqual(['not-applicable']);
  });

  it('leaves TS-BAK-002 not applicable on live facts of a vault without an access policy', async () => {
    const findings = await liveFindings(contractFileOf(stack), 'TS-BAK-002');
    expect(findings.map((f) => [f.status, f.message])).toEqual([['not-applicable', expect.stringMatching(/does not require denying manual deletion/)]]);
  });

  it('is not applicable in tablesafe check with the contract beside the Terraform JSON', () => {
    const report = runCheck({ terraform: stack.toTerraform(), contract: stack.contract() }, { pack: 'tablesafe-strict' });
    expect(report.compliance.findings.filter((f) => f.ruleId === 'TS-BAK-002').map((f) => f.status)).toEqual(['not-applicable']);
  });

  it('still fails a live vault without an access policy when the contract requires the deny', async () => {
    const findings = await liveFindings(contractFileOf(platform(dev)), 'TS-BAK-002');
    expect(findings.map((f) => f.status)).toEqual(['non-compliant']);
  });
});

describe('required tags', () => {
  it('default to REQUIRED_TAGS at synth and live, whatever other tags the environment sets', async () => {
    const stack = platform({ ...dev, tags: { ...dev.tags, team: 'storage' } });
    const contract = contractFileOf(stack);
    expect(complianceRequirements(stack.complianceOptions()).requiredTags).toEqual(['project', 'environment', 'owner', 'data-classification']);
    const { team: _, ...withoutTeam } = contract.table.tags;
    expect((await liveFindings(contract, 'TS-DDB-006', withoutTeam)).map((f) => f.status)).toEqual(['compliant']);
  });

  it('custom required tags are held the same at synth and live', async () => {
    const stack = platform({ ...dev, compliance: { requiredTags: ['owner', 'cost-center'] } });
    const contract = contractFileOf(stack);
    expect(contract.compliance.requiredTags).toEqual(['owner', 'cost-center']);
    const synth = synthFindings(stack, 'TS-DDB-006');
    const live = await liveFindings(contract, 'TS-DDB-006');
    expect(synth.map((f) => [f.status, f.message])).toEqual([['non-compliant', 'missing tags: cost-center']]);
    expect(live.map((f) => [f.status, f.message])).toEqual(synth.map((f) => [f.status, f.message]));
  });

  it('custom required tags the table carries pass at synth and live', async () => {
    const stack = platform({ ...dev, tags: { ...dev.tags, 'cost-center': 'cc-42' }, compliance: { requiredTags: ['owner', 'cost-center'] } });
    expect(synthFindings(stack, 'TS-DDB-006').map((f) => f.status)).toEqual(['compliant']);
    expect((await liveFindings(contractFileOf(stack), 'TS-DDB-006')).map((f) => f.status)).toEqual(['compliant']);
  });

  it('an empty required tag key fails at synth naming the field', () => {
    expect(() => platform({ ...dev, compliance: { requiredTags: ['owner', ' '] } })).toThrow(/PlatformConfig\(dev\)\.compliance\.requiredTags\[1\]: " " is invalid: must be a non-empty tag key/);
  });

  it('a contract written before requiredTags existed requires the keys of its table tags', () => {
    const contract = platform(dev).contract();
    const { requiredTags: _, ...compliance } = contract.compliance;
    const old = { ...contract, compliance, table: { ...contract.table, tags: { a: '1', b: '2' } } };
    expect(requirementsFromContract(old).requiredTags).toEqual(['a', 'b']);
  });
});

/** Each shipped environment as shipped, and with the settings whose requirements once drifted. */
const VARIANTS: readonly [string, (c: PlatformConfig) => PlatformConfig][] = [
  ['as shipped', (c) => c],
  ['without the deny of manual deletion', (c) => ({ ...c, backup: { ...c.backup, denyManualDeletion: false } })],
  ['with custom required tags and an extra tag', (c) => ({ ...c, tags: { ...c.tags, team: 'storage' }, compliance: { ...c.compliance, requiredTags: ['owner', 'team'] } })],
  ['with an extra tag', (c) => ({ ...c, tags: { ...c.tags, team: 'storage' } })],
  ['without a trail', (c) => ({ ...c, trail: { enabled: false } })],
];

describe('synth and live derive the same requirements from the same contract', () => {
  const cases = ENVIRONMENTS.flatMap((c) => VARIANTS.map(([name, vary]) => [c.environment, name, vary(c)] as const));
  it.each(cases)('%s %s', async (_env, _variant, config) => {
    const stack = platform(config);
    const synth = complianceRequirements(stack.complianceOptions());
    const contract = contractFileOf(stack);
    const live = factsFromAws(contract, outputs(), await liveState(contract)).requirements;
    expect(live).toEqual(synth);
    expect(synth).toEqual(requirementsFromContract(contract));
  });

  it('prod requires the vault lock, the DR copy, an hourly RPO and the deny', () => {
    expect(complianceRequirements(platform(ENVIRONMENTS.find((c) => c.environment === 'prod')!).complianceOptions())).toMatchObject({
      vaultLock: true,
      drCopy: true,
      rpoMinutes: 60,
      minRetentionDays: 7,
      denyManualDeletion: true,
      platformTables: ['tablesafe-prod-records'],
    });
  });
});

describe('ComplianceOptions', () => {
  it('refuses both a contract and explicit requirements', () => {
    const stack = platform(dev);
    expect(() => applyCompliance(stack, { contract: stack.contract(), requirements: complianceRequirements() })).toThrow(/both contract and requirements given/);
  });
});
