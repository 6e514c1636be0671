import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

/** Plan version ids look like AWS's: 32 url-safe characters. */
export const versionId = (): string => randomBytes(24).toString('base64url').slice(0, 32);

export const vaultArn = (region: string, account: string, name: string): string =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

export const planArn = (region: string, account: string, id: string): string =>
  `arn:aws:backup:${region}:${account}:backup-plan:${id}`;

/** DynamoDB backup ids are a 17-digit millisecond stamp and 8 hex digits, e.g. `01700000000000-1a2b3c4d`. */
export const dynamoBackupId = (now: number): string =>
  `${String(now).padStart(17, '0')}-${randomBytes(4).toString('hex')}`;

export const dynamoRecoveryPointArn = (tableArn: string, id: string): string => `${tableArn}/backup/${id}`;

/** AWS Backup's own recovery point ARN: copies, and DynamoDB backups once advanced backup is on. */
export const backupRecoveryPointArn = (region: string, account: string, id: string): string =>
  `arn:aws:backup:${region}:${account}:recovery-point:${id}`;

/** The id at the end of either format (`…/backup/<id>`, `…:recovery-point:<id>`). */
export const recoveryPointIdOf = (arn: string): string => arn.slice(Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1);

export const awsManagedBackupKeyArn = (region: string, account: string): string =>
  `arn:aws:kms:${region}:${account}:key/aws-backup-managed-${region}`;

export interface DynamoTableArn {
  region: string;
  accountId: string;
  tableName: string;
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

export function parseTableArn(arn: string): DynamoTableArn | undefined {
  const m = TABLE_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], tableName: m[3] } : undefined;
}

export const isArn = (s: string): boolean => /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/.test(s);

/** Vault names: 2–50 of letters, digits, hyphen, underscore (the API reference's pattern). */
export const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;
export const PLAN_OR_RULE_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
export const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
