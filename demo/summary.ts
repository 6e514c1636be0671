/** The demo's closing words: verdict, RTO/RPO measured, item counts, where the HTML report is. */
import * as path from 'node:path';
import type { KeepInfo, MainJobResult, PhaseName } from './main-job';
import { formatDuration } from './progress';
import { formatWriterStats } from './writer';

export function formatSummary(r: MainJobResult): string {
  const lines: string[] = [''];
  const v = r.verify;
  lines.push(`tablesafe demo (${r.scenario}) ${r.verdict}${r.error ? ` — ${r.error}` : ''}`);
  if (v?.verdict) {
    lines.push(`  verify     ${v.verdict}: ${v.passed} passed, ${v.failed} failed`);
    for (const c of v.failedChecks ?? []) lines.push(`             FAIL ${c}`);
  }
  if (v?.rtoSeconds !== undefined || v?.rpoMinutes !== undefined) {
    const paths = v.paths && v.paths.length > 1 ? ` (${v.paths.map((p) => `${p.path} ${p.rtoSeconds ?? '?'} s`).join(', ')})` : '';
    lines.push(`  RTO        ${v.rtoSeconds ?? '?'} s measured${paths} (target ${v.rtoTargetMinutes} min)`);
    lines.push(`  RPO        ${v.rpoMinutes ?? '?'} min measured (target ${v.rpoTargetMinutes} min)`);
  }
  const restored = v?.restoredItems !== undefined ? `, ${v.restoredItems} restored by the drill, ${v.itemsValidated ?? 0} validated` : '';
  lines.push(`  items      ${r.itemsWritten} written${v?.sourceItems !== undefined ? `, ${v.sourceItems} in the source at verify` : ''}${restored}`);
  if (v?.paths && v.paths.length > 1) {
    lines.push(`  paths      ${v.paths.map((p) => `${p.path} ${p.path === 'backup' ? p.status : p.agrees ? 'agrees exactly' : p.status === 'passed' ? 'agrees within tolerance' : 'DIFFERS'}`).join(', ')}`);
  }
  if (r.writer) lines.push(`  writer     ${formatWriterStats(r.writer)} from before the backup until after the drill`);
  if (v?.dataAtRisk) {
    const d = v.dataAtRisk;
    lines.push(`  at risk    ${d.total === 0 ? 'no item changed since the recovery point' : `${d.total} item${d.total === 1 ? '' : 's'} changed since the recovery point (${d.added} added, ${d.changed} changed, ${d.removed} removed)`}`);
  }
  if (r.disaster) {
    const d = r.disaster;
    lines.push(`  disaster   table deleted and recovered under its own name in ${d.outageSeconds ?? '?'} s (restore ${d.restoreSeconds ?? '?'} s)`);
    if (d.validation) lines.push(`             ${d.validation.matching}/${d.validation.expected} items identical attribute by attribute (${d.validation.found} in the table${d.validation.others ? `, ${d.validation.others} of them the live writer's` : ''})`);
    lines.push(`             re-applied: ${d.reapplied.length ? d.reapplied.join(', ') : 'nothing'}; terraform plan -detailed-exitcode: ${d.planExitCode ?? '?'} ${d.planExitCode === 0 ? '(clean)' : '(NOT clean)'}`);
  }
  if (r.drillTablesLeft !== undefined) lines.push(`  scratch    ${r.drillTablesLeft.length === 0 ? 'no tablesafe-drill-* table left' : `left behind: ${r.drillTablesLeft.join(', ')}`}`);
  lines.push(`  phases     ${r.phases.map((p) => `${p.name} ${formatDuration(p.ms)}${p.ok ? '' : ' ✖'}`).join(' · ')}`);
  if (v?.reportDir) lines.push(`  report     ${path.join(v.reportDir, 'report.html')}`);
  if (v?.evidence) {
    const e = v.evidence;
    const stored = e.uploadedTo ? `, uploaded to ${e.uploadedTo} (Object Lock until ${e.lockedUntil})` : ', not uploaded (no evidence bucket)';
    lines.push(`  evidence   ${e.signed ? 'manifest signed with the stack\'s KMS key' : 'manifest NOT signed (no signing key)'}${stored}; ${e.valid ? 'verified (KMS and offline, every file hash, chain)' : `FAILS verification: ${e.problems.join('; ')}`}`);
    lines.push(`             check it: ${e.verifyCommand}`);
    lines.push(`  ${formatHistoryLine(e.history)}`);
  }
  lines.push(r.leftState.length === 0 ? '  state      nothing left running (sandbox stopped, stack destroyed)' : '  state      still left:');
  for (const s of r.leftState) lines.push(`             - ${s}`);
  return lines.join('\n');
}

/** `history    3 run(s) on this state dir: 11-27 17:01 PASSED 4 s · 11-27 17:10 FAILED 5 s · this run PASSED 3 s` (the last 5). */
export function formatHistoryLine(history: NonNullable<NonNullable<MainJobResult['verify']>['evidence']>['history']): string {
  const shown = history.slice(-5);
  const cell = (r: (typeof history)[number], i: number) => {
    const when = i === shown.length - 1 ? 'this run' : r.startedAt.slice(5, 16).replace('T', ' ');
    return `${when} ${r.verdict}${r.rtoSeconds !== undefined ? ` ${r.rtoSeconds} s` : ''}${r.signature === 'INVALID' ? ' (pack INVALID)' : ''}`;
  };
  const earlier = history.length - shown.length;
  return `history    ${history.length} run(s) on this state dir${earlier ? ` (${earlier} older not shown)` : ''}: ${shown.map(cell).join(' · ')}`;
}

/** The machine-readable summary (`--json`). */
export function summaryJson(r: MainJobResult): Record<string, unknown> {
  const phases = Object.fromEntries(r.phases.map((p) => [p.name, { ms: p.ms, ok: p.ok }])) as Partial<Record<PhaseName, { ms: number; ok: boolean }>>;
  return {
    runId: r.runId,
    scenario: r.scenario,
    verdict: r.verdict,
    exitCode: r.exitCode,
    error: r.error,
    phases,
    items: { written: r.itemsWritten, source: r.verify?.sourceItems, restored: r.verify?.restoredItems, validated: r.verify?.itemsValidated },
    rto: { measuredSeconds: r.verify?.rtoSeconds, targetMinutes: r.verify?.rtoTargetMinutes },
    rpo: { measuredMinutes: r.verify?.rpoMinutes, targetMinutes: r.verify?.rpoTargetMinutes },
    restoreWaitSeconds: r.verify?.restoreWaitSeconds,
    paths: r.verify?.paths,
    dataAtRisk: r.verify?.dataAtRisk,
    writer: r.writer,
    backup: r.backup,
    verify: r.verify,
    disaster: r.disaster,
    reportDir: r.verify?.reportDir,
    reportHtml: r.verify?.reportDir ? path.join(r.verify.reportDir, 'report.html') : undefined,
    evidence: r.verify?.evidence,
    drillTablesLeft: r.drillTablesLeft,
    leftState: r.leftState,
  };
}

/** How to explore a `--keep` run with the AWS CLI (seed 001's commands plus `--endpoint-url`). */
export function formatKeepHelp(k: KeepInfo): string {
  const exports = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
    .filter((name) => k.env[name] !== undefined)
    .map((name) => `  export ${name}=${k.env[name]}`);
  return [
    '',
    `The sandbox and the applied demo stack stay up on ${k.endpoint} until you press Ctrl-C.`,
    'Point the AWS CLI at it (the sandbox accepts these test credentials only locally):',
    ...exports,
    '',
    `  aws --endpoint-url ${k.endpoint} dynamodb scan --table-name ${k.tableName}`,
    `  aws --endpoint-url ${k.endpoint} dynamodb get-item --table-name ${k.tableName} --key '{"ID": {"S": "1"}}'`,
    `  aws --endpoint-url ${k.endpoint} backup list-recovery-points-by-backup-vault --backup-vault-name ${k.vaultName}`,
    '',
    'Or run tablesafe against it:',
    `  npx tablesafe verify --contract ${k.contractFile} --outputs ${k.outputsFile} --endpoint ${k.endpoint}`,
    `  (cd ${k.stackDir} && terraform plan)   # with the exports above`,
    '',
  ].join('\n');
}
