/**
 * `tablesafe/compliance`: the rule set as a library, without cdktf and without the AWS SDK —
 * facts from Terraform JSON configurations and plans, the rules, the packs, suppressions,
 * evaluation (with its unknown policy) and the renderings `tablesafe check` prints. The synth-time Aspect lives with the constructs
 * (`tablesafe` / `tablesafe/modules`: `applyCompliance`, `ComplianceAspect`).
 */
export * from './rules';
export { evaluatePack, describeViolation, UNKNOWN_POLICIES, type ComplianceReport, type PackFinding, type UnknownPolicy, type EvaluateOptions } from './rules/evaluate';
export { PACKS, DEFAULT_PACK, packNames, getPack, rulesOf, type Pack, type PackEntry } from './rules/packs';
export { validateSuppressions, assertValidSuppressions, suppressionMatches, MIN_REASON_LENGTH, type Suppression } from './rules/suppressions';
export { renderTable, renderMarkdown, renderJunit, renderSarif, summaryLine, statusOf, unknownPolicyLine, type SarifOptions } from './rules/render';
export { factsFromTerraform, isTerraformJson, isTerraformPlanJson, type FromTerraformOptions } from './facts/from-terraform';
export { requirementsFromContract } from './facts/requirements';
export * from './facts/types';

// The library form of `tablesafe check`.
export { loadCheckInput, loadSuppressions, renderCheckReport, runCheck, CHECK_FORMATS } from './check';
export type { CheckFormat, CheckInput, CheckOptions, CheckReport } from './check';

// The capability matrix (TS-IAM-005): the IAM policy simulator is loaded only when installed.
export { loadIamSimulator, iamSimulatorAvailable, IAM_SIMULATOR_MISSING, IAM_SIMULATION_FAILED, IAM_SIMULATOR_INSTALL } from './iam/simulator';
export type { IamSimulator, SimulationRequest, SimulationResult, Decision, NamedPolicy, IamPolicyDocument, IamPolicyStatement } from './iam/simulator';
export { capabilityMatrixOf, evaluateCapabilityMatrix, enumerateRole, IAM_MATRIX_SCHEMA, ENUMERATED_SERVICES } from './iam/matrix';
export type { CapabilityMatrix, RoleMatrix, MatrixRow, MatrixOptions, EnumeratedDecision } from './iam/matrix';
export { iamDocumentsFromTerraform } from './iam/documents';
export type { StackIamDocuments, ResolvedRole } from './iam/documents';
export { capabilityMatrixSync, withIamMatrix } from './iam/matrix-sync';
export { renderMatrixTable } from './iam/render';
