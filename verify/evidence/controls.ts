/**
 * The controls the history report counts, by the label auditors read ("SOC 2 A1.3", "NIST SP
 * 800-53 CP-4"). The mapping itself is the report's (verify/report/controls.ts): a check evidences
 * in the history exactly the controls it evidences in its own report.
 */
import { CONTROLS as REPORT_CONTROLS, controlsFor, type Control, type ControlId } from '../report/controls';

export interface ControlRef {
  /** `SOC 2 A1.2`, `ISO/IEC 27001:2022 A.8.13`, `NIST SP 800-53 CP-9`. */
  readonly id: string;
  readonly title: string;
}

/** "NIST SP 800-53 Rev. 5" is cited as "NIST SP 800-53" with the control: `NIST SP 800-53 CP-4`. */
const labelOf = (c: Control): string => `${c.framework.replace(/ Rev\. \d+$/, '')} ${c.ref}`;
const LABELS: ReadonlyMap<ControlId, string> = new Map(REPORT_CONTROLS.map((c) => [c.id, labelOf(c)]));

/** Every control the report maps, keyed by its label, in the report's order. */
export const HISTORY_CONTROLS: Readonly<Record<string, ControlRef>> = Object.fromEntries(REPORT_CONTROLS.map((c) => [labelOf(c), { id: labelOf(c), title: c.name }]));

/** Control labels a check evidences; [] for checks that evidence none of the mapped controls. */
export function controlsForCheck(checkId: string): readonly string[] {
  return controlsFor(checkId).map((id) => LABELS.get(id) ?? id);
}
