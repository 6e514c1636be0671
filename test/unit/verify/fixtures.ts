/** A contract and outputs shaped like what the demo stack writes, for verify unit tests. */
import { Contract, CONTRACT_SCHEMA_VERSION, OUTPUT_NAMES, OutputKey } from '../../../core/contract';
import type { StackOutputs } from '../../../core/outputs';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const TABLE = 'orders';
export const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111-2222`;
export const VAULT = 'tablesafe-demo-vault';
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
export const BACKUP_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-backup`;

const role = (name: string, output: string) => ({ name, output, inlinePolicies: [`${name}-policy`], managedPolicyArns: [] as string[] });

export function contract(overrides: Partial<Contract> = {}): Contract {
  return {
    schemaVersion: CONTRACT_SCHEMA_VERSION,
    stack: 'demo',
    environment: 'demo',
    region: REGION,
    table: {
      name: TABLE,
      partitionKey: { name: 'ID', type: 'S' },
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: true,
      deletionProtection: true,
      tableClass: 'STANDARD',
      encryption: 'CUSTOMER_MANAGED',
      replicaRegions: [],
      tags: { project: 'tablesafe' },
    },
    key: { alias: 'alias/tablesafe-demo', rotation: true, deletionWindowDays: 30 },
    backup: {
      vaultName: VAULT,
      planName: 'tablesafe-demo-plan',
      selectionName: 'tablesafe-demo-selection',
      rules: [
        { name: 'daily', schedule: 'cron(0 5 ? * * *)', intervalMinutes: 1440, startWindowMinutes: 60, completionWindowMinutes: 180, deleteAfterDays: 35, continuousBackup: false },
      ],
      rpoMinutes: 1440,
      minRetentionDays: 7,
      advancedDynamoDbBackup: true,
      denyManualDeletion: true,
    },
    roles: {
      backup: role('tablesafe-demo-backup', OUTPUT_NAMES.backupRoleArn),
      restoreDrill: role('tablesafe-demo-restore-drill', OUTPUT_NAMES.drillRoleArn),
      appReader: role('tablesafe-demo-app-reader', OUTPUT_NAMES.appReaderRoleArn),
      appWriter: role('tablesafe-demo-app-writer', OUTPUT_NAMES.appWriterRoleArn),
      auditor: role('tablesafe-demo-auditor', OUTPUT_NAMES.auditorRoleArn),
    },
    drill: { rtoMinutes: 60, validation: { tolerance: 0, sample: 5, digest: true } },
    compliance: { pack: 'tablesafe-baseline' },
    outputs: { ...OUTPUT_NAMES },
    ...overrides,
  };
}

export function outputs(overrides: StackOutputs = {}): StackOutputs {
  return {
    tableName: TABLE,
    tableArn: TABLE_ARN,
    keyArn: KEY_ARN,
    keyAlias: 'alias/tablesafe-demo',
    vaultName: VAULT,
    vaultArn: VAULT_ARN,
    planId: 'plan-1',
    planArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:plan-1`,
    selectionId: 'sel-1',
    backupRoleArn: BACKUP_ROLE_ARN,
    drillRoleArn: `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-restore-drill`,
    appReaderRoleArn: `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-app-reader`,
    appWriterRoleArn: `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-app-writer`,
    auditorRoleArn: `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-auditor`,
    accountId: ACCOUNT,
    region: REGION,
    ...overrides,
  };
}

/** `terraform output -json` text for the given outputs (absent ones as empty strings, like the stack). */
export function terraformOutputJson(values: StackOutputs = outputs()): string {
  const json: Record<string, { value: string; type: string; sensitive: boolean }> = {};
  for (const [key, name] of Object.entries(OUTPUT_NAMES) as [OutputKey, string][]) {
    json[name] = { value: values[key] ?? '', type: 'string', sensitive: false };
  }
  return JSON.stringify(json, null, 2);
}
