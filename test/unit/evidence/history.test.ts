import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PassThrough } from 'node:stream';
import { sealPack } from '../../../verify/evidence/seal';
import { buildHistory, findPackDirs, renderHistoryHtml, renderHistoryMarkdown, rtoChartSvg } from '../../../verify/evidence/history';
import { controlsForCheck } from '../../../verify/evidence/controls';
import { runEvidenceCli } from '../../../cli/evidence';
import { buildReport } from '../../../verify/report/report';
import { check } from '../../../verify/checks/check';
import { evidenceContract, flipVerdictAndRehash, sampleReport, writePack } from '../../helpers/evidence-packs';
import { SANDBOX_PROVENANCE } from '../verify/report-fixture';
import { fakeKms, FAKE_KEY_ARN } from './kms-fake';

const s3 = new S3Client({ region: 'us-east-1' });
const NOW = new Date('2026-11-27T12:00:00.000Z');

/** Three sealed demo runs (Nov 1 FAILED 42 s, Nov 2 PASSED 30 s, Nov 20 PASSED 35 s) and a prod run without a drill. */
async function packs(): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'tablesafe-history-'));
  const { kms } = fakeKms();
  const runs = [
    sampleReport('20261101t000000-aaaaaa', 'demo', { failed: true, startedAt: '2026-11-01T00:00:00.000Z', rtoSeconds: 42 }),
    sampleReport('20261102t000000-bbbbbb', 'demo', { startedAt: '2026-11-02T00:00:00.000Z', rtoSeconds: 30 }),
    sampleReport('20261120t000000-cccccc', 'demo', { startedAt: '2026-11-20T00:00:00.000Z', rtoSeconds: 35 }),
    buildReport({ command: 'verify', runId: '20261121t000000-dddddd', stack: 'prod', environment: 'prod', region: 'us-east-1', startedAt: '2026-11-21T00:00:00.000Z', finishedAt: '2026-11-21T00:00:00.000Z', checks: [check('BACKUP-RPO', 'RPO', 'contract', { status: 'pass', message: 'ok' })], targets: { rpoMinutes: 60, rtoMinutes: 60 }, tables: [{ table: 'tablesafe-prod-records', region: 'us-east-1' }], provenance: SANDBOX_PROVENANCE }),
  ];
  for (const r of runs) {
    const dir = writePack(root, r);
    await sealPack({ dir, runId: r.runId, contract: evidenceContract(r.stack), outputs: { signingKeyArn: FAKE_KEY_ARN }, kms, s3 });
  }
  return root;
}

describe('buildHistory', () => {
  it('has one row per run, oldest first, each pack verified', async () => {
    const h = await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW });
    expect(h.runs.map((r) => [r.runId, r.stack, r.verdict, r.signature, r.rtoSeconds, r.itemsValidated])).toEqual([
      ['20261101t000000-aaaaaa', 'demo', 'FAILED', 'verified', 42, 5],
      ['20261102t000000-bbbbbb', 'demo', 'PASSED', 'verified', 30, 5],
      ['20261120t000000-cccccc', 'demo', 'PASSED', 'verified', 35, 5],
      ['20261121t000000-dddddd', 'prod', 'PASSED', 'verified', undefined, undefined],
    ]);
  });

  it('reports the last successful restore per table, trends and gaps against the cadence', async () => {
    const h = await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW, cadenceDays: 14 });
    expect(h.lastRestore).toEqual([{ table: 'demo-records', stack: 'demo', runId: '20261120t000000-cccccc', at: '2026-11-20T00:00:00.000Z', rtoSeconds: 35 }]);
    expect(h.trends).toEqual(['demo: 2 of 3 run(s) passed with a restore tested', 'demo: RTO 42 s → 35 s (faster; median 35 s, worst 42 s)', 'prod: 0 of 1 run(s) passed with a restore tested']);
    expect(h.gaps).toEqual([
      'demo: 18 days without a passing drill between 2026-11-02T00:00:00.000Z and 2026-11-20T00:00:00.000Z (cadence 14 days)',
      'prod: no passing drill in the last 14 days',
    ]);
  });

  it('uses the cadence the packs state (30 days) and keeps only runs since a date', async () => {
    const h = await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW, since: new Date('2026-11-10T00:00:00.000Z') });
    expect(h.runs.map((r) => r.runId)).toEqual(['20261120t000000-cccccc', '20261121t000000-dddddd']);
    expect(h.gaps).toEqual(['prod: no passing drill in the last 30 days']);
  });

  it('counts the controls each run evidences, passing only when every mapped check passed', async () => {
    const h = await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW });
    const row = (id: string) => h.controls.find((c) => c.control === id);
    expect(row('NIST SP 800-53 CP-4')).toEqual({ control: 'NIST SP 800-53 CP-4', title: 'Contingency plan testing', runs: 3, passing: 2, lastPassing: '2026-11-20T00:00:00.000Z' });
    expect(row('NIST SP 800-53 CP-9')).toMatchObject({ runs: 4, passing: 4 });
    expect(controlsForCheck('DRILL-RESTORE')).toContain('SOC 2 A1.3');
    expect(controlsForCheck('DRILL-CLEANUP')).toEqual(['NIST SP 800-53 CP-4']);
    expect(controlsForCheck('TABLE-TAGS')).toEqual([]);
  });

  it('marks a tampered pack INVALID, not a pass, and names why', async () => {
    const root = await packs();
    flipVerdictAndRehash(path.join(root, '20261101t000000-aaaaaa'));
    const h = await buildHistory({ dirs: findPackDirs(root), source: 'reports', now: NOW });
    const tampered = h.runs[0];
    expect(tampered).toMatchObject({ verdict: 'PASSED', signature: 'INVALID' });
    expect(tampered.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^file report\.json: SHA-256 mismatch/)]));
    expect(h.gaps).toContain('demo: 1 pack(s) fail verification and prove nothing: 20261101t000000-aaaaaa');
    expect(renderHistoryMarkdown(h)).toMatch(/## Packs that fail verification\n\n- 20261101t000000-aaaaaa: file /);
  });
});

describe('rendering', () => {
  it('Markdown has the run table with RTO measured vs target, RPO, items and data at risk', async () => {
    const md = renderHistoryMarkdown(await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW }));
    expect(md).toMatch(/^\| Date \| Stack \| Run \| Verdict \| Signature \| RTO measured \/ target \| RPO \/ target \| Items validated \| Data at risk \|$/m);
    expect(md).toMatch(/^\| 2026-11-02T00:00:00.000Z \| demo \| 20261102t000000-bbbbbb \| PASSED \| verified \| 30 s \/ 15 min \| 10 min \/ 60 min \| 5 \| none \|$/m);
    expect(md).toMatch(/^\| 2026-11-21T00:00:00.000Z \| prod \| 20261121t000000-dddddd \| PASSED \(no restore tested\) \|/m);
  });

  it('HTML is self-contained with an inline SVG RTO chart: a point per measured run, failures marked, the target dashed', async () => {
    const h = await buildHistory({ dirs: findPackDirs(await packs()), source: 'reports', now: NOW });
    const html = renderHistoryHtml(h);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const svg = rtoChartSvg(h);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/fill="#b00020"/g)).toHaveLength(1);
    expect(svg).toMatch(/stroke-dasharray="6 4"><title>demo target 900 s<\/title>/);
    expect(html).toContain(svg);
  });
});

describe('tablesafe evidence (CLI)', () => {
  const io = (cwd: string) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    return { io: { stdout, stderr, cwd }, out: () => out, err: () => err };
  };

  it('verify exits 0 on an intact pack (offline) and 1 on a tampered one', async () => {
    const root = await packs();
    const ok = io(root);
    expect(await runEvidenceCli(['verify', '20261102t000000-bbbbbb', '--offline'], ok.io)).toBe(0);
    flipVerdictAndRehash(path.join(root, '20261101t000000-aaaaaa'));
    const bad = io(root);
    expect(await runEvidenceCli(['verify', '20261101t000000-aaaaaa', '--offline'], bad.io)).toBe(1);
    expect(bad.out()).toMatch(/^FAIL file report\.json: SHA-256 mismatch/m);
  });

  it('list prints a line per run and each gap; exit 1 on a gap', async () => {
    const root = await packs();
    const c = io(root);
    expect(await runEvidenceCli(['list', '--dir', root, '--offline', '--stack', 'prod'], c.io)).toBe(1);
    expect(c.out()).toMatch(/^2026-11-21T00:00:00.000Z {2}prod {2}20261121t000000-dddddd {2}PASSED \(no restore tested\) {2}verified/m);
    expect(c.out()).toMatch(/^GAP prod: no passing drill in the last 30 days$/m);
  });

  it.each([
    [['frobnicate'], /unknown subcommand "frobnicate"/],
    [['list', '--dir', 'a', '--bucket', 'b'], /--bucket: "b" is invalid: give --dir or --bucket, not both/],
    [['verify', 'x', '--since', '90d'], /--since: not an option of tablesafe evidence verify/],
    [['list', '--since', 'soon'], /--since: "soon" is invalid: use a duration such as 90s, 30m, 2h or 1d/],
  ])('usage errors exit 2 with one line: %p', async (argv, message) => {
    const c = io(mkdtempSync(path.join(tmpdir(), 'tablesafe-cli-')));
    expect(await runEvidenceCli(argv as string[], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
  });
});
