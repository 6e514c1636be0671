/**
 * `tablesafe/verify`: the post-apply side as a library — live checks against a contract, the
 * restore drill, the janitor, the report and its writers, and the inputs and clients they take.
 * Loads the AWS SDK v3 (the constructs entry point `tablesafe` does not).
 */
export { runVerify, validateVerifyOptions, type RunVerifyInput, type VerifyOptions } from './run';
export { runLiveChecks, contractChecks, complianceChecks } from './checks';
export type { CheckResult, CheckStatus, CheckCategory, Measurement } from './checks/check';
export { runDrill, type DrillOptions, type DrillMetrics, type DrillResult, type DrillPathMetrics, type PathAgreement, type DataAtRisk, type Sampling, type SampledKey } from './drill/drill';
export { scanDigest, diffTables, type TableDigest, type TableDiff, type KeyDifference } from './drill/digest';
export { runJanitor, formatJanitorResult, type JanitorResult } from './drill/janitor';
export { parseDuration } from '../core/args';
export { newRunId, scratchTableName } from './drill/scratch';
export {
  buildReport,
  countChecks,
  reportProblems,
  summaryLine,
  REPORT_SCHEMA_VERSION,
  type Figures,
  type Report,
  type ReportCheck,
  type ReportParts,
  type ScopeTable,
  type Summary,
  type Verdict,
} from './report/report';
export { writeReport, renderJunit, renderMarkdown, renderHtml, failingChecks, checksFailuresFirst, provenanceRows, REPORT_FILES } from './report/writers';
export { CHECK_CATALOG, CONTROLS, controlsEvidenced, controlsFor, fixedTitle, remedyFor, type CatalogEntry, type Control, type ControlEvidence, type ControlId } from './report/controls';
export { ciContext, isLocalEndpoint, LOCAL_SANDBOX_NOTICE, sha256, type CiContext, type Provenance } from './report/provenance';
export { loadInputs, parseOutputs, outputsFromValues, readContract, type LoadOptions, type StackOutputs, type VerifyInputs } from '../core/outputs';
export { createClients, whoAmI, type AwsClients, type ClientOptions } from '../core/aws/clients';
export { parseContract, CONTRACT_FILE_NAME, DRILL_PATHS, drillPathsOf, type Contract, type DrillPath } from '../core/contract';
export { TablesafeError, isTablesafeError } from '../core/errors';
export { waitForBackupJob, waitForCopyJob, waitForRestorableTime, waitForRestoreJob, waitForTableActive, waitForTableDeleted, type WaiterOptions } from '../core/waiters';
export { sealPack, evidencePlan, evidenceLine, type EvidenceOptions, type SealInput, type SealResult } from './evidence/seal';
export { verifyPack, formatPackVerification, type PackVerification, type PackCheckLine } from './evidence/check';
export { buildManifest, parseManifest, MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, type Manifest } from './evidence/manifest';
export { buildHistory, findPackDirs, renderHistoryMarkdown, renderHistoryHtml, type History, type HistoryRun } from './evidence/history';
export { uploadPack, downloadPacks, listBucketRuns } from './evidence/store';
export { controlsForCheck, HISTORY_CONTROLS, type ControlRef } from './evidence/controls';
