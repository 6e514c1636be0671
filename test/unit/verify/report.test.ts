import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CheckResult } from '../../../verify/checks/check';
import { buildReport, countChecks, Report, reportProblems, summaryLine } from '../../../verify/report/report';
import { renderHtml, renderJunit, renderMarkdown, writeReport } from '../../../verify/report/writers';
import { passingReport, RP, sampleReport } from './report-fixture';
import { reportSchema as schema, schemaErrors, validateReport as validate } from './report-schema';

/** Rejected by the schema or by reportProblems (the arithmetic a schema cannot express). */
const rejected = (doc: Report): boolean => schemaErrors(doc).length > 0 || reportProblems(doc).length > 0;

/** A report made from `checks`, the rest of the sample run unchanged. */
function withChecks(checks: CheckResult[], extra: Partial<Parameters<typeof buildReport>[0]> = {}): Report {
  return sampleReport({ checks, ...extra });
}

const emptyDrillChecks = (): CheckResult[] => [
  { id: 'DRILL-RESTORE', title: 'Restore completes within the RTO (60 min)', category: 'drill', status: 'pass', message: 'ACTIVE in 42 s', evidence: [], measurement: { quantity: 'rto', value: 42, unit: 'seconds', target: 3600, subject: 'backup' } },
  { id: 'DATA-COUNT', title: 'Restored item counts agree', category: 'data', status: 'inconclusive', message: 'the backup restore holds 0 items', evidence: [] },
];

describe('report.json against the shipped JSON Schema (draft 2020-12, formats asserted)', () => {
  it('names draft 2020-12 in $schema, forbids unknown fields, and a 2020 validator compiles it', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(typeof validate).toBe('function');
  });

  it.each([
    ['a failed run against the sandbox', sampleReport()],
    ['a passing run against AWS', passingReport()],
    ['a run with the drill skipped', sampleReport({ drill: undefined, checks: passingReport().checks.filter((c) => c.category !== 'drill' && c.category !== 'data') })],
  ])('validates %s, and its verdict and counts agree with its checks', (_name, r) => {
    expect(schemaErrors(r)).toEqual([]);
    expect(reportProblems(r)).toEqual([]);
    expect(r.summary).toEqual(countChecks(r.checks));
    expect(r.summary.passed + r.summary.failed + r.summary.skipped + r.summary.inconclusive).toBe(r.summary.total);
    expect(r.verdict).toBe(r.checks.some((c) => c.status === 'fail') ? 'FAILED' : 'PASSED');
  });

  describe('rejects a report that contradicts itself', () => {
    const passed = () => passingReport();
    const failed = () => sampleReport();
    it.each<[string, () => unknown]>([
      ['PASSED with a failed check (a FAILED report flipped by hand)', () => ({ ...failed(), verdict: 'PASSED', verdictLabel: 'PASSED', summary: { ...failed().summary, failed: 0 } })],
      ['PASSED with summary.failed > 0', () => ({ ...passed(), summary: { ...passed().summary, failed: 1 } })],
      ['a failed check but summary.failed 0', () => ({ ...failed(), summary: { ...failed().summary, failed: 0 } })],
      ['an unknown top-level field', () => ({ ...passed(), signedBy: 'me' })],
      ['an unknown field in a check', () => ({ ...passed(), checks: [{ ...passed().checks[0], note: 'x' }, ...passed().checks.slice(1)] })],
      ['an unknown field in the drill section', () => ({ ...passed(), drill: { ...passed().drill!, extra: 1 } })],
      ['recoveryPointCreatedAt "yesterday"', () => ({ ...passed(), drill: { ...passed().drill!, recoveryPointCreatedAt: 'yesterday' } })],
      ['a digest "x"', () => ({ ...passed(), drill: { ...passed().drill!, restoredDigest: 'x' } })],
      ['a recovery point that is no ARN', () => ({ ...passed(), drill: { ...passed().drill!, recoveryPointArn: 'rp-1' } })],
      ['a caller that is no ARN', () => ({ ...passed(), provenance: { ...passed().provenance, caller: 'moto' } })],
      ['a contract hash that is no SHA-256', () => ({ ...passed(), provenance: { ...passed().provenance, contract: { source: 'c.json', sha256: 'abc' } } })],
      ['command drill without a drill section', () => ({ ...passed(), command: 'drill', drill: undefined })],
      ['a failed check without a remedy', () => ({ ...failed(), checks: failed().checks.map(({ remedy: _r, ...c }) => c) })],
      ['PASSED with no restore tested labelled plain PASSED', () => ({ ...passed(), restoreTested: false })],
    ])('schema: %s', (_name, make) => {
      expect(schemaErrors(make())).not.toEqual([]);
    });

    it('totals that do not add up (reportProblems: JSON Schema cannot add)', () => {
      const r = passingReport();
      const bad = { ...r, summary: { ...r.summary, total: r.summary.total + 5 } };
      expect(reportProblems(bad)).toEqual(expect.arrayContaining([`summary.total: expected ${r.summary.total} (from the checks), actual ${r.summary.total + 5}`, 'summary: passed + failed + skipped + inconclusive must equal total']));
      expect(rejected(bad)).toBe(true);
    });

    it('a headline RPO that is not what BACKUP-RPO measured', () => {
      const r = passingReport();
      expect(reportProblems({ ...r, figures: { ...r.figures, rpo: { ...r.figures.rpo, ageMinutes: 0.1 } } })).toEqual(['figures.rpo.ageMinutes: 0.1 is not what BACKUP-RPO measured']);
    });

    it('a control marked evidenced that its checks do not evidence', () => {
      const r = sampleReport();
      const controls = r.controls.map((c) => (c.control === 'SOC2-A1.3' ? { ...c, status: 'evidenced' as const } : c));
      expect(reportProblems({ ...r, controls })).toEqual([expect.stringMatching(/^controls.SOC2-A1.3: expected failed by DATA-COUNT, DRILL-RESTORE, DRILL-RESTORE-PITR, actual evidenced/)]);
    });

    it('writeReport refuses a report that contradicts itself', () => {
      const r = sampleReport();
      expect(() => writeReport({ ...r, verdict: 'PASSED' }, mkdtempSync(path.join(tmpdir(), 'ts-bad-')))).toThrow(expect.objectContaining({ code: 'TS_E_REPORT_INCONSISTENT' }));
    });
  });
});

describe('one computation feeds every figure', () => {
  it('takes the headline RPO from BACKUP-RPO and each path\'s RTO from its restore check, not from the drill metrics', () => {
    const r = sampleReport({ drill: { ...sampleReport().drill!, rpoMeasuredMinutes: 0.1, rtoMeasuredSeconds: 1 } });
    expect(r.figures.rpo).toMatchObject({ status: 'pass', judgedBy: 'BACKUP-RPO', ageMinutes: 61, targetMinutes: 1440, recoveryPointArn: RP });
    expect(r.figures.rto.paths).toEqual([{ path: 'backup', check: 'DRILL-RESTORE', status: 'pass', seconds: 42 }, { path: 'pitr', check: 'DRILL-RESTORE-PITR', status: 'pass', seconds: 55 }]);
    for (const text of [summaryLine(r), renderMarkdown(r), renderHtml(r)]) {
      expect(text).toContain('RPO 61 min (target 1440 min)');
      expect(text).not.toContain('RPO 0.1 min');
    }
  });

  it('shows RPO not measured when BACKUP-RPO found no recovery point, whatever the drill restored, and a fresh backup apart', () => {
    const checks: CheckResult[] = [
      { id: 'BACKUP-RPO', title: 't', category: 'contract', status: 'fail', message: 'recoveryPoint.latestCompleted: expected a COMPLETED recovery point, actual none in the vault', evidence: [] },
      ...sampleReport().checks.filter((c) => c.id !== 'BACKUP-RPO'),
    ];
    const r = withChecks(checks, { drill: { ...sampleReport().drill!, backupJobId: 'job-fresh', rpoMeasuredMinutes: 0.1 } });
    expect(r.figures.rpo).toMatchObject({ status: 'fail', judgedBy: 'BACKUP-RPO' });
    expect(summaryLine(r)).toContain('RPO not measured (target 1440 min) · fresh backup 0.1 min old (not the RPO)');
  });
});

describe('inconclusive: a drill that validated nothing', () => {
  it('fails the run under strict', () => {
    const r = withChecks(emptyDrillChecks(), { drill: { ...sampleReport().drill!, itemsValidated: 0 } });
    expect(r).toMatchObject({ verdict: 'FAILED', verdictLabel: 'FAILED', summary: { inconclusive: 1, failed: 0 } });
    expect(r.checks.find((c) => c.id === 'DATA-COUNT')?.remedy).toMatch(/allowEmptyTable/);
    expect(schemaErrors(r)).toEqual([]);
    expect(renderJunit(r)).toMatch(/<failure message="inconclusive: the backup restore holds 0 items" type="inconclusive">/);
  });

  it('does not fail the run when the contract declares the table may be empty, and says so', () => {
    const r = withChecks(emptyDrillChecks(), { drill: { ...sampleReport().drill!, itemsValidated: 0, emptyTableAllowed: true } });
    expect(r).toMatchObject({ verdict: 'PASSED', verdictLabel: 'PASSED (inconclusive: no data validated)' });
    expect(schemaErrors(r)).toEqual([]);
    expect(reportProblems(r)).toEqual([]);
    expect(summaryLine(r)).toMatch(/^PASSED \(inconclusive: no data validated\): 1 passed, 0 failed, 0 skipped, 1 inconclusive/);
  });

  it('the schema rejects PASSED over an inconclusive check under strict without the allowance', () => {
    const r = withChecks(emptyDrillChecks(), { drill: { ...sampleReport().drill!, itemsValidated: 0 } });
    expect(schemaErrors({ ...r, verdict: 'PASSED', verdictLabel: 'PASSED' })).not.toEqual([]);
  });
});

describe('PASSED with the drill skipped says no restore was tested, everywhere', () => {
  const r = sampleReport({ drill: undefined, checks: [{ id: 'TABLE-PITR', title: 'PITR', category: 'contract', status: 'pass', message: 'ok', evidence: [] }, { id: 'DRILL-RESTORE', title: 'Backup restore completes within the RTO', category: 'drill', status: 'skip', message: 'drill skipped (--skip-drill): no restore tested', evidence: [] }] });
  it.each<[string, string]>([
    ['json', JSON.stringify(r)],
    ['the summary line', summaryLine(r)],
    ['report.md', renderMarkdown(r)],
    ['report.html', renderHtml(r)],
    ['junit.xml properties', renderJunit(r).match(/<properties>[\s\S]*<\/properties>/)?.[0] ?? ''],
  ])('%s', (_where, text) => {
    expect(r.verdictLabel).toBe('PASSED (no restore tested)');
    expect(text).toContain('PASSED (no restore tested)');
  });
});

describe('summary line', () => {
  it('lists the counts, each path\'s RTO and the RPO measured vs target, and the data at risk', () => {
    expect(summaryLine(sampleReport())).toBe('FAILED: 5 passed, 1 failed, 1 skipped · RTO backup 42 s, pitr 55 s (target 60 min) · RPO 61 min (target 1440 min) · 1 item changed since the recovery point');
  });

  it('keeps the single RTO of a drill with the backup path alone', () => {
    const base = sampleReport();
    const r = sampleReport({ drill: { ...base.drill!, paths: base.drill!.paths.slice(0, 1), dataAtRisk: undefined } });
    expect(summaryLine(r)).toBe('FAILED: 5 passed, 1 failed, 1 skipped · RTO 42 s (target 60 min) · RPO 61 min (target 1440 min)');
  });

  it('counts verify\'s own errors among the failures, saying how many', () => {
    const r = withChecks([{ id: 'BACKUP-VAULT', title: 't', category: 'contract', status: 'fail', message: 'could not read vault: AccessDeniedException', evidence: [], error: true }]);
    expect(summaryLine(r)).toMatch(/^FAILED: 0 passed, 1 failed \(1 of them errors of verify itself\), 0 skipped/);
  });
});

describe('junit.xml', () => {
  it('has one testcase per check, stable names (id plus fixed title) and a failure carrying the message', () => {
    const xml = renderJunit(sampleReport());
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml).toMatch(/<testsuite name="tablesafe verify demo" tests="7" failures="1" errors="0" skipped="1" time="60.000" timestamp="2026-11-23T12:00:00.000Z" hostname="ci-runner-1">/);
    expect(xml).toMatch(/<testcase classname="tablesafe.data" name="DATA-COUNT Restored item counts agree" time="0.000">/);
    expect(xml).toMatch(/<testcase classname="tablesafe.drill" name="DRILL-RESTORE Backup restore completes within the RTO" time="42.000">/);
    expect(xml).toMatch(/<failure message="restored.itemCount: expected 5 ± 0, actual 4 &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; more"/);
  });

  it('names suites and cases the same in every run, whatever the run id, timings or sample size', () => {
    const names = (xml: string) => [...xml.matchAll(/<test(?:suite|case)[^>]* name="([^"]*)"/g)].map((m) => m[1]);
    const other = sampleReport({ runId: '20261124t090000-zzz999', checks: sampleReport().checks.map((c) => (c.id === 'DRILL-RESTORE' ? { ...c, title: 'Restore completes within the RTO (90 min)', seconds: 7 } : c)) });
    expect(names(renderJunit(other))).toEqual(names(renderJunit(sampleReport())));
    expect(names(renderJunit(sampleReport())).join(' ')).not.toMatch(/\d{8}t\d{6}|\(\d+ min\)|\d+ sampled/);
  });

  it('reports verify\'s own failures as <error>, not <failure>', () => {
    const xml = renderJunit(withChecks([{ id: 'DRILL-RESTORE', title: 't', category: 'drill', status: 'fail', message: 'restore job r-1 still RUNNING after the 3600 s deadline (TS_E_RESTORE_TIMEOUT)', evidence: [], error: true }]));
    expect(xml).toMatch(/<testsuite name="tablesafe verify demo" tests="1" failures="0" errors="1" skipped="0"/);
    expect(xml).toMatch(/<error message="restore job r-1 still RUNNING[^"]*" type="DRILL-RESTORE">/);
    expect(xml).not.toMatch(/<failure/);
  });

  it('carries the run\'s provenance as <properties>', () => {
    const xml = renderJunit(sampleReport());
    for (const [k, v] of [
      ['run.id', '20261123t120000-abc123'],
      ['account', '123456789012'],
      ['region', 'us-east-1'],
      ['caller', 'arn:aws:sts::123456789012:user/moto'],
      ['endpoint', 'http://127.0.0.1:4566'],
      ['endpoint.local', 'true (LOCAL SANDBOX, not AWS)'],
      ['tool.version', '0.1.0'],
      ['contract.sha256', 'c'.repeat(64)],
      ['recovery.point', RP],
      ['verdict', 'FAILED'],
    ]) expect(xml).toContain(`<property name="${k}" value="${v}"/>`);
  });

  it('passes DRILL-REAPPLY as a note with its text, never as a permanent <skipped>', () => {
    const xml = renderJunit(sampleReport());
    expect(xml).toMatch(/name="DRILL-REAPPLY [^"]*" time="0.000">\n\s*<system-out>[^<]*to re-apply after a real recovery: TTL/);
    expect(xml).not.toMatch(/<skipped message="to re-apply/);
  });

  it('is well-formed XML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-junit-'));
    const file = path.join(dir, 'junit.xml');
    writeFileSync(file, renderJunit(sampleReport()));
    const parsed = execFileSync('python3', ['-c', 'import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); print(len(d.getElementsByTagName("testcase")), len(d.getElementsByTagName("property")))', file]).toString().trim();
    expect(parsed).toMatch(/^7 \d+$/);
  });
});

describe('provenance in every file', () => {
  const r = sampleReport();
  const files = { 'report.json': JSON.stringify(r), 'report.md': renderMarkdown(r), 'report.html': renderHtml(r), 'junit.xml': renderJunit(r) };
  it.each(Object.entries(files))('%s carries the tool version, account, caller, region, endpoint, the input hashes and the sandbox notice', (_name, text) => {
    for (const fact of ['0.1.0', '123456789012', 'arn:aws:sts::123456789012:user/moto', 'us-east-1', 'http://127.0.0.1:4566', 'c'.repeat(64), '20261123t120000-abc123']) expect(text).toContain(fact);
    expect(text).toMatch(/LOCAL SANDBOX, not AWS|"localSandbox":true/);
  });

  it('a run against AWS does not say sandbox, and shows its CI run and commit', () => {
    const aws = passingReport({ provenance: { ...passingReport().provenance, ci: { provider: 'github-actions', runId: '4242', commit: 'f'.repeat(40), repository: 'acme/platform' } } });
    expect(schemaErrors(aws)).toEqual([]);
    for (const text of [renderMarkdown(aws), renderHtml(aws)]) {
      expect(text).not.toContain('LOCAL SANDBOX');
      expect(text).toContain(`GitHub Actions run 4242 · acme/platform · commit ${'f'.repeat(40)}`);
    }
    expect(renderJunit(aws)).toContain('<property name="ci.run.id" value="4242"/>');
  });
});

describe('controls evidenced', () => {
  it('maps each check to its controls in json, md and html', () => {
    const r = passingReport();
    expect(r.checks.find((c) => c.id === 'DRILL-RESTORE')?.controls).toEqual(expect.arrayContaining(['SOC2-A1.3', 'ISO27001-A.8.13', 'NIST-CP-4', 'NIST-CP-10']));
    expect(r.controls.find((c) => c.control === 'NIST-CP-9')).toMatchObject({ status: 'evidenced', checks: expect.arrayContaining(['BACKUP-RPO']) });
    expect(renderMarkdown(r)).toMatch(/### Controls evidenced[\s\S]*\| SOC 2 \| A1\.3 Recovery plan procedures supporting system recovery are tested \| evidenced \|/);
    expect(renderHtml(r)).toMatch(/<h2 id="controls">Controls evidenced<\/h2>[\s\S]*data-control="NIST-CP-10" data-status="evidenced"/);
  });

  it('marks a control failed when one of its checks failed', () => {
    expect(sampleReport().controls.find((c) => c.control === 'SOC2-A1.3')?.status).toBe('failed');
  });
});

describe('report.html', () => {
  it('escapes check content', () => {
    const html = renderHtml(sampleReport());
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
  });

  it('loads no external assets', () => {
    expect(renderHtml(sampleReport())).not.toMatch(/<(link|script|img|iframe)\b|url\(|@import|https?:\/\/(?!tablesafe|127\.0\.0\.1)/);
  });

  it('opens with the failed checks and their remedies, then scope, provenance, drill paths, controls and all checks, failures first', () => {
    const html = renderHtml(sampleReport());
    const at = (s: string) => html.indexOf(s);
    const order = ['id="failed"', 'id="scope"', 'id="provenance"', 'id="drill-section"', 'id="paths"', 'id="controls"', 'id="all-checks"'].map(at);
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/<section class="failed-check" data-check-id="DATA-COUNT">[\s\S]*?<strong>Remedy:<\/strong> compare the paths/);
    const rows = [...html.matchAll(/<tr class="check (\w+)"/g)].map((m) => m[1]);
    expect(rows[0]).toBe('fail');
    expect(html).toMatch(/1 table\(s\) in scope, 1 restored, 0 with data proven/);
  });

  it('repeats the run id and verdict on every printed page and keeps rows whole', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/@media print\{[^@]*\.print-header\{display:block;position:fixed;top:0/);
    expect(html).toMatch(/<div class="print-header"[^>]*>tablesafe verify · demo · run 20261123t120000-abc123 · FAILED · LOCAL SANDBOX, not AWS<\/div>/);
    expect(html).toMatch(/tr\{break-inside:avoid/);
  });
});

describe('report.md', () => {
  it('lists failed checks with their remedy under their heading and escapes table pipes', () => {
    const md = renderMarkdown(sampleReport({ checks: [{ id: 'X', title: 'a|b', category: 'contract', status: 'fail', message: 'm|n', evidence: [] }] }));
    expect(md).toMatch(/### Failed checks \(1\)\n\n- \*\*X\*\* X: m\\\|n {2}\n {2}Remedy: apply the stack again/);
  });

  it('shows the sandbox notice first', () => {
    expect(renderMarkdown(sampleReport()).split('\n')[2]).toMatch(/^> \*\*⚠️ LOCAL SANDBOX, not AWS\*\*/);
  });
});

describe('SHA256SUMS', () => {
  it('verifies with sha256sum -c', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-report-'));
    writeReport(sampleReport(), dir);
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString();
    expect(out).toMatch(/report.json: OK[\s\S]*junit.xml: OK[\s\S]*report.md: OK[\s\S]*report.html: OK/);
  });
});

describe('drill table in reports', () => {
  it('shows each restore path with its restore, timings, RTO and agreement, and the data at risk', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).toMatch(/\| Data at risk \| 1 item changed since the recovery point \(1 added, 0 changed, 0 removed\); source 5 item\(s\) at 2026-11-23T12:00:58.000Z \|/);
    expect(md).toMatch(/\| backup \(passed\) \| us-east-1 \| restore job job-1 of arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1 \| 2026-11-23T12:00:02.000Z → 2026-11-23T12:00:44.000Z \| 42 s \/ 60 min ✅ \| 4 \| \(reference\) \|/);
    expect(md).toMatch(/\| pitr \(failed\) \| us-east-1 \| RestoreTableToPointInTime to 2026-11-23T10:59:00.000Z \| .* \| 55 s \/ 60 min ✅ \| 5 \| no: 1 key\(s\) differ \(0 missing, 1 extra, 0 changed\): \{"ID":"5"\} extra \|/);
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/<table id="paths" class="stack">.*<tr data-path="pitr">/s);
  });

  it('shows the sampling method, seed and keys', () => {
    const base = sampleReport();
    const r = sampleReport({ drill: { ...base.drill!, sampling: { method: 'seeded-segment-offset', seed: 7, totalSegments: 3, requested: 2, sampled: 2, keys: [{ key: '{"ID":"2"}', segment: 1, offset: 0 }, { key: '{"ID":"4"}', segment: 2, offset: 1 }], keysOmitted: 0 } } });
    expect(schemaErrors(r)).toEqual([]);
    expect(renderMarkdown(r)).toContain('| Sampling | seeded-segment-offset, seed 7, 3 segment(s): 2 of 2 asked for; keys {"ID":"2"}, {"ID":"4"} |');
  });

  it('carries passing drill and data checks\' messages into junit.xml', () => {
    const xml = renderJunit(withChecks([{ id: 'DATA-AT-RISK', title: 'Data at risk', category: 'data', status: 'pass', message: '37 items changed since the recovery point', evidence: [] }]));
    expect(xml).toMatch(/<system-out>Data at risk: 37 items changed since the recovery point<\/system-out>/);
  });

  it('says the scratch table was never created when no restore started', () => {
    const base = sampleReport();
    const md = renderMarkdown({ ...base, drill: { ...base.drill!, restoreJobId: undefined } });
    expect(md).toMatch(/\| Scratch table \| tablesafe-drill-orders-\S+ \(never created: no restore started\) \|/);
  });
});
