/**
 * Every tablesafe compliance rule, by id. Packs (packs.ts) choose among them; the engine
 * (evaluate.ts) runs a pack over a FactSet.
 */
import type { AnyRule } from './rule';
import { tableAutoscaling } from './dynamodb/autoscaling';
import { tableInBackupPlan } from './dynamodb/backup-selection';
import { tableDeletionProtection } from './dynamodb/deletion-protection';
import { tablePitrEnabled } from './dynamodb/pitr-enabled';
import { tableSseCustomerManagedKey } from './dynamodb/sse-customer-managed-key';
import { tableTagged } from './dynamodb/tags';
import { keyPolicyNoPublicPrincipal } from './kms/no-public-principal';
import { keyRotationEnabled } from './kms/rotation';
import { vaultCustomerManagedKey } from './backup/vault-cmk';
import { vaultDeniesManualDeletion } from './backup/deny-manual-deletion';
import { vaultLockWhereRequired } from './backup/vault-lock';
import { planMeetsRpoAndRetention } from './backup/plan-frequency-retention';
import { planLifecycleValid } from './backup/lifecycle-valid';
import { planCopiesToDrRegion } from './backup/dr-copy';
import { planRetentionWithinVaultLock } from './backup/retention-within-lock';
import { planKeepsDataResources } from './plan/no-destroy';
import { trailMultiRegion } from './cloudtrail/multi-region';
import { trailKmsEncrypted } from './cloudtrail/kms-encrypted';
import { trailLogFileValidation } from './cloudtrail/log-validation';
import { trailDynamoDbDataEvents } from './cloudtrail/dynamodb-data-events';
import { logBucketNotPublic } from './s3/not-public';
import { logBucketTlsOnly } from './s3/tls-only';
import { logBucketVersioned } from './s3/versioning';
import { roleNoWildcardAction } from './iam/no-wildcard-action';
import { roleNoWildcardResourceOnData } from './iam/no-wildcard-resource';
import { rolePassRoleScoped } from './iam/pass-role-scoped';
import { drillRoleDeletesScratchOnly } from './iam/drill-deletes-scratch-only';
import { roleMatchesCapabilityMatrix } from './iam/capability-matrix';

export * from './rule';
export { cronIntervalMinutes, validateCron } from '../../core/cron';

export const ALL_RULES: readonly AnyRule[] = [
  tablePitrEnabled,
  tableSseCustomerManagedKey,
  tableDeletionProtection,
  tableInBackupPlan,
  tableAutoscaling,
  tableTagged,
  keyRotationEnabled,
  keyPolicyNoPublicPrincipal,
  vaultCustomerManagedKey,
  vaultDeniesManualDeletion,
  vaultLockWhereRequired,
  planMeetsRpoAndRetention,
  planLifecycleValid,
  planCopiesToDrRegion,
  planRetentionWithinVaultLock,
  trailMultiRegion,
  trailKmsEncrypted,
  trailLogFileValidation,
  trailDynamoDbDataEvents,
  logBucketNotPublic,
  logBucketTlsOnly,
  logBucketVersioned,
  roleNoWildcardAction,
  roleNoWildcardResourceOnData,
  rolePassRoleScoped,
  drillRoleDeletesScratchOnly,
  roleMatchesCapabilityMatrix,
  planKeepsDataResources,
];

const BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]));

export function ruleById(id: string): AnyRule | undefined {
  return BY_ID.get(id);
}
