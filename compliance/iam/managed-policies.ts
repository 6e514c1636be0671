/**
 * The AWS managed policies tablesafe attaches, vendored so the capability matrix evaluates what
 * the roles really hold without calling IAM. Only the statements that concern the services the
 * matrix covers (DynamoDB, KMS, AWS Backup, IAM, S3, STS, CloudTrail) are kept; statements for
 * other services' resources (RDS, EFS, EC2, FSx, Storage Gateway, ...) cannot reach this stack's
 * resources. Partition-neutral: `arn:aws:` is rewritten for the stack's partition.
 */
import type { IamPolicyDocument } from './policy-document';
import forBackup from './managed-policies/AWSBackupServiceRolePolicyForBackup.json';
import forRestores from './managed-policies/AWSBackupServiceRolePolicyForRestores.json';

const VENDORED: Readonly<Record<string, IamPolicyDocument>> = {
  'service-role/AWSBackupServiceRolePolicyForBackup': forBackup as IamPolicyDocument,
  'service-role/AWSBackupServiceRolePolicyForRestores': forRestores as IamPolicyDocument,
};

/** Managed policy names (`service-role/...`) tablesafe has vendored. */
export const VENDORED_MANAGED_POLICIES: readonly string[] = Object.keys(VENDORED);

/**
 * The document of an AWS managed policy by ARN (`arn:aws:iam::aws:policy/service-role/X`) or name,
 * or undefined when tablesafe has not vendored it.
 */
export function managedPolicyDocument(arnOrName: string): IamPolicyDocument | undefined {
  const m = /^arn:([^:]+):iam::aws:policy\/(.+)$/.exec(arnOrName);
  const name = m ? m[2] : arnOrName;
  const doc = VENDORED[name];
  if (!doc || !m || m[1] === 'aws') return doc;
  return JSON.parse(JSON.stringify(doc).replace(/arn:aws:/g, `arn:${m[1]}:`)) as IamPolicyDocument;
}
