import type { MainJobResult } from '../../../demo/main-job';
import { formatKeepHelp, formatSummary, summaryJson } from '../../../demo/summary';

const result: MainJobResult = {
  runId: 'r1',
  scenario: 'drill',
  verdict: 'PASSED',
  exitCode: 0,
  phases: [{ name: 'synth', ms: 900, ok: true }, { name: 'apply', ms: 65_000, ok: true }],
  itemsWritten: 5,
  verify: { exitCode: 0, verdict: 'PASSED', passed: 59, failed: 0, reportDir: '/p/reports/r1', rtoSeconds: 2, rtoTargetMinutes: 15, rpoMinutes: 0, rpoTargetMinutes: 1440, sourceItems: 5, restoredItems: 5, itemsValidated: 5 },
  drillTablesLeft: [],
  leftState: [],
};

describe('summary', () => {
  it('states the verdict, RTO/RPO, item counts and the HTML report path', () => {
    const text = formatSummary(result);
    expect(text).toMatch(/tablesafe demo \(drill\) PASSED/);
    expect(text).toMatch(/RTO {8}2 s measured \(target 15 min\)/);
    expect(text).toMatch(/RPO {8}0 min measured \(target 1440 min\)/);
    expect(text).toMatch(/items {6}5 written, 5 in the source at verify, 5 restored by the drill, 5 validated/);
    expect(text).toMatch(/report {5}\/p\/reports\/r1\/report\.html/);
  });

  it('prints each path, the live writer and the data at risk', () => {
    const text = formatSummary({
      ...result,
      writer: { puts: 12, updates: 10, deletes: 10, transactions: 10, refused: 0 },
      verify: { ...result.verify!, paths: [{ path: 'backup', status: 'passed', rtoSeconds: 2 }, { path: 'pitr', status: 'passed', rtoSeconds: 1.5, agrees: true }], dataAtRisk: { total: 37, added: 12, changed: 20, removed: 5 } },
    });
    expect(text).toMatch(/RTO {8}2 s measured \(backup 2 s, pitr 1.5 s\) \(target 15 min\)/);
    expect(text).toMatch(/paths {6}backup passed, pitr agrees exactly/);
    expect(text).toMatch(/writer {5}42 writes \(12 puts, 10 updates, 10 deletes, 10 transactions\) from before the backup until after the drill/);
    expect(text).toMatch(/at risk {4}37 items changed since the recovery point \(12 added, 20 changed, 5 removed\)/);
  });

  it('says the pack was signed, uploaded and verified, prints the verify command and this run next to the ones before it', () => {
    const history = [
      { runId: 'r0', startedAt: '2026-11-27T16:01:00.000Z', verdict: 'FAILED', rtoSeconds: 5, signature: 'verified' },
      { runId: 'rx', startedAt: '2026-11-27T16:30:00.000Z', verdict: 'PASSED', rtoSeconds: 4, signature: 'INVALID' },
      { runId: 'r1', startedAt: '2026-11-27T17:01:00.000Z', verdict: 'PASSED', rtoSeconds: 2, signature: 'verified' },
    ];
    const evidence = { signed: true, uploadedTo: 's3://b/packs/demo/r1/', lockedUntil: '2027-12-31T00:00:00.000Z', valid: true, problems: [], verifyCommand: 'npx tablesafe evidence verify reports/r1 --offline', history };
    const text = formatSummary({ ...result, verify: { ...result.verify!, evidence } });
    expect(text).toMatch(/evidence {3}manifest signed with the stack's KMS key, uploaded to s3:\/\/b\/packs\/demo\/r1\/ \(Object Lock until 2027-12-31T00:00:00.000Z\); verified \(KMS and offline, every file hash, chain\)/);
    expect(text).toMatch(/check it: npx tablesafe evidence verify reports\/r1 --offline/);
    expect(text).toMatch(/history {4}3 run\(s\) on this state dir: 11-27 16:01 FAILED 5 s · 11-27 16:30 PASSED 4 s \(pack INVALID\) · this run PASSED 2 s/);
    expect(summaryJson({ ...result, verify: { ...result.verify!, evidence } }).evidence).toEqual(evidence);
  });

  it('lists what is left running after an incomplete teardown', () => {
    expect(formatSummary({ ...result, leftState: ['sandbox on http://127.0.0.1:1'] })).toMatch(/still left:\n\s+- sandbox on http:\/\/127\.0\.0\.1:1/);
  });

  it('gives machines the phase timings by name', () => {
    expect(summaryJson(result).phases).toEqual({ synth: { ms: 900, ok: true }, apply: { ms: 65_000, ok: true } });
  });

  it('tells --keep users the AWS CLI commands and exports for the sandbox', () => {
    const text = formatKeepHelp({ endpoint: 'http://127.0.0.1:4566', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'us-east-1' }, tableName: 'tablesafe-demo-records', vaultName: 'v', stackDir: '/s', contractFile: '/c', outputsFile: '/o' });
    expect(text).toContain('aws --endpoint-url http://127.0.0.1:4566 dynamodb scan --table-name tablesafe-demo-records');
    expect(text).toContain('export AWS_ENDPOINT_URL=http://127.0.0.1:4566');
  });
});
