import type { Contract } from '../../core/contract';
import type { Requirements } from './types';

/**
 * The requirements a stack's contract implies: its RPO and retention, whether it locks the vault,
 * copies to a DR region and denies manual deletion, the tags its tables must carry and the tables
 * whose data events the trail must log.
 *
 * The one derivation: synth (the compliance aspect of PlatformStack), `tablesafe check` with a
 * contract beside the Terraform JSON, and verify's live facts all call it, so the same contract
 * holds every moment to the same requirements.
 */
export function requirementsFromContract(contract: Contract): Requirements {
  return {
    vaultLock: contract.backup.lock !== undefined,
    drCopy: contract.backup.drCopy !== undefined,
    rpoMinutes: contract.backup.rpoMinutes,
    minRetentionDays: contract.backup.minRetentionDays,
    requiredTags: [...(contract.compliance?.requiredTags ?? Object.keys(contract.table.tags ?? {}))],
    platformTables: contract.trail?.dynamoDbDataEvents === false ? [] : [contract.table.name],
    // A contract always states it; one written by hand without it gets the safe default.
    denyManualDeletion: contract.backup.denyManualDeletion ?? true,
    ...(contract.evidence ? { evidence: { lockMode: contract.evidence.lockMode, retentionDays: contract.evidence.retentionDays } } : {}),
  };
}
