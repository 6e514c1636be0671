/**
 * Which controls a check evidences. The history report's "controls evidenced" section asks only
 * `controlsForCheck`; when verify/report/ exports its control-mapping table, this is the one
 * function to point at it.
 *
 * - recovery points exist, are protected and fresh (BACKUP-*, TABLE-PITR): SOC 2 A1.2,
 *   ISO/IEC 27001:2022 A.8.13 (information backup), NIST SP 800-53 CP-9 (system backup);
 * - a restore was tested and its data validated (DRILL-*, DATA-*): SOC 2 A1.3 (recovery plan
 *   testing) and CC7.5 (recovery from incidents), ISO/IEC 27001:2022 A.8.13, NIST SP 800-53 CP-4
 *   (contingency plan testing) and CP-10 (system recovery and reconstitution).
 */
export interface ControlRef {
  /** `SOC 2 A1.2`, `ISO/IEC 27001:2022 A.8.13`, `NIST SP 800-53 CP-9`. */
  readonly id: string;
  readonly title: string;
}

export const CONTROLS: Readonly<Record<string, ControlRef>> = {
  'SOC 2 A1.2': { id: 'SOC 2 A1.2', title: 'Backup and recovery infrastructure is in place' },
  'SOC 2 A1.3': { id: 'SOC 2 A1.3', title: 'Recovery plan procedures are tested' },
  'SOC 2 CC7.5': { id: 'SOC 2 CC7.5', title: 'Recovery from identified incidents' },
  'ISO/IEC 27001:2022 A.8.13': { id: 'ISO/IEC 27001:2022 A.8.13', title: 'Information backup (copies kept and restores tested)' },
  'NIST SP 800-53 CP-4': { id: 'NIST SP 800-53 CP-4', title: 'Contingency plan testing' },
  'NIST SP 800-53 CP-9': { id: 'NIST SP 800-53 CP-9', title: 'System backup' },
  'NIST SP 800-53 CP-10': { id: 'NIST SP 800-53 CP-10', title: 'System recovery and reconstitution' },
};

const BACKUP_CONTROLS = ['SOC 2 A1.2', 'ISO/IEC 27001:2022 A.8.13', 'NIST SP 800-53 CP-9'];
const RESTORE_CONTROLS = ['SOC 2 A1.3', 'SOC 2 CC7.5', 'ISO/IEC 27001:2022 A.8.13', 'NIST SP 800-53 CP-4', 'NIST SP 800-53 CP-10'];

/** Control ids a check evidences; [] for checks that evidence none of the mapped controls. */
export function controlsForCheck(checkId: string): readonly string[] {
  if (checkId.startsWith('BACKUP-') || checkId === 'TABLE-PITR') return BACKUP_CONTROLS;
  if (checkId.startsWith('DRILL-') || checkId.startsWith('DATA-')) return RESTORE_CONTROLS;
  return [];
}
