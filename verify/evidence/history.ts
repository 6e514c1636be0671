/**
 * The drill history an auditor reads: every pack (local reports directory or the evidence bucket)
 * verified, one row per run (date, stack, verdict, RTO measured vs target, RPO, items validated,
 * data at risk), trends, the last successful restore per table, gaps against the drill cadence,
 * the controls the runs evidence, as Markdown and as self-contained HTML with an inline SVG RTO
 * chart.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DRILL_TABLE_PREFIX } from '../../core/contract';
import { escapeXml } from '../../core/junit';
import { verifyPack, type PackVerification } from './check';
import { readPackReport } from './manifest';
import { HISTORY_CONTROLS, controlsForCheck } from './controls';

export const DEFAULT_DRILL_CADENCE_DAYS = 30;
const DAY_MS = 86_400_000;

export type SignatureState = 'verified' | 'unsigned' | 'INVALID';

export interface HistoryRun {
  readonly dir: string;
  readonly runId: string;
  readonly stack: string;
  readonly startedAt: string;
  readonly verdict: string;
  readonly signature: SignatureState;
  /** Failed verification lines (hash, signature, chain), empty when the pack is intact. */
  readonly problems: readonly string[];
  readonly table?: string;
  /** A restore was tested (the backup path's restore job started). */
  readonly restoreTested: boolean;
  readonly rtoSeconds?: number;
  readonly rtoTargetMinutes?: number;
  readonly rpoMinutes?: number;
  readonly rpoTargetMinutes?: number;
  readonly itemsValidated?: number;
  readonly dataAtRisk?: string;
  readonly checks: readonly { readonly id: string; readonly status: string }[];
  readonly cadenceDays?: number;
}

export interface ControlEvidence {
  readonly control: string;
  readonly title: string;
  /** Runs with at least one check mapped to the control. */
  readonly runs: number;
  /** Runs whose mapped checks all passed. */
  readonly passing: number;
  readonly lastPassing?: string;
}

export interface History {
  readonly generatedAt: string;
  readonly since?: string;
  readonly source: string;
  readonly runs: readonly HistoryRun[];
  readonly trends: readonly string[];
  readonly lastRestore: readonly { readonly table: string; readonly stack: string; readonly runId: string; readonly at: string; readonly rtoSeconds?: number }[];
  readonly gaps: readonly string[];
  readonly controls: readonly ControlEvidence[];
}

/** Pack directories under `root`: `root/<run id>/` and `root/<stack>/<run id>/` (a bucket download), each with report.json. */
export function findPackDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const dirs: string[] = [];
  const visit = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (!statSync(full).isDirectory()) continue;
      if (existsSync(path.join(full, 'report.json'))) dirs.push(full);
      else if (depth < 1) visit(full, depth + 1);
    }
  };
  visit(root, 0);
  return dirs;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function tableOf(scratch: unknown, runId: string): string | undefined {
  if (typeof scratch !== 'string' || !scratch.startsWith(DRILL_TABLE_PREFIX)) return undefined;
  const rest = scratch.slice(DRILL_TABLE_PREFIX.length);
  return rest.endsWith(`-${runId}`) ? rest.slice(0, -(runId.length + 1)) : rest;
}

function dataAtRiskText(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const r = d as Record<string, unknown>;
  const total = num(r.total);
  if (total === undefined) return undefined;
  return total === 0 ? 'none' : `${total} item(s) ${r.by === 'count' ? 'net' : 'changed'}`;
}

export function runOf(v: PackVerification): HistoryRun | undefined {
  const report = readPackReport(v.dir);
  if (!report) return undefined;
  const drill = (report.drill ?? undefined) as Record<string, unknown> | undefined;
  const runId = String(report.runId ?? v.manifest?.runId ?? path.basename(v.dir));
  const problems = v.lines.filter((l) => l.status === 'fail').map((l) => `${l.what}: ${l.message}`);
  const unsigned = !v.manifest?.signing;
  return {
    dir: v.dir,
    runId,
    stack: String(report.stack ?? v.manifest?.stack ?? '?'),
    startedAt: String(report.startedAt ?? ''),
    verdict: String(report.verdict ?? '?'),
    signature: problems.length === 0 && v.signed ? 'verified' : unsigned && problems.every((p) => p.startsWith('signature') || p.startsWith('manifest')) ? 'unsigned' : 'INVALID',
    problems,
    table: tableOf(drill?.scratchTable, runId),
    restoreTested: typeof drill?.restoreJobId === 'string',
    rtoSeconds: num(drill?.rtoMeasuredSeconds),
    rtoTargetMinutes: num(drill?.rtoTargetMinutes),
    rpoMinutes: num(drill?.rpoMeasuredMinutes),
    rpoTargetMinutes: num(drill?.rpoTargetMinutes),
    itemsValidated: num(drill?.itemsValidated),
    dataAtRisk: dataAtRiskText(drill?.dataAtRisk),
    checks: Array.isArray(report.checks) ? (report.checks as Record<string, unknown>[]).map((c) => ({ id: String(c.id), status: String(c.status) })) : [],
    cadenceDays: v.manifest?.drillCadenceDays,
  };
}

/** A run that proves a restore: PASSED, a restore tested, and an intact pack. */
export const isPassingDrill = (r: HistoryRun): boolean => r.verdict === 'PASSED' && r.restoreTested && r.signature !== 'INVALID';

export interface BuildHistoryInput {
  readonly dirs: readonly string[];
  /** For the KMS signature check. @default offline check only */
  readonly kms?: KMSClient;
  /** Only runs started at or after this time. @default every run */
  readonly since?: Date;
  /** @default now */
  readonly now?: Date;
  /** Overrides the cadence the packs state. @default the newest pack's drillCadenceDays per stack, else 30 */
  readonly cadenceDays?: number;
  /** Where the packs came from, for the heading. */
  readonly source: string;
}

export async function buildHistory(input: BuildHistoryInput): Promise<History> {
  const now = input.now ?? new Date();
  const runs: HistoryRun[] = [];
  for (const dir of input.dirs) {
    const run = runOf(await verifyPack(dir, { kms: input.kms }));
    if (!run) continue;
    if (input.since && new Date(run.startedAt).getTime() < input.since.getTime()) continue;
    runs.push(run);
  }
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));

  const stacks = [...new Set(runs.map((r) => r.stack))].sort();
  const trends: string[] = [];
  const gaps: string[] = [];
  for (const stack of stacks) {
    const mine = runs.filter((r) => r.stack === stack);
    const passing = mine.filter(isPassingDrill);
    trends.push(`${stack}: ${passing.length} of ${mine.length} run(s) passed with a restore tested`);
    const rtos = mine.map((r) => r.rtoSeconds).filter((x): x is number => x !== undefined);
    if (rtos.length >= 2) {
      const first = rtos[0];
      const last = rtos[rtos.length - 1];
      const sorted = [...rtos].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      const median = sorted.length % 2 ? sorted[mid] : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
      trends.push(`${stack}: RTO ${first} s → ${last} s (${last > first ? 'slower' : last < first ? 'faster' : 'unchanged'}; median ${median} s, worst ${sorted[sorted.length - 1]} s)`);
    }
    const invalid = mine.filter((r) => r.signature === 'INVALID');
    if (invalid.length) gaps.push(`${stack}: ${invalid.length} pack(s) fail verification and prove nothing: ${invalid.map((r) => r.runId).join(', ')}`);
    const cadence = input.cadenceDays ?? [...mine].reverse().find((r) => r.cadenceDays !== undefined)?.cadenceDays ?? DEFAULT_DRILL_CADENCE_DAYS;
    const lastPass = passing[passing.length - 1];
    if (!lastPass || now.getTime() - new Date(lastPass.startedAt).getTime() > cadence * DAY_MS) {
      gaps.push(`${stack}: no passing drill in the last ${cadence} days${lastPass ? ` (last: ${lastPass.startedAt}, run ${lastPass.runId})` : ''}`);
    }
    for (let i = 1; i < passing.length; i++) {
      const days = (new Date(passing[i].startedAt).getTime() - new Date(passing[i - 1].startedAt).getTime()) / DAY_MS;
      if (days > cadence) gaps.push(`${stack}: ${Math.floor(days)} days without a passing drill between ${passing[i - 1].startedAt} and ${passing[i].startedAt} (cadence ${cadence} days)`);
    }
  }

  const lastRestore = new Map<string, History['lastRestore'][number]>();
  for (const r of runs.filter(isPassingDrill)) {
    const table = r.table ?? `(table of ${r.stack})`;
    lastRestore.set(table, { table, stack: r.stack, runId: r.runId, at: r.startedAt, rtoSeconds: r.rtoSeconds });
  }

  const controls: ControlEvidence[] = Object.values(HISTORY_CONTROLS).map((c) => {
    let count = 0;
    let passing = 0;
    let lastPassing: string | undefined;
    for (const r of runs) {
      const mapped = r.checks.filter((k) => controlsForCheck(k.id).includes(c.id));
      if (!mapped.length) continue;
      count++;
      if (r.signature !== 'INVALID' && mapped.every((k) => k.status === 'pass')) {
        passing++;
        lastPassing = r.startedAt;
      }
    }
    return { control: c.id, title: c.title, runs: count, passing, lastPassing };
  });

  return { generatedAt: now.toISOString(), since: input.since?.toISOString(), source: input.source, runs, trends, lastRestore: [...lastRestore.values()], gaps, controls };
}

const fmtRto = (r: HistoryRun) => `${r.rtoSeconds !== undefined ? `${r.rtoSeconds} s` : '—'} / ${r.rtoTargetMinutes !== undefined ? `${r.rtoTargetMinutes} min` : '—'}`;
const fmtRpo = (r: HistoryRun) => `${r.rpoMinutes !== undefined ? `${r.rpoMinutes} min` : '—'} / ${r.rpoTargetMinutes !== undefined ? `${r.rpoTargetMinutes} min` : '—'}`;
const verdictText = (r: HistoryRun) => (r.verdict === 'PASSED' && !r.restoreTested ? 'PASSED (no restore tested)' : r.verdict);

export const HISTORY_HEADERS = ['Date', 'Stack', 'Run', 'Verdict', 'Signature', 'RTO measured / target', 'RPO / target', 'Items validated', 'Data at risk'] as const;

export function historyRows(h: History): string[][] {
  return h.runs.map((r) => [r.startedAt, r.stack, r.runId, verdictText(r), r.signature, fmtRto(r), fmtRpo(r), r.itemsValidated !== undefined ? String(r.itemsValidated) : '—', r.dataAtRisk ?? '—']);
}

/** One line per run, for `tablesafe evidence list`. */
export function historyLines(h: History): string[] {
  return historyRows(h).map((row) => row.join('  '));
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderHistoryMarkdown(h: History): string {
  const out = [
    '# tablesafe drill history',
    '',
    `Source: ${h.source} · generated ${h.generatedAt}${h.since ? ` · since ${h.since}` : ''} · ${h.runs.length} run(s)`,
    '',
    '## Gaps',
    '',
    ...(h.gaps.length ? h.gaps.map((g) => `- ${md(g)}`) : ['- none: every stack has a passing drill within its cadence']),
    '',
    '## Runs',
    '',
    `| ${HISTORY_HEADERS.join(' | ')} |`,
    `|${HISTORY_HEADERS.map(() => '---').join('|')}|`,
    ...historyRows(h).map((row) => `| ${row.map(md).join(' | ')} |`),
    '',
    '## Trends',
    '',
    ...(h.trends.length ? h.trends.map((t) => `- ${md(t)}`) : ['- no runs']),
    '',
    '## Last successful restore per table',
    '',
    '| Table | Stack | Run | Date | RTO |',
    '|---|---|---|---|---|',
    ...h.lastRestore.map((l) => `| ${md(l.table)} | ${md(l.stack)} | ${md(l.runId)} | ${md(l.at)} | ${l.rtoSeconds !== undefined ? `${l.rtoSeconds} s` : '—'} |`),
    '',
    '## Controls evidenced',
    '',
    '| Control | What it asks | Runs evidencing | Passing | Last passing |',
    '|---|---|---|---|---|',
    ...h.controls.map((c) => `| ${md(c.control)} | ${md(c.title)} | ${c.runs} | ${c.passing} | ${c.lastPassing ?? '—'} |`),
    '',
  ];
  const invalid = h.runs.filter((r) => r.problems.length && r.signature === 'INVALID');
  if (invalid.length) {
    out.push('## Packs that fail verification', '');
    for (const r of invalid) for (const p of r.problems) out.push(`- ${md(r.runId)}: ${md(p)}`);
    out.push('');
  }
  return out.join('\n');
}

/** Inline SVG: RTO per run (seconds) per stack, with each stack's target as a dashed line. */
export function rtoChartSvg(h: History, width = 640, height = 220): string {
  const points = h.runs.filter((r) => r.rtoSeconds !== undefined);
  const title = '<title>RTO measured per run, seconds; dashed: target</title>';
  if (!points.length) return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="RTO trend: no measured restore" viewBox="0 0 ${width} ${height}" width="100%">${title}<text x="20" y="${height / 2}" font-size="14">no measured restore in this period</text></svg>`;
  const pad = { l: 56, r: 16, t: 16, b: 32 };
  const targets = points.map((r) => (r.rtoTargetMinutes ?? 0) * 60);
  const max = Math.max(...points.map((r) => r.rtoSeconds!), ...targets, 1) * 1.1;
  const x = (i: number) => pad.l + (points.length === 1 ? (width - pad.l - pad.r) / 2 : (i * (width - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const colors = ['#1f5fa8', '#8a3b00', '#2d6a2d', '#6b2d8a'];
  const stacks = [...new Set(points.map((r) => r.stack))];
  const parts: string[] = [];
  parts.push(`<line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#444"/>`);
  parts.push(`<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${height - pad.b}" stroke="#444"/>`);
  parts.push(`<text x="4" y="${pad.t + 10}" font-size="11">${Math.round(max)} s</text><text x="4" y="${height - pad.b}" font-size="11">0 s</text>`);
  stacks.forEach((stack, si) => {
    const color = colors[si % colors.length];
    const idx = points.map((r, i) => ({ r, i })).filter((p) => p.r.stack === stack);
    const target = (idx[idx.length - 1].r.rtoTargetMinutes ?? 0) * 60;
    if (target > 0) parts.push(`<line x1="${pad.l}" y1="${y(target).toFixed(1)}" x2="${width - pad.r}" y2="${y(target).toFixed(1)}" stroke="${color}" stroke-dasharray="6 4"><title>${escapeXml(stack)} target ${target} s</title></line>`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${idx.map((p) => `${x(p.i).toFixed(1)},${y(p.r.rtoSeconds!).toFixed(1)}`).join(' ')}"/>`);
    for (const p of idx) parts.push(`<circle cx="${x(p.i).toFixed(1)}" cy="${y(p.r.rtoSeconds!).toFixed(1)}" r="4" fill="${p.r.verdict === 'PASSED' ? color : '#b00020'}"><title>${escapeXml(`${p.r.stack} ${p.r.runId}: ${p.r.rtoSeconds} s (${p.r.verdict})`)}</title></circle>`);
    parts.push(`<text x="${pad.l + 8 + si * 120}" y="${height - 8}" font-size="11" fill="${color}">${escapeXml(stack)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="RTO trend" viewBox="0 0 ${width} ${height}" width="100%">${title}${parts.join('')}</svg>`;
}

export function renderHistoryHtml(h: History): string {
  const e = (s: string) => escapeXml(s).replace(/&apos;/g, '&#39;');
  const table = (headers: readonly string[], rows: string[][]) =>
    `<div class="scroll"><table><thead><tr>${headers.map((x) => `<th scope="col">${e(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
  const list = (items: readonly string[], empty: string) => `<ul>${(items.length ? items : [empty]).map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tablesafe drill history</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;padding:16px;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f5}.gap{color:#8a0015;font-weight:600}
tr{break-inside:avoid}@media print{.scroll{overflow:visible}}
</style></head><body>
<h1>tablesafe drill history</h1>
<p>Source: ${e(h.source)} · generated ${e(h.generatedAt)}${h.since ? ` · since ${e(h.since)}` : ''} · ${h.runs.length} run(s)</p>
<h2>Gaps</h2>
<div class="gap">${list(h.gaps, 'none: every stack has a passing drill within its cadence')}</div>
<h2>RTO trend</h2>
${rtoChartSvg(h)}
<h2>Runs</h2>
${table(HISTORY_HEADERS, historyRows(h))}
<h2>Trends</h2>
${list(h.trends, 'no runs')}
<h2>Last successful restore per table</h2>
${table(['Table', 'Stack', 'Run', 'Date', 'RTO'], h.lastRestore.map((l) => [l.table, l.stack, l.runId, l.at, l.rtoSeconds !== undefined ? `${l.rtoSeconds} s` : '—']))}
<h2>Controls evidenced</h2>
${table(['Control', 'What it asks', 'Runs evidencing', 'Passing', 'Last passing'], h.controls.map((c) => [c.control, c.title, String(c.runs), String(c.passing), c.lastPassing ?? '—']))}
${h.runs.some((r) => r.signature === 'INVALID') ? `<h2>Packs that fail verification</h2>${list(h.runs.filter((r) => r.signature === 'INVALID').flatMap((r) => r.problems.map((p) => `${r.runId}: ${p}`)), '')}` : ''}
</body></html>
`;
}
