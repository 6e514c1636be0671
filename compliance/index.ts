/** The compliance library API: `runCheck` over Terraform JSON, `loadCheckInput` to read it from disk. */
export { loadCheckInput, loadSuppressions, renderCheckReport, runCheck, CHECK_FORMATS } from './check';
export type { CheckFormat, CheckInput, CheckOptions, CheckReport } from './check';
export type { ComplianceReport, PackFinding } from './rules/evaluate';
export type { Requirements } from './facts/types';
export type { Suppression } from './rules/suppressions';
