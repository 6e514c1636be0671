export { applyCompliance, checkStackCompliance, complianceError, complianceRequirements, ComplianceAspect } from './compliance';
export type { ComplianceOptions } from './compliance';
export type { Suppression } from '../../compliance/rules/suppressions';
export type { ComplianceReport } from '../../compliance/rules/evaluate';
