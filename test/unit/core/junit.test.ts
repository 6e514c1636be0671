import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { escapeXml, renderJunit } from '../../../core/junit';
import { renderJunit as renderComplianceJunit } from '../../../compliance/rules/render';
import type { ComplianceReport } from '../../../compliance/rules/evaluate';

function wellFormed(xml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ts-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  return execFileSync('python3', ['-c', 'import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); print(len(d.getElementsByTagName("testcase")))', file]).toString().trim();
}

describe('escapeXml', () => {
  it('drops characters XML 1.0 forbids and keeps tab, newline and carriage return', () => {
    expect(escapeXml('a\u0000b\u0007c\u001bd\te\nf\rg')).toBe('abcd\te\nf\rg');
  });
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('renderJunit', () => {
  it('counts tests, failures and skipped cases per suite and overall', () => {
    const xml = renderJunit({
      name: 'n',
      suites: [{ name: 's', cases: [{ classname: 'c', name: 'a' }, { classname: 'c', name: 'b', failure: { message: 'm', text: 't' } }, { classname: 'c', name: 'd', skipped: { message: 'why' } }] }],
    });
    expect(xml).toMatch(/<testsuites name="n" tests="3" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="s" tests="3" failures="1" errors="0" skipped="1"/);
    expect(wellFormed(xml)).toBe('3');
  });
});

describe('compliance JUnit', () => {
  it('is well-formed when a finding carries control characters', () => {
    const finding = {
      ruleId: 'TS-DDB-001', title: 't', severity: 'error', status: 'non-compliant', message: 'bad \u0001 value <x>',
      resource: { type: 'aws_dynamodb_table', id: 'orders' }, remedy: 'fix \u001b it', evidence: { expected: 'a', actual: 'b\u0000' },
    };
    const report = {
      pack: 'tablesafe-strict', scope: 'demo', findings: [finding], violations: [finding], warnings: [], unusedSuppressions: [],
      summary: { compliant: 0, nonCompliant: 1, suppressed: 0, notApplicable: 0 },
    } as unknown as ComplianceReport;
    const xml = renderComplianceJunit(report);
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    expect(xml).toMatch(/<failure message="bad  value &lt;x&gt;">/);
    expect(wellFormed(xml)).toBe('1');
  });
});
