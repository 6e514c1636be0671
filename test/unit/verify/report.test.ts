import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { summaryLine } from '../../../verify/report/report';
import { renderHtml, renderJunit, renderMarkdown, writeReport } from '../../../verify/report/writers';
import { sampleReport } from './report-fixture';

const schema = JSON.parse(readFileSync(path.join(__dirname, '../../../verify/report/report.schema.json'), 'utf8'));

/** Checks the schema's required keys, consts and enums recursively — enough for our own schema. */
function violations(s: Record<string, any>, v: unknown, at = '$'): string[] {
  const out: string[] = [];
  if ('const' in s && v !== s.const) out.push(`${at} must be ${s.const}`);
  if (s.enum && !s.enum.includes(v)) out.push(`${at} must be one of ${s.enum.join(',')}`);
  if (s.type === 'object' && (typeof v !== 'object' || v === null)) return [...out, `${at} must be an object`];
  if (s.type === 'array') {
    if (!Array.isArray(v)) return [...out, `${at} must be an array`];
    v.forEach((x, i) => out.push(...violations(s.items ?? {}, x, `${at}[${i}]`)));
  }
  if (s.type === 'string' && typeof v !== 'string') out.push(`${at} must be a string`);
  if ((s.type === 'integer' && !Number.isInteger(v)) || (s.type === 'number' && typeof v !== 'number')) out.push(`${at} must be a ${s.type}`);
  if (s.type === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) out.push(`${at}.${k} is required`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) if (o[k] !== undefined) out.push(...violations(sub as Record<string, any>, o[k], `${at}.${k}`));
  }
  return out;
}

describe('report.json', () => {
  it('validates against the shipped JSON Schema', () => {
    expect(violations(schema, JSON.parse(JSON.stringify(sampleReport())))).toEqual([]);
  });

  it('is FAILED when any check failed, with counts per status', () => {
    expect(sampleReport()).toMatchObject({ verdict: 'FAILED', summary: { passed: 1, failed: 1, skipped: 1, total: 3 } });
  });

  it('the schema validator notices a missing required key', () => {
    const { verdict: _v, ...rest } = sampleReport();
    expect(violations(schema, rest)).toContain('$.verdict is required');
  });
});

describe('summary line', () => {
  it('lists passed/failed/skipped, each path\'s RTO and the RPO measured vs target, and the data at risk', () => {
    expect(summaryLine(sampleReport())).toBe('FAILED: 1 passed, 1 failed, 1 skipped · RTO backup 42 s, pitr 55 s (target 60 min) · RPO 61 min (target 1440 min) · 1 item changed since the recovery point');
  });

  it('keeps the single RTO of a drill with the backup path alone', () => {
    const base = sampleReport();
    const drill = { ...base.drill!, paths: base.drill!.paths.slice(0, 1), dataAtRisk: undefined };
    expect(summaryLine({ ...base, drill })).toBe('FAILED: 1 passed, 1 failed, 1 skipped · RTO 42 s (target 60 min) · RPO 61 min (target 1440 min)');
  });
});

describe('junit.xml', () => {
  it('has one testcase per check and a failure element carrying the message', () => {
    const xml = renderJunit(sampleReport());
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toMatch(/<failure message="restored.itemCount: expected 5 ± 0, actual 4 &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; more"/);
    expect(xml).toMatch(/<skipped message="to re-apply/);
  });

  it('is well-formed XML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-junit-'));
    const file = path.join(dir, 'junit.xml');
    writeFileSync(file, renderJunit(sampleReport()));
    const parsed = execFileSync('python3', ['-c', 'import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); print(len(d.getElementsByTagName("testcase")))', file]).toString().trim();
    expect(parsed).toBe('3');
  });
});

describe('report.html', () => {
  it('escapes check content', () => {
    const html = renderHtml(sampleReport());
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
  });

  it('loads no external assets', () => {
    expect(renderHtml(sampleReport())).not.toMatch(/<(link|script|img)\b|url\(|https?:\/\/(?!tablesafe)/);
  });
});

describe('report.md', () => {
  it('lists failed checks under their heading and escapes table pipes', () => {
    const md = renderMarkdown(sampleReport({ checks: [{ id: 'X', title: 'a|b', category: 'contract', status: 'fail', message: 'm|n', evidence: [] }] }));
    expect(md).toMatch(/### Failed checks\n\n- \*\*X\*\* a\\\|b: m\\\|n/);
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
    expect(md).toMatch(/\| backup \(passed\) \| us-east-1 \| restore job job-1 of arn:rp \| 2026-11-23T12:00:02.000Z → 2026-11-23T12:00:44.000Z \| 42 s \/ 60 min ✅ \| 4 \| \(reference\) \|/);
    expect(md).toMatch(/\| pitr \(failed\) \| us-east-1 \| RestoreTableToPointInTime to 2026-11-23T10:59:00.000Z \| .* \| 55 s \/ 60 min ✅ \| 5 \| no: 1 key\(s\) differ \(0 missing, 1 extra, 0 changed\): \{"ID":"5"\} extra \|/);
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/<table id="paths">.*<tr data-path="pitr">/s);
  });

  it('carries passing drill and data checks\' messages into junit.xml', () => {
    const base = sampleReport();
    const xml = renderJunit({ ...base, checks: [{ id: 'DATA-AT-RISK', title: 'Data at risk', category: 'data', status: 'pass', message: '37 items changed since the recovery point', evidence: [] }] });
    expect(xml).toMatch(/<system-out>37 items changed since the recovery point<\/system-out>/);
  });

  it('says the scratch table was never created when no restore started', () => {
    const base = sampleReport();
    const md = renderMarkdown({ ...base, drill: { ...base.drill!, restoreJobId: undefined } });
    expect(md).toMatch(/\| Scratch table \| tablesafe-drill-orders-\S+ \(never created: no restore started\) \|/);
  });
});
