/** Renders a Report as junit.xml, report.md and a self-contained report.html, and writes SHA256SUMS. */
import { createHash } from 'node:crypto';
import { existsSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { escapeXml, renderJunit as renderJunitDocument } from '../../core/junit';
import { describeFsError, ensureWritableDir } from '../../core/dirs';
import { TablesafeError } from '../../core/errors';
import type { DrillPathMetrics } from '../drill/drill';
import { dataAtRiskLine } from '../drill/validate';
import { fixedTitle } from './controls';
import { ciLine, endpointLine, LOCAL_SANDBOX_NOTICE } from './provenance';
import { freshBackupLine, Report, ReportCheck, reportProblems, rpoLine, rtoLine, summaryLine } from './report';

export const escapeHtml = (s: string): string => escapeXml(s).replace(/&apos;/g, '&#39;');

/** Whether an inconclusive check fails this run (strict, and the contract does not allow an empty table). */
const inconclusiveFails = (r: Report): boolean => r.strict && r.drill?.emptyTableAllowed !== true;

/** The checks that make the run fail: failed ones, and inconclusive ones under strict. */
export function failingChecks(r: Report): ReportCheck[] {
  return r.checks.filter((c) => c.status === 'fail' || (c.status === 'inconclusive' && inconclusiveFails(r)));
}

const RANK = { fail: 0, inconclusive: 1, skip: 2, pass: 3 } as const;

/** Every check, failures first (then inconclusive, skipped, passed), run order kept within each. */
export function checksFailuresFirst(r: Report): ReportCheck[] {
  return r.checks.map((c, i) => ({ c, i })).sort((a, b) => RANK[a.c.status] - RANK[b.c.status] || a.i - b.i).map((x) => x.c);
}

/** Facts about the run every rendering carries, in order: [label, value]. */
export function provenanceRows(r: Report): [string, string][] {
  const p = r.provenance;
  return [
    ['Run id', r.runId],
    ['Verdict', r.verdictLabel],
    ['Endpoint', endpointLine(p)],
    ['Account', p.account],
    ['Caller', p.caller],
    ['Region(s)', p.regions.join(', ')],
    ['Tool', `tablesafe ${p.toolVersion}`],
    ['Contract', `${p.contract.source} (sha256 ${p.contract.sha256})`],
    ['Outputs', `${p.outputs.source} (sha256 ${p.outputs.sha256})`],
    ['CI', ciLine(p.ci)],
    ['Host', p.hostname],
    ['Started → finished', `${r.startedAt} → ${r.finishedAt}`],
    ['Strict', r.strict ? 'yes: an inconclusive check fails the run' : 'no'],
  ];
}

/**
 * junit.xml: one suite per run, one test case per check. Names are stable across runs: the suite
 * is `tablesafe <command> <stack>`, a case is the check id plus its fixed title, so a CI system
 * tracks the same tests every run. verify's own failures (a read denied, a deadline) are
 * `<error>`s; notes pass with their text as system-out; the run's provenance is `<properties>`.
 */
export function renderJunit(r: Report): string {
  const p = r.provenance;
  const seconds = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  const properties: [string, string][] = [
    ['run.id', r.runId],
    ['verdict', r.verdictLabel],
    ['restore.tested', String(r.restoreTested)],
    ['stack', r.stack],
    ['environment', r.environment],
    ['account', p.account],
    ['region', p.regions.join(',')],
    ['caller', p.caller],
    ['endpoint', p.endpoint],
    ['endpoint.local', p.localSandbox ? `true (${LOCAL_SANDBOX_NOTICE})` : 'false'],
    ['tool.version', p.toolVersion],
    ['contract.sha256', p.contract.sha256],
    ['outputs.sha256', p.outputs.sha256],
    ['recovery.point', r.figures.rpo.recoveryPointArn ?? r.drill?.recoveryPointArn ?? 'none'],
    ...(p.ci ? ([['ci.provider', p.ci.provider], ['ci.run.id', p.ci.runId ?? ''], ['ci.commit', p.ci.commit ?? '']] as [string, string][]) : []),
  ];
  return renderJunitDocument({
    name: `tablesafe ${r.command}`,
    suites: [
      {
        name: `tablesafe ${r.command} ${r.stack}`,
        timestamp: r.startedAt,
        time: Number.isFinite(seconds) && seconds > 0 ? seconds : 0,
        hostname: p.hostname,
        properties,
        cases: r.checks.map((c) => {
          const text = [c.message, ...c.evidence, ...(c.remedy ? [`remedy: ${c.remedy}`] : [])].join('\n');
          const failing = c.status === 'fail' || (c.status === 'inconclusive' && inconclusiveFails(r));
          return {
            classname: `tablesafe.${c.category}`,
            name: `${c.id} ${fixedTitle(c)}`,
            time: c.seconds,
            error: c.status === 'fail' && c.error ? { message: c.message, type: c.id, text } : undefined,
            failure: failing && !c.error ? { message: c.status === 'inconclusive' ? `inconclusive: ${c.message}` : c.message, type: c.status === 'inconclusive' ? 'inconclusive' : c.id, text } : undefined,
            skipped: c.status === 'skip' ? { message: c.message } : undefined,
            systemOut: c.status === 'pass' || (c.status === 'inconclusive' && !failing) ? [`${c.title}: ${c.message}`, ...c.evidence].join('\n') : undefined,
          };
        }),
      },
    ],
  });
}

const ICON = { pass: '✅', fail: '❌', skip: '⏭️', inconclusive: '❔' } as const;
const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');

function drillRows(r: Report): [string, string][] {
  const d = r.drill;
  if (!d) return [];
  const paths = d.paths ?? [];
  const f = r.figures;
  const fresh = freshBackupLine(f);
  const s = d.sampling;
  return [
    ['Recovery point restored', `${d.recoveryPointArn ?? '(none)'}${d.recoveryPointCreatedAt ? ` (created ${d.recoveryPointCreatedAt})` : ''}`],
    ['RPO (judged by ' + (f.rpo.judgedBy ?? 'no check') + ')', `${rpoLine(f)}${f.rpo.recoveryPointArn ? ` — ${f.rpo.recoveryPointArn}` : ''}${f.rpo.ageMinutes === undefined ? `: ${f.rpo.message}` : ''}`],
    ...(fresh ? ([['Fresh backup', `${fresh}; backup job ${f.freshBackup?.backupJobId ?? '—'}`]] as [string, string][]) : []),
    ['Restore paths', paths.length ? paths.map((p) => `${p.path} ${p.status}`).join(', ') : 'backup'],
    ['Restore job', d.restoreJobId ?? '(not started)'],
    ['RTO', rtoLine(f)],
    ['Items source / restored', `${d.sourceItems ?? '—'} / ${d.restoredItems ?? '—'}`],
    ['Items validated', `${d.itemsValidated}${d.itemsPerSecond ? ` (${d.itemsPerSecond} items/s)` : ''}${d.itemsValidated === 0 ? ' — nothing validated' : ''}`],
    ['Sampling', s ? `${s.method}, seed ${s.seed}, ${s.totalSegments} segment(s): ${s.sampled} of ${s.requested} asked for; keys ${s.keys.map((k) => k.key).join(', ') || '(none)'}${s.keysOmitted ? ` … ${s.keysOmitted} more` : ''}` : 'no sample drawn'],
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

const SCOPE_HEADERS = ['Table', 'Region', 'Restored', 'Data proven (count and digest or sample agree)', 'Items validated', 'Paths'] as const;
const scopeRows = (r: Report): string[][] =>
  r.scope.tables.map((t) => [t.table, t.region, t.restored ? 'yes' : 'no', t.validated ? 'yes' : 'no', String(t.itemsValidated), t.paths.join(', ') || 'none (drill skipped or stopped)']);

const CONTROL_HEADERS = ['Framework', 'Control', 'Status', 'Checks'] as const;
const CONTROL_STATUS = { evidenced: 'evidenced', failed: 'FAILED', 'not-tested': 'not tested' } as const;
const controlRows = (r: Report): string[][] => r.controls.map((c) => [c.framework, `${c.ref} ${c.name}`, CONTROL_STATUS[c.status], c.checks.join(', ') || '—']);

const scopeLine = (r: Report) => `${r.scope.tables.length} table(s) in scope, ${r.scope.tables.filter((t) => t.restored).length} restored, ${r.scope.tables.filter((t) => t.validated).length} with data proven`;

export function renderMarkdown(r: Report): string {
  const p = r.provenance;
  const failing = failingChecks(r);
  const table = (headers: readonly string[], rows: string[][]) => [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`), ''];
  const lines = [
    `## tablesafe ${r.command}: ${r.verdict === 'PASSED' ? '✅' : '❌'} ${r.verdictLabel} — \`${mdCell(r.stack)}\``,
    '',
    ...(p.localSandbox ? [`> **⚠️ ${LOCAL_SANDBOX_NOTICE}** — this run used ${mdCell(p.endpoint)} (account ${mdCell(p.account)}): it is not evidence about AWS.`, ''] : []),
    summaryLine(r),
    '',
    `Run \`${r.runId}\` · ${r.region} · ${r.startedAt} → ${r.finishedAt}`,
    '',
  ];
  const ran = [r.identities?.liveChecks && `live checks as \`${mdCell(r.identities.liveChecks)}\``, r.identities?.drill && `drill as \`${mdCell(r.identities.drill)}\``].filter(Boolean);
  if (ran.length) lines.push(`Identities: ${ran.join(' · ')}`, '');
  if (failing.length) {
    lines.push(`### Failed checks (${failing.length})`, '', ...failing.map((c) => `- **${mdCell(c.id)}** ${mdCell(fixedTitle(c))}${c.status === 'inconclusive' ? ' (inconclusive)' : c.error ? ' (error of verify itself)' : ''}: ${mdCell(c.message)}  \n  Remedy: ${mdCell(c.remedy ?? '')}`), '');
  }
  lines.push('### Scope', '', scopeLine(r), '', ...table(SCOPE_HEADERS, scopeRows(r)));
  lines.push('### Provenance', '', '| | |', '|---|---|', ...provenanceRows(r).map(([k, v]) => `| ${k} | ${mdCell(v)} |`), '');
  const drill = drillRows(r);
  if (drill.length) lines.push('### Restore drill', '', '| Drill | |', '|---|---|', ...drill.map(([k, v]) => `| ${k} | ${mdCell(v)} |`), '');
  else lines.push('### Restore drill', '', 'Skipped: no restore tested.', '');
  const paths = pathRows(r);
  if (paths.length) lines.push(...table(PATH_HEADERS, paths));
  lines.push('### Controls evidenced', '', ...table(CONTROL_HEADERS, controlRows(r)));
  lines.push(
    '<details><summary>All checks, failures first</summary>',
    '',
    '| | Check | Result |',
    '|---|---|---|',
    ...checksFailuresFirst(r).map((c) => `| ${ICON[c.status]} ${c.status} | ${mdCell(c.id)} ${mdCell(c.title)} | ${mdCell(c.message)} |`),
    '',
    '</details>',
    '',
  );
  return lines.join('\n');
}

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.6rem 0 .4rem}
.verdict{display:inline-block;padding:.3rem .8rem;border-radius:.4rem;font-weight:700;font-size:1.2rem;color:#fff}
.verdict.PASSED{background:#1a7f37}.verdict.FAILED{background:#cf222e}.meta{color:#57606a}
.sandbox{border:3px solid #9a6700;background:#fff8c5;color:#1b1f24;padding:.6rem .8rem;font-weight:700;font-size:1.1rem;border-radius:.4rem}
.failed-check{border:1px solid #cf222e;border-left:6px solid #cf222e;border-radius:.3rem;padding:.5rem .8rem;margin:.6rem 0;break-inside:avoid;page-break-inside:avoid}
.failed-check h3{margin:0 0 .3rem;font-size:1rem}.failed-check .remedy{margin:.3rem 0 0}
table{border-collapse:collapse;width:100%;margin:.6rem 0}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#f6f8fa}
tr{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
tr.fail td.status,tr.inconclusive td.status,.status-fail{color:#cf222e;font-weight:700}tr.pass td.status{color:#1a7f37}tr.skip td.status{color:#7d5700}
ul.evidence{margin:.3rem 0 0;padding-left:1.2rem;color:#57606a;font-size:.85rem;overflow-wrap:anywhere}
code{font-size:.85rem;overflow-wrap:anywhere}
.print-header{display:none}
@media (max-width:40rem){
  body{margin:.8rem auto;padding:0 .6rem}
  table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;width:100%}
  table.stack thead{display:none}
  table.stack tr{border:1px solid #d0d7de;margin:0 0 .6rem}
  table.stack td,table.stack th{border:0;border-top:1px solid #eaeef2}
  table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:700;color:#1b1f24}
}
@media print{
  body{margin:0;max-width:none;padding-top:2.2rem}
  .print-header{display:block;position:fixed;top:0;left:0;right:0;height:1.8rem;padding:.3rem 0;border-bottom:1px solid #1b1f24;background:#fff;font-size:.8rem;font-weight:700}
  details{display:block}
  a{color:#1b1f24}
}
@page{margin:1.5cm 1.2cm}
`;

export function renderHtml(r: Report): string {
  const e = escapeHtml;
  const p = r.provenance;
  const failing = failingChecks(r);
  const cells = (headers: readonly string[], row: string[]) => row.map((c, i) => `<td data-label="${e(headers[i])}">${e(c)}</td>`).join('');
  const stackTable = (id: string, headers: readonly string[], rows: string[][], attrs: (i: number) => string = () => '') =>
    `<table id="${id}" class="stack"><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row, i) => `<tr${attrs(i)}>${cells(headers, row)}</tr>`).join('')}</tbody></table>`;
  const checkRow = (c: ReportCheck) =>
    `<tr class="check ${c.status}" data-check-id="${e(c.id)}" data-status="${c.status}"><td class="status" data-label="Status">${c.status.toUpperCase()}</td><td data-label="Check"><code>${e(c.id)}</code><br>${e(c.title)}</td><td data-label="Result">${e(c.message)}${
      c.remedy ? `<br><strong>Remedy:</strong> ${e(c.remedy)}` : ''
    }${c.evidence.length ? `<ul class="evidence">${c.evidence.map((x) => `<li>${e(x)}</li>`).join('')}</ul>` : ''}</td></tr>`;
  const failedBlock = (c: ReportCheck) =>
    `<section class="failed-check" data-check-id="${e(c.id)}"><h3><span class="status-fail">${c.status === 'inconclusive' ? 'INCONCLUSIVE' : c.error ? 'ERROR' : 'FAIL'}</span> <code>${e(c.id)}</code> ${e(fixedTitle(c))}</h3><div>${e(c.message)}</div><p class="remedy"><strong>Remedy:</strong> ${e(c.remedy ?? '')}</p></section>`;
  const drill = drillRows(r);
  const paths = pathRows(r);
  const pathTable = paths.length ? `<h3>Restore paths</h3>${stackTable('paths', PATH_HEADERS, paths, (i) => ` data-path="${e(r.drill!.paths[i].path)}"`)}` : '';
  const kv = (id: string, rows: [string, string][]) => `<table id="${id}" class="stack"><tbody>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tablesafe ${e(r.command)} ${e(r.stack)} — ${e(r.verdictLabel)}</title>
<style>${CSS}</style></head>
<body>
<div class="print-header" aria-hidden="true">tablesafe ${e(r.command)} · ${e(r.stack)} · run ${e(r.runId)} · ${e(r.verdictLabel)}${p.localSandbox ? ` · ${LOCAL_SANDBOX_NOTICE}` : ''}</div>
<header>
<h1>tablesafe ${e(r.command)} — stack <code>${e(r.stack)}</code></h1>
${p.localSandbox ? `<p class="sandbox" id="sandbox">⚠️ ${LOCAL_SANDBOX_NOTICE}: this run used ${e(p.endpoint)} (account ${e(p.account)}). It is not evidence about AWS.</p>` : ''}
<p><span class="verdict ${r.verdict}" id="verdict">${e(r.verdictLabel)}</span></p>
<p id="summary">${e(summaryLine(r))}</p>
<p class="meta">Run <code id="run-id">${e(r.runId)}</code> · environment ${e(r.environment)} · region ${e(r.region)} · ${e(r.startedAt)} → ${e(r.finishedAt)}</p>
</header>
<main>
${failing.length ? `<h2 id="failed">Failed checks (${failing.length})</h2>\n${failing.map(failedBlock).join('\n')}` : '<h2 id="failed">Failed checks</h2><p>None.</p>'}
<h2 id="scope">Scope</h2>
<p>${e(scopeLine(r))}</p>
${stackTable('scope-tables', SCOPE_HEADERS, scopeRows(r))}
<h2 id="provenance">Provenance</h2>
${kv('provenance-table', provenanceRows(r))}
<h2 id="drill-section">Restore drill</h2>
${drill.length ? `${kv('drill', drill)}${pathTable}` : '<p>Skipped: no restore tested.</p>'}
<h2 id="controls">Controls evidenced</h2>
${stackTable('controls-table', CONTROL_HEADERS, controlRows(r), (i) => ` data-control="${e(r.controls[i].control)}" data-status="${r.controls[i].status}"`)}
<h2 id="all-checks">All checks, failures first (${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped, ${r.summary.inconclusive} inconclusive)</h2>
<table id="checks" class="stack"><thead><tr><th>Status</th><th>Check</th><th>Result and evidence</th></tr></thead><tbody>
${checksFailuresFirst(r).map(checkRow).join('\n')}
</tbody></table>
<p class="meta">report.json (schema version ${r.schemaVersion}), junit.xml and report.md sit beside this file; SHA256SUMS covers all of them.</p>
</main>
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
  // A report that contradicts itself is a bug here, never evidence: refuse to write it.
  const problems = reportProblems(r);
  if (problems.length) throw new TablesafeError('TS_E_REPORT_INCONSISTENT', `the report contradicts itself: ${problems.join('; ')}`, 'this is a bug in tablesafe: report it with the run id');
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
