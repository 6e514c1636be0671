/**
 * `tablesafe/compliance`: the rule set as a library, without cdktf and without the AWS SDK —
 * facts from synthesized Terraform JSON, the rules, the packs, suppressions, evaluation and the
 * renderings `tablesafe check` prints. The synth-time Aspect lives with the constructs
 * (`tablesafe` / `tablesafe/modules`: `applyCompliance`, `ComplianceAspect`).
 */
export * from './rules';
export { evaluatePack, describeViolation, type ComplianceReport, type PackFinding } from './rules/evaluate';
export { PACKS, DEFAULT_PACK, packNames, getPack, rulesOf, type Pack, type PackEntry } from './rules/packs';
export { validateSuppressions, assertValidSuppressions, suppressionMatches, MIN_REASON_LENGTH, type Suppression } from './rules/suppressions';
export { renderTable, renderMarkdown, renderJunit, summaryLine, statusOf } from './rules/render';
export { factsFromTerraform, isTerraformJson, type FromTerraformOptions } from './facts/from-terraform';
export { requirementsFromContract } from './facts/requirements';
export * from './facts/types';

// The library form of `tablesafe check`.
export { loadCheckInput, loadSuppressions, renderCheckReport, runCheck, CHECK_FORMATS } from './check';
export type { CheckFormat, CheckInput, CheckOptions, CheckReport } from './check';
