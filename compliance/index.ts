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
