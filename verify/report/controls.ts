/**
 * Which audit controls each check evidences, with each check's fixed title (stable JUnit names)
 * and its remedy when it fails. One table, reused by every rendering of a run and by a history
 * report over many runs (`controlsEvidenced`).
 *
 * The mapping says what a passing check is evidence *for*; it does not claim a control is met by
 * tablesafe alone (a control also needs people and process around it).
 */
import type { CheckResult, CheckStatus } from '../checks/check';

export type ControlId = 'SOC2-A1.2' | 'SOC2-A1.3' | 'SOC2-CC7.5' | 'ISO27001-A.8.13' | 'NIST-CP-4' | 'NIST-CP-9' | 'NIST-CP-10';

export interface Control {
  readonly id: ControlId;
  readonly framework: 'SOC 2' | 'ISO/IEC 27001:2022' | 'NIST SP 800-53 Rev. 5';
  /** The control's reference as its framework writes it. */
  readonly ref: string;
  readonly name: string;
}

export const CONTROLS: readonly Control[] = [
  { id: 'SOC2-A1.2', framework: 'SOC 2', ref: 'A1.2', name: 'Data backup processes and recovery infrastructure are implemented and monitored' },
  { id: 'SOC2-A1.3', framework: 'SOC 2', ref: 'A1.3', name: 'Recovery plan procedures supporting system recovery are tested' },
  { id: 'SOC2-CC7.5', framework: 'SOC 2', ref: 'CC7.5', name: 'Activities to recover from identified security incidents are developed and implemented' },
  { id: 'ISO27001-A.8.13', framework: 'ISO/IEC 27001:2022', ref: 'A.8.13', name: 'Information backup: backup copies maintained and regularly tested' },
  { id: 'NIST-CP-4', framework: 'NIST SP 800-53 Rev. 5', ref: 'CP-4', name: 'Contingency plan testing' },
  { id: 'NIST-CP-9', framework: 'NIST SP 800-53 Rev. 5', ref: 'CP-9', name: 'System backup' },
  { id: 'NIST-CP-10', framework: 'NIST SP 800-53 Rev. 5', ref: 'CP-10', name: 'System recovery and reconstitution' },
];

const BACKUP: readonly ControlId[] = ['SOC2-A1.2', 'ISO27001-A.8.13', 'NIST-CP-9'];
const RESTORE: readonly ControlId[] = ['SOC2-A1.3', 'SOC2-CC7.5', 'ISO27001-A.8.13', 'NIST-CP-4', 'NIST-CP-10'];
const DATA: readonly ControlId[] = ['SOC2-A1.3', 'ISO27001-A.8.13', 'NIST-CP-4', 'NIST-CP-10'];

export interface CatalogEntry {
  /** A check id, or a prefix ending in `*` (`TS-BAK-*` matches every compliance finding of those rules). */
  readonly id: string;
  /** Fixed title: the same in every run (JUnit case names are the id plus this). */
  readonly title: string;
  readonly controls: readonly ControlId[];
  /** What to do when the check fails or is inconclusive. */
  readonly remedy: string;
}

/** Exact ids first, then prefixes; the first match wins. */
export const CHECK_CATALOG: readonly CatalogEntry[] = [
  { id: 'BACKUP-RPO', title: 'Latest recovery point within the RPO', controls: BACKUP, remedy: 'find why the scheduled backup did not run (BACKUP-JOBS, the plan\'s schedule and start window), run one now (`tablesafe drill --fresh`), then verify again' },
  { id: 'BACKUP-JOBS', title: 'No failed or expired backup jobs', controls: BACKUP, remedy: 'open each failed job in the AWS Backup console for its status message (often the backup role or the key policy), fix it, and start a backup' },
  { id: 'BACKUP-VAULT', title: 'Backup vault as declared', controls: BACKUP, remedy: 'apply the stack again (`cdktf deploy`) so the vault, its key and its lock match the contract' },
  { id: 'BACKUP-VAULT-POLICY', title: 'Vault policy denies recovery point deletion', controls: BACKUP, remedy: 'apply the stack again so the vault access policy denies backup:DeleteRecoveryPoint' },
  { id: 'BACKUP-DR-VAULT', title: 'DR backup vault as declared', controls: BACKUP, remedy: 'apply the stack again so the DR vault, its key and its lock match the contract' },
  { id: 'BACKUP-DR-VAULT-POLICY', title: 'DR vault policy denies recovery point deletion', controls: BACKUP, remedy: 'apply the stack again so the DR vault access policy denies backup:DeleteRecoveryPoint' },
  { id: 'BACKUP-DR-COPY', title: 'DR copy present in the DR vault', controls: BACKUP, remedy: 'check the plan rule\'s copy action and the copy jobs in AWS Backup; the DR key policy must let the backup role use it' },
  { id: 'BACKUP-PLAN', title: 'Backup plan rules as declared', controls: BACKUP, remedy: 'apply the stack again; a plan edited by hand drifts from the contract' },
  { id: 'BACKUP-SELECTION', title: 'Backup selection covers the table', controls: BACKUP, remedy: 'apply the stack again so the selection names the table (or its tag)' },
  { id: 'BACKUP-REGION-SETTINGS', title: 'DynamoDB opted into AWS Backup advanced features', controls: BACKUP, remedy: 'turn on DynamoDB in AWS Backup settings (opt-in and advanced features) for the region' },
  { id: 'TABLE-PITR', title: 'Point-in-time recovery enabled', controls: BACKUP, remedy: 'apply the stack again so point-in-time recovery is on' },
  { id: 'TABLE-DELETION-PROTECTION', title: 'Deletion protection as declared', controls: BACKUP, remedy: 'apply the stack again so deletion protection matches the contract' },
  { id: 'TABLE-REPLICAS', title: 'Replicas as declared', controls: BACKUP, remedy: 'apply the stack again so the replicas match the contract' },
  { id: 'KEY-*', title: 'Encryption key as declared', controls: ['NIST-CP-9'], remedy: 'apply the stack again so the key, its rotation and its policy match the contract' },
  { id: 'DRILL-FRESH-BACKUP', title: 'On-demand backup completes', controls: BACKUP, remedy: 'read the backup job\'s status message in AWS Backup (backup role, key policy, vault lock) and run the drill again' },
  { id: 'DRILL-RECOVERY-POINT', title: 'Recovery point to restore exists within the RPO', controls: BACKUP, remedy: 'run a backup (or `tablesafe drill --fresh`) and find why the schedule did not make one (BACKUP-JOBS)' },
  { id: 'DRILL-RESTORE', title: 'Backup restore completes within the RTO', controls: RESTORE, remedy: 'read the restore job\'s status message; if it is slow, raise capacity or revisit the RTO with the table\'s size; `tablesafe janitor` removes a table a late restore leaves' },
  { id: 'DRILL-RESTORE-PITR', title: 'Point-in-time restore completes within the RTO', controls: RESTORE, remedy: 'check point-in-time recovery is on and its window covers the recovery point\'s time; read the error in the message' },
  { id: 'DRILL-RESTORE-DR', title: 'DR-copy restore completes within the RTO', controls: [...RESTORE, 'NIST-CP-9'], remedy: 'check the DR copy (DRILL-DR-COPY), the DR key policy and the restore job in the DR region' },
  { id: 'DRILL-DR-COPY', title: 'Recovery point copied to the DR vault', controls: [...BACKUP, 'NIST-CP-10'], remedy: 'check the copy job in AWS Backup: the DR vault must exist and its key must let the backup role encrypt' },
  { id: 'DRILL-DESIGN', title: 'Restored table matches the declared design and key', controls: RESTORE, remedy: 'a restore that loses indexes or the key is not a recovery: compare the restored table with the contract and fix the backup settings' },
  { id: 'DRILL-DESIGN-PITR', title: 'Point-in-time restored table matches the declared design and key', controls: RESTORE, remedy: 'compare the restored table with the contract; the restore request must name the contract\'s key' },
  { id: 'DRILL-DESIGN-DR', title: 'DR-restored table matches the declared design and key', controls: RESTORE, remedy: 'compare the restored table with the contract; the DR restore must use the DR key' },
  { id: 'DRILL-REAPPLY', title: 'Settings to re-apply after a real recovery are listed', controls: ['SOC2-CC7.5', 'NIST-CP-10'], remedy: 'keep the runbook\'s re-apply list current with the contract' },
  { id: 'DRILL-CLEANUP', title: 'Scratch tables deleted', controls: ['NIST-CP-4'], remedy: 'run `tablesafe janitor --region <regions>` to delete the scratch tables left behind' },
  { id: 'DRILL-ERROR', title: 'Restore drill ran to completion', controls: ['NIST-CP-4'], remedy: 'read the error; if it is access denied, the caller lacks a drill permission (use the restore-drill role); run again' },
  { id: 'DRILL-ABORTED', title: 'Restore drill was not interrupted', controls: ['NIST-CP-4'], remedy: 'run the drill again and let it finish' },
  { id: 'DATA-COUNT', title: 'Restored item counts agree', controls: DATA, remedy: 'compare the paths\' item counts: a restore missing items is not a recovery; add the pitr path to prove counts independently; an empty table needs data or drill.allowEmptyTable' },
  { id: 'DATA-SAMPLE', title: 'Randomly sampled items equal by key', controls: DATA, remedy: 'the differing keys are in the evidence: read them in both tables; an empty table needs data or drill.allowEmptyTable' },
  { id: 'DATA-DIGEST', title: 'Full digests of the restore paths agree', controls: DATA, remedy: 'the differing keys are in the evidence; a path that disagrees with the backup restore is a broken recovery path; an empty table needs data or drill.allowEmptyTable' },
  { id: 'DATA-AT-RISK', title: 'Data at risk since the recovery point measured', controls: ['SOC2-A1.2', 'NIST-CP-9'], remedy: 'back up more often (a lower RPO) if this much change is more than the business accepts' },
  { id: 'LIVE-CHECKS', title: 'Live checks ran to completion', controls: [], remedy: 'read the error (a bug or an unexpected API answer), then run again; report it if it persists' },
  { id: 'COMPLIANCE', title: 'Compliance pack evaluated', controls: [], remedy: 'read the error, then run again; report it if it persists' },
  { id: 'TS-BAK-*', title: 'Compliance: AWS Backup rule', controls: BACKUP, remedy: 'the rule\'s own remedy is in the message' },
  { id: 'TS-PLAN-*', title: 'Compliance: backup plan rule', controls: BACKUP, remedy: 'the rule\'s own remedy is in the message' },
  { id: 'TS-DDB-*', title: 'Compliance: DynamoDB rule', controls: ['NIST-CP-9'], remedy: 'the rule\'s own remedy is in the message' },
];

function entryFor(id: string): CatalogEntry | undefined {
  return CHECK_CATALOG.find((e) => e.id === id) ?? CHECK_CATALOG.find((e) => e.id.endsWith('*') && id.startsWith(e.id.slice(0, -1)));
}

/** The controls a check evidences (none for configuration checks outside backup and recovery). */
export function controlsFor(id: string): readonly ControlId[] {
  return entryFor(id)?.controls ?? [];
}

/**
 * The check's title as it never changes between runs: the catalog's, else the compliance rule's
 * (`TS-BAK-001:orders` is the rule id plus resource name; its title is the rule's), else the id.
 */
export function fixedTitle(c: Pick<CheckResult, 'id' | 'title' | 'category'>): string {
  const exact = CHECK_CATALOG.find((e) => e.id === c.id);
  if (exact) return exact.title;
  if (c.category === 'compliance') return c.title;
  return entryFor(c.id)?.title ?? c.id;
}

/** What to do about a failing or inconclusive check; every check has one. */
export function remedyFor(c: Pick<CheckResult, 'id' | 'category'>): string {
  const e = entryFor(c.id);
  if (e) return e.remedy;
  if (c.category === 'compliance') return 'the rule\'s own remedy is in the message; fix the resource (usually by applying the stack again) and verify again';
  return 'apply the stack again so the live resource matches the contract (`cdktf deploy`), then verify again';
}

export interface ControlEvidence {
  readonly control: ControlId;
  readonly framework: Control['framework'];
  readonly ref: string;
  readonly name: string;
  /**
   * evidenced: at least one mapped check passed and none failed; failed: a mapped check failed or
   * was inconclusive; not-tested: every mapped check was skipped or none ran.
   */
  readonly status: 'evidenced' | 'failed' | 'not-tested';
  /** Ids of the checks that evidence it in this run. */
  readonly checks: readonly string[];
}

/** Every control with the checks of a run that evidence it, and what they say. */
export function controlsEvidenced(checks: readonly Pick<CheckResult, 'id' | 'status'>[]): ControlEvidence[] {
  return CONTROLS.map((c) => {
    const mapped = checks.filter((x) => controlsFor(x.id).includes(c.id));
    const has = (s: CheckStatus) => mapped.some((x) => x.status === s);
    const status = has('fail') || has('inconclusive') ? 'failed' : has('pass') ? 'evidenced' : 'not-tested';
    return { control: c.id, framework: c.framework, ref: c.ref, name: c.name, status, checks: mapped.map((x) => x.id) };
  });
}
