/**
 * `tablesafe`: the constructs for any cdktf app — EncryptionKey, Table, BackupVault, BackupPlan,
 * BackupSelection, roles with their capability matrices, AuditTrail — the synth-time compliance
 * Aspect (`applyCompliance`), and PlatformStack, which composes them from a PlatformConfig and
 * writes the contract `tablesafe verify` holds the deployed stack to.
 *
 * This entry point loads cdktf and the provider bindings only: no AWS SDK, no sandbox, no verify.
 * Library APIs live under `tablesafe/compliance`, `tablesafe/verify` and `tablesafe/sandbox`.
 */
export * from './modules';
export * from './stacks';
// Both ./modules (compliance) and ./stacks (config) name the same { ruleId, resource, reason } shape.
export type { Suppression } from './core/contract';
export { CONTRACT_FILE_NAME, COMPLIANCE_FILE_NAME, OUTPUT_NAMES, parseContract, type Contract } from './core/contract';
export { TablesafeError, isTablesafeError } from './core/errors';
