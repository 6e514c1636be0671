import type { Contract } from '../../core/contract';
import { DEFAULT_REQUIREMENTS, Requirements } from './types';

/**
 * The requirements a stack's contract implies: its RPO and retention, whether it locks the vault,
 * copies to a DR region and denies manual deletion, its table's tags and name.
 */
export function requirementsFromContract(contract: Contract): Requirements {
  return {
    ...DEFAULT_REQUIREMENTS,
    vaultLock: contract.backup.lock !== undefined,
    drCopy: contract.backup.drCopy !== undefined,
    rpoMinutes: contract.backup.rpoMinutes,
    minRetentionDays: contract.backup.minRetentionDays,
    requiredTags: Object.keys(contract.table.tags ?? {}),
    platformTables: contract.trail?.dynamoDbDataEvents === false ? [] : [contract.table.name],
    denyManualDeletion: contract.backup.denyManualDeletion,
  };
}
