/** A ComplianceReport as a terminal table, Markdown, JUnit XML (one test case per finding) or SARIF 2.1.0. */
import { renderJunit as renderJunitDocument } from '../../core/junit';
import type { ComplianceReport, PackFinding } from './evaluate';
import { ruleById } from './index';

/** How a finding reads in a report: FAIL and UNKNOWN (under the fail policy) fail the run; WARN and UNKNOWN otherwise do not. */
export function statusOf(f: PackFinding): string {
  if (f.suppressedBy && (f.status === 'non-compliant' || f.status === 'unknown')) return 'SUPPRESSED';
  if (f.status === 'non-compliant') return f.severity === 'error' ? 'FAIL' : 'WARN';
  if (f.status === 'unknown') return 'UNKNOWN';
  return f.status === 'compliant' ? 'PASS' : 'N/A';
}

const ORDER: Record<string, number> = { FAIL: 0, UNKNOWN: 1, WARN: 2, SUPPRESSED: 3, PASS: 4, 'N/A': 5 };

/** Findings worth a row, most urgent first; not-applicable ones are only counted. */
function rows(report: ComplianceReport): PackFinding[] {
  return report.findings.filter((f) => f.status !== 'not-applicable').sort((a, b) => ORDER[statusOf(a)] - ORDER[statusOf(b)]);
}

function where(f: PackFinding): string {
  return f.resource.path ?? f.resource.id;
}

function failsRun(report: ComplianceReport, f: PackFinding): boolean {
  return report.violations.includes(f);
}

/** `unknown findings fail the run (tablesafe-strict)`: which unknown policy applied, and who set it. */
export function unknownPolicyLine(report: ComplianceReport): string {
  const { policy, from } = report.unknownPolicy;
  const who = from === 'option' ? '--unknown' : report.pack;
  const what = policy === 'fail' ? 'fail the run on error-level rules' : policy === 'warn' ? 'are warnings' : 'are ignored';
  return `unknown findings ${what} (${who})`;
}

export function summaryLine(report: ComplianceReport): string {
  const s = report.summary;
  if (report.resourcesInScope === 0) {
    return `${report.pack} on ${report.scope}: no resources in scope — the input has no DynamoDB table, KMS key, Backup vault, plan or selection, CloudTrail trail, S3 bucket or IAM role the rules apply to`;
  }
  const failing = report.violations.length;
  const unknownFailing = report.violations.filter((f) => f.status === 'unknown').length;
  const verdict = failing > 0 ? [failing > unknownFailing ? `${failing - unknownFailing} violation(s)` : '', unknownFailing ? `${unknownFailing} unknown failing the run` : ''].filter(Boolean).join(', ') : 'compliant';
  const warnings = report.warnings.length;
  return `${report.pack} on ${report.scope}: ${verdict} — ${s.compliant} passed, ${s.nonCompliant} non-compliant, ${s.unknown} unknown (${s.suppressed} suppressed, ${warnings} warning(s)), ${s.notApplicable} not applicable; ${unknownPolicyLine(report)}`;
}

function notesLines(report: ComplianceReport): string[] {
  return report.notes.length ? ['Not checked:', ...report.notes.map((n) => `  ${n}`), ''] : [];
}

function widthOf(values: readonly string[], header: string): number {
  let w = header.length;
  for (const v of values) if (v.length > w) w = v.length;
  return Math.min(60, w);
}

export function renderTable(report: ComplianceReport): string {
  const header = ['STATUS', 'RULE', 'RESOURCE', 'MESSAGE'];
  const body = rows(report).map((f) => [statusOf(f), f.ruleId, where(f), f.suppressedBy ? `${f.message} (suppressed: ${f.suppressedBy.reason})` : f.message]);
  const widths = header.map((h, i) => widthOf(body.map((r) => r[i]), h));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const remedies = report.violations.map((f) => `  ${f.ruleId} ${where(f)}: ${f.remedy ?? ''}`);
  return [
    line(header),
    ...body.map(line),
    '',
    ...(remedies.length ? ['Remedies:', ...remedies, ''] : []),
    ...notesLines(report),
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
      `| ${statusOf(f)} | ${f.ruleId} | ${md(where(f))} | ${md(f.message)}${f.suppressedBy ? ` (suppressed: ${md(f.suppressedBy.reason)})` : ''} | ${md(f.evidence?.expected ?? '')} | ${md(f.evidence?.actual ?? '')} | ${md(f.status === 'non-compliant' || f.status === 'unknown' ? f.remedy ?? '' : '')} |`),
    '',
    ...(report.notes.length ? ['**Not checked:**', '', ...report.notes.map((n) => `- ${md(n)}`), ''] : []),
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
          const failed = !skipped && failsRun(report, f);
          return {
            classname: `${report.pack}.${f.ruleId}`,
            name: `${f.ruleId} ${where(f)}`,
            failure: failed ? { message: f.message, text: `expected: ${f.evidence?.expected ?? ''}\nactual: ${f.evidence?.actual ?? ''}\nremedy: ${f.remedy ?? ''}` } : undefined,
            skipped: skipped ? { message: f.suppressedBy ? `suppressed: ${f.suppressedBy.reason}` : f.message } : undefined,
            systemOut: !skipped && !failed && (f.status === 'non-compliant' || f.status === 'unknown') ? `${f.status === 'unknown' ? 'unknown' : 'warning'}: ${f.message}` : undefined,
          };
        }),
      },
    ],
  });
}

export interface SarifOptions {
  /** The file the findings are about (the Terraform JSON or plan), as the results' artifact. @default none */
  readonly artifact?: string;
  /** The tool's version. @default none */
  readonly toolVersion?: string;
}

/**
 * SARIF 2.1.0 (GitHub code scanning, Azure DevOps, most SAST dashboards): one result per
 * non-compliant, unknown or suppressed finding; passes and not-applicable findings are counted in
 * the run's properties only. Unknown findings are `kind: review`; suppressed ones carry their reason.
 */
export function renderSarif(report: ComplianceReport, options: SarifOptions = {}): string {
  const ids = report.rulesEvaluated.map((r) => r.id);
  const rules = report.rulesEvaluated.map((r) => {
    const rule = ruleById(r.id);
    return {
      id: r.id,
      name: r.id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: r.title },
      fullDescription: { text: rule?.explanation ?? r.title },
      help: { text: `${r.title}. Controls: ${r.controls.join(', ')}.` },
      defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
      properties: { tags: ['compliance', 'terraform', ...r.controls] },
    };
  });
  const results = report.findings
    .filter((f) => f.status === 'non-compliant' || f.status === 'unknown')
    .map((f) => {
      const fails = failsRun(report, f);
      const level = f.suppressedBy ? 'note' : fails ? 'error' : f.status === 'unknown' && report.unknownPolicy.policy === 'ignore' ? 'note' : 'warning';
      return {
        ruleId: f.ruleId,
        ruleIndex: ids.indexOf(f.ruleId),
        kind: f.status === 'unknown' ? 'review' : 'fail',
        level,
        message: { text: `${f.resource.id}: ${f.message}${f.remedy ? ` — remedy: ${f.remedy}` : ''}` },
        locations: [
          {
            ...(options.artifact ? { physicalLocation: { artifactLocation: { uri: options.artifact } } } : {}),
            logicalLocations: [{ fullyQualifiedName: f.resource.id, name: f.resource.name, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'tablesafe/v1': `${f.ruleId}|${f.resource.id}` },
        ...(f.suppressedBy ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppressedBy.reason }] } : {}),
        properties: {
          status: f.status,
          severity: f.severity,
          ...(f.evidence ? { expected: f.evidence.expected, actual: f.evidence.actual } : {}),
          ...(f.resource.path ? { constructPath: f.resource.path } : {}),
        },
      };
    });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tablesafe',
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        ...(options.artifact ? { artifacts: [{ location: { uri: options.artifact } }] } : {}),
        results,
        properties: {
          pack: report.pack,
          scope: report.scope,
          unknownPolicy: report.unknownPolicy,
          summary: report.summary,
          resourcesInScope: report.resourcesInScope,
          ...(report.notes.length ? { notes: report.notes } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
