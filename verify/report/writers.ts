/** Renders a Report as junit.xml, report.md and a self-contained report.html, and writes SHA256SUMS. */
import { createHash } from 'node:crypto';
import { existsSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { escapeXml, renderJunit as renderJunitDocument } from '../../core/junit';
import { describeFsError, ensureWritableDir } from '../../core/dirs';
import { TablesafeError } from '../../core/errors';
import type { CheckResult } from '../checks/check';
import type { DrillPathMetrics } from '../drill/drill';
import { dataAtRiskLine } from '../drill/validate';
import { Report, summaryLine } from './report';

export const escapeHtml = (s: string): string => escapeXml(s).replace(/&apos;/g, '&#39;');

/**
 * junit.xml: one test case per check, classed by category. A passing drill or data check carries
 * its message (each path's restore and timings, the digest agreement, the data at risk) as
 * system-out, so a CI view shows what was measured.
 */
export function renderJunit(r: Report): string {
  return renderJunitDocument({
    name: `tablesafe ${r.command}`,
    suites: [
      {
        name: `${r.stack} ${r.runId}`,
        timestamp: r.startedAt,
        cases: r.checks.map((c) => ({
          classname: `tablesafe.${c.category}`,
          name: `${c.id} ${c.title}`,
          failure: c.status === 'fail' ? { message: c.message, type: c.id, text: [c.message, ...c.evidence].join('\n') } : undefined,
          skipped: c.status === 'skip' ? { message: c.message } : undefined,
          systemOut: c.status === 'pass' && (c.category === 'drill' || c.category === 'data') ? [c.message, ...c.evidence].join('\n') : undefined,
        })),
      },
    ],
  });
}

const ICON = { pass: '✅', fail: '❌', skip: '⏭️' } as const;
const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');

function drillRows(r: Report): [string, string][] {
  const d = r.drill;
  if (!d) return [];
  const paths = d.paths ?? [];
  return [
    ['Recovery point', `${d.recoveryPointArn ?? '(none)'}${d.recoveryPointCreatedAt ? ` (created ${d.recoveryPointCreatedAt})` : ''}`],
    ['RPO measured / target', `${d.rpoMeasuredMinutes ?? '—'} min / ${d.rpoTargetMinutes} min`],
    ['Restore paths', paths.length ? paths.map((p) => `${p.path} ${p.status}`).join(', ') : 'backup'],
    ['Restore job', d.restoreJobId ?? '(not started)'],
    ['RTO measured / target', `${d.rtoMeasuredSeconds ?? '—'} s / ${d.rtoTargetMinutes} min`],
    ['Items source / restored', `${d.sourceItems ?? '—'} / ${d.restoredItems ?? '—'}`],
    ['Items validated', `${d.itemsValidated}${d.itemsPerSecond ? ` (${d.itemsPerSecond} items/s)` : ''}`],
    ['Mismatches between paths', String(d.mismatches)],
    ['Data at risk', d.dataAtRisk ? `${dataAtRiskLine(d.dataAtRisk)}; source ${d.dataAtRisk.sourceItems} item(s) at ${d.dataAtRisk.measuredAt}` : 'not measured'],
    ['Scratch table', `${d.scratchTable} (${!d.restoreJobId ? 'never created: no restore started' : d.cleanedUp ? 'deleted' : 'LEFT BEHIND — run tablesafe janitor'})`],
  ];
}

const PATH_HEADERS = ['Path', 'Region', 'Restore', 'Requested → ACTIVE', 'RTO / target', 'Items', 'Agrees with the backup restore', 'Scratch table'] as const;

/** One row per restore path: what it restored from, when, how long, and whether it agrees. */
function pathRows(r: Report): string[][] {
  const d = r.drill;
  if (!d?.paths?.length) return [];
  return d.paths.map((p: DrillPathMetrics) => {
    const restore =
      p.path === 'pitr'
        ? `RestoreTableToPointInTime to ${p.restoreDateTime ?? '—'}${p.waitedSeconds ? ` (waited ${p.waitedSeconds} s for the window)` : ''}`
        : `restore job ${p.restoreJobId ?? '(not started)'} of ${p.recoveryPointArn ?? '—'}${p.copyJobId ? ` (copy job ${p.copyJobId}${p.waitedSeconds ? `, waited ${p.waitedSeconds} s` : ''})` : ''}`;
    const g = p.agreement;
    const agrees = p.path === 'backup'
      ? '(reference)'
      : !g
        ? '—'
        : g.equal
          ? `yes: ${g.by} equal`
          : `no: ${g.missing + g.extra + g.changed} key(s) differ (${g.missing} missing, ${g.extra} extra, ${g.changed} changed)${g.keys.length ? `: ${g.keys.map((k) => `${k.key} ${k.kind}${k.attributes?.length ? ` (${k.attributes.join(', ')})` : ''}`).join('; ')}` : ''}`;
    const rtoOk = p.rtoMeasuredSeconds !== undefined && p.rtoMeasuredSeconds <= p.rtoTargetMinutes * 60;
    return [
      `${p.path} (${p.status})`,
      p.region,
      restore,
      `${p.restoreRequestedAt ?? '—'} → ${p.restoredAt ?? '—'}`,
      `${p.rtoMeasuredSeconds ?? '—'} s / ${p.rtoTargetMinutes} min${p.rtoMeasuredSeconds === undefined ? '' : rtoOk ? ' ✅' : ' ❌'}`,
      p.items === undefined ? '—' : String(p.items),
      agrees,
      `${p.scratchTable} (${p.status === 'not-run' ? 'never created' : p.cleanedUp ? 'deleted' : 'LEFT BEHIND — run tablesafe janitor'})`,
    ];
  });
}

export function renderMarkdown(r: Report): string {
  const lines = [
    `## tablesafe ${r.command}: ${r.verdict === 'PASSED' ? '✅ PASSED' : '❌ FAILED'} — \`${mdCell(r.stack)}\``,
    '',
    summaryLine(r),
    '',
    `Run \`${r.runId}\` · ${r.region} · ${r.startedAt} → ${r.finishedAt}`,
    '',
  ];
  const ran = [r.identities?.liveChecks && `live checks as \`${mdCell(r.identities.liveChecks)}\``, r.identities?.drill && `drill as \`${mdCell(r.identities.drill)}\``].filter(Boolean);
  if (ran.length) lines.push(`Identities: ${ran.join(' · ')}`, '');
  const drill = drillRows(r);
  if (drill.length) lines.push('| Drill | |', '|---|---|', ...drill.map(([k, v]) => `| ${k} | ${mdCell(v)} |`), '');
  const paths = pathRows(r);
  if (paths.length) lines.push(`| ${PATH_HEADERS.join(' | ')} |`, `|${PATH_HEADERS.map(() => '---').join('|')}|`, ...paths.map((row) => `| ${row.map(mdCell).join(' | ')} |`), '');
  const failed = r.checks.filter((c) => c.status === 'fail');
  if (failed.length) lines.push('### Failed checks', '', ...failed.map((c) => `- **${mdCell(c.id)}** ${mdCell(c.title)}: ${mdCell(c.message)}`), '');
  lines.push('<details><summary>All checks</summary>', '', '| | Check | Result |', '|---|---|---|', ...r.checks.map((c) => `| ${ICON[c.status]} | ${mdCell(c.id)} ${mdCell(c.title)} | ${mdCell(c.message)} |`), '', '</details>', '');
  return lines.join('\n');
}

export function renderHtml(r: Report): string {
  const e = escapeHtml;
  const row = (c: CheckResult) =>
    `<tr class="check ${c.status}" data-check-id="${e(c.id)}"><td class="status">${c.status.toUpperCase()}</td><td><code>${e(c.id)}</code><br>${e(c.title)}</td><td>${e(c.message)}${
      c.evidence.length ? `<ul class="evidence">${c.evidence.map((x) => `<li>${e(x)}</li>`).join('')}</ul>` : ''
    }</td></tr>`;
  const drill = drillRows(r);
  const paths = pathRows(r);
  const pathTable = paths.length
    ? `<h3>Restore paths</h3><table id="paths"><thead><tr>${PATH_HEADERS.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${paths.map((row, i) => `<tr data-path="${e(r.drill!.paths[i].path)}">${row.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tablesafe ${e(r.command)} ${e(r.stack)} — ${r.verdict}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem;margin:0 0 .25rem}.verdict{display:inline-block;padding:.3rem .8rem;border-radius:.4rem;font-weight:700;font-size:1.2rem;color:#fff}
.verdict.PASSED{background:#1a7f37}.verdict.FAILED{background:#cf222e}.meta{color:#57606a}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.fail td.status{color:#cf222e;font-weight:700}tr.pass td.status{color:#1a7f37}tr.skip td.status{color:#9a6700}
ul.evidence{margin:.3rem 0 0;padding-left:1.2rem;color:#57606a;font-size:.85rem;word-break:break-all}code{font-size:.85rem}
@media print{body{margin:0}}
</style></head>
<body>
<h1>tablesafe ${e(r.command)} — stack <code>${e(r.stack)}</code></h1>
<p><span class="verdict ${r.verdict}" id="verdict">${r.verdict}</span></p>
<p id="summary">${e(summaryLine(r))}</p>
<p class="meta">Run ${e(r.runId)} · environment ${e(r.environment)} · region ${e(r.region)} · ${e(r.startedAt)} → ${e(r.finishedAt)}<br>
Contract ${e(r.inputs.contract)} · outputs ${e(r.inputs.outputs)}${r.inputs.caller ? ` · caller ${e(r.inputs.caller)}` : ''}</p>
${drill.length ? `<h2>Restore drill</h2><table id="drill"><tbody>${drill.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</tbody></table>${pathTable}` : '<h2>Restore drill</h2><p>Skipped.</p>'}
<h2>Checks (${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped)</h2>
<table id="checks"><thead><tr><th>Status</th><th>Check</th><th>Result and evidence</th></tr></thead><tbody>
${r.checks.map(row).join('\n')}
</tbody></table>
<p class="meta">report.json (schema version ${r.schemaVersion}), junit.xml and report.md sit beside this file; SHA256SUMS covers all of them.</p>
</body></html>
`;
}

export const REPORT_FILES = ['report.json', 'junit.xml', 'report.md', 'report.html'] as const;

/**
 * Writes the four renderings and SHA256SUMS (`sha256sum -c` format) into `dir`; returns the file paths.
 * A directory that cannot be made or written fails at once with a TablesafeError (`TS_E_OUT_DIR`)
 * naming the path, the cause and what to do; a write that fails midway removes what this call
 * wrote, so no partial report is left behind.
 *
 * @param option how the user named the directory, for the message. @default '--out'
 */
export function writeReport(r: Report, dir: string, option = '--out'): string[] {
  const existed = existsSync(dir);
  ensureWritableDir(dir, option, { code: 'TS_E_OUT_DIR' });
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': `${JSON.stringify(r, null, 2)}\n`,
    'junit.xml': renderJunit(r),
    'report.md': renderMarkdown(r),
    'report.html': renderHtml(r),
  };
  const sums = REPORT_FILES.map((name) => `${createHash('sha256').update(contents[name]).digest('hex')}  ${name}`);
  const files: [string, string][] = [...REPORT_FILES.map((n): [string, string] => [n, contents[n]]), ['SHA256SUMS', `${sums.join('\n')}\n`]];
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    try {
      writeFileSync(file, text);
      written.push(file);
    } catch (e) {
      for (const w of written) rmSync(w, { force: true });
      if (!existed) {
        try {
          rmdirSync(dir);
        } catch {
          // not empty: someone else's files
        }
      }
      throw new TablesafeError('TS_E_OUT_DIR', `${option} ${dir}: ${describeFsError(file, e, 'cannot write')}`, 'free some space or pass another directory, then run again', { cause: e });
    }
  }
  return written;
}
