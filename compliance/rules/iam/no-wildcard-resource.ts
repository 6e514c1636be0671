import type { RoleFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { allowsAction, list } from '../match';
import { allows, describe, isUnknownValue, known, unknownStatements } from './statements';

/**
 * Actions that read or change data, keys or recovery points and accept a resource ARN. List and
 * describe calls that AWS only authorizes on `*` are not here.
 */
export const DATA_ACTIONS: readonly string[] = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
  'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:RestoreTableFromBackup',
  'dynamodb:RestoreTableToPointInTime', 'dynamodb:ExportTableToPointInTime', 'dynamodb:CreateBackup', 'dynamodb:DeleteBackup',
  'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy',
  'backup:StartBackupJob', 'backup:StartRestoreJob', 'backup:StartCopyJob', 'backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle',
  'backup:GetRecoveryPointRestoreMetadata', 'backup:DeleteBackupVault', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultLockConfiguration',
];

export const roleNoWildcardResourceOnData: Rule<RoleFact> = {
  id: 'TS-IAM-002',
  title: 'DynamoDB, KMS and Backup data actions are scoped to named resources',
  severity: 'error',
  controls: ['CKV_AWS_355'],
  explanation: 'A data action on `*` reaches every table, key or recovery point in the account, including ones created later by other teams.',
  appliesTo: 'role',
  evaluate: (r) => {
    const unknown = unknownInput(r, 'statements');
    if (unknown) return unknown;
    if (r.statements.length === 0) return notApplicable(r, 'role has no inline or customer-managed policy statements');
    const offending = allows(r)
      .filter((s) => known(s, 'actions', 'notActions') && s.resources.includes('*'))
      .map((s) => ({ s, actions: DATA_ACTIONS.filter((a) => allowsAction(s, a)) }))
      .filter((o) => o.actions.length > 0);
    const expected = 'data actions on named ARNs, never on *';
    if (offending.length === 0) {
      const maybe = allows(r).filter((s) => {
        const wide = s.resources.includes('*') || s.resources.some(isUnknownValue) || !known(s, 'resources');
        const data = DATA_ACTIONS.some((a) => allowsAction(s, a)) || !known(s, 'actions', 'notActions');
        return wide && data && !known(s, 'actions', 'notActions', 'resources');
      });
      if (maybe.length > 0) return unknownStatements(r, maybe);
    }
    return offending.length === 0
      ? compliant(r, 'data actions are scoped to named resources', expected, 'none on *')
      : nonCompliant(
          r,
          `data actions on Resource * in ${list(offending.map((o) => describe(o.s)))}`,
          { expected, actual: offending.map((o) => `${describe(o.s)}: ${list(o.actions, 6)} on *`).join('; ') },
          'name the table, index, key and vault ARNs in Resource (Table.grantReadData / grantWriteData do)',
        );
  },
};
