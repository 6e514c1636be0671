/** A ComplianceReport as a terminal table, Markdown, or JUnit XML (one test case per finding). */
import { renderJunit as renderJunitDocument } from '../../core/junit';
import type { ComplianceReport, PackFinding } from './evaluate';

export function statusOf(f: PackFinding): string {
  if (f.status === 'non-compliant') return f.suppressedBy ? 'SUPPRESSED' : f.severity === 'error' ? 'FAIL' : 'WARN';
  return f.status === 'compliant' ? 'PASS' : 'N/A';
}

const ORDER: Record<string, number> = { FAIL: 0, WARN: 1, SUPPRESSED: 2, PASS: 3, 'N/A': 4 };

/** Findings worth a row, most urgent first; not-applicable ones are only counted. */
function rows(report: ComplianceReport): PackFinding[] {
  return report.findings.filter((f) => f.status !== 'not-applicable').sort((a, b) => ORDER[statusOf(a)] - ORDER[statusOf(b)]);
}

function where(f: PackFinding): string {
  return f.resource.path ?? f.resource.id;
}

export function summaryLine(report: ComplianceReport): string {
  const s = report.summary;
  const verdict = report.violations.length > 0 ? `${report.violations.length} violation(s)` : 'compliant';
  return `${report.pack} on ${report.scope}: ${verdict} — ${s.compliant} passed, ${s.nonCompliant} non-compliant (${s.suppressed} suppressed, ${report.warnings.length} warning(s)), ${s.notApplicable} not applicable`;
}

export function renderTable(report: ComplianceReport): string {
  const header = ['STATUS', 'RULE', 'RESOURCE', 'MESSAGE'];
  const body = rows(report).map((f) => [statusOf(f), f.ruleId, where(f), f.suppressedBy ? `${f.message} (suppressed: ${f.suppressedBy.reason})` : f.message]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...body.map((r) => r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const remedies = report.violations.map((f) => `  ${f.ruleId} ${where(f)}: ${f.remedy ?? ''}`);
  return [
    line(header),
    ...body.map(line),
    '',
    ...(remedies.length ? ['Remedies:', ...remedies, ''] : []),
    summaryLine(report),
    '',
  ].join('\n');
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(report: ComplianceReport): string {
  return [
    `# Compliance: ${report.pack} on ${report.scope}`,
    '',
    summaryLine(report),
    '',
    '| Status | Rule | Resource | Message | Expected | Actual | Remedy |',
    '|---|---|---|---|---|---|---|',
    ...rows(report).map((f) =>
      `| ${statusOf(f)} | ${f.ruleId} | ${md(where(f))} | ${md(f.message)}${f.suppressedBy ? ` (suppressed: ${md(f.suppressedBy.reason)})` : ''} | ${md(f.evidence?.expected ?? '')} | ${md(f.evidence?.actual ?? '')} | ${md(f.status === 'non-compliant' ? f.remedy ?? '' : '')} |`),
    '',
  ].join('\n');
}

export function renderJunit(report: ComplianceReport): string {
  return renderJunitDocument({
    name: 'tablesafe compliance',
    suites: [
      {
        name: `${report.pack} ${report.scope}`,
        cases: report.findings.map((f) => {
          const skipped = f.status === 'not-applicable' || f.suppressedBy !== undefined;
          const failed = !skipped && f.status === 'non-compliant' && f.severity === 'error';
          return {
            classname: `${report.pack}.${f.ruleId}`,
            name: `${f.ruleId} ${where(f)}`,
            failure: failed ? { message: f.message, text: `expected: ${f.evidence?.expected ?? ''}\nactual: ${f.evidence?.actual ?? ''}\nremedy: ${f.remedy ?? ''}` } : undefined,
            skipped: skipped ? { message: f.suppressedBy ? `suppressed: ${f.suppressedBy.reason}` : f.message } : undefined,
            systemOut: !skipped && !failed && f.status === 'non-compliant' ? `warning: ${f.message}` : undefined,
          };
        }),
      },
    ],
  });
}
