export { applyCompliance, checkStackCompliance, complianceError, ComplianceAspect } from './compliance';
export type { ComplianceOptions } from './compliance';
export type { Suppression } from '../../verify/rules/suppressions';
export type { ComplianceReport } from '../../verify/rules/evaluate';
