/**
 * The drill history page (`tablesafe evidence history --format html`) as an auditor opens it: on a
 * phone and on a desktop, it scrolls only down, keeps WCAG AA contrast (the RTO chart's labels too),
 * loads nothing from elsewhere, and draws one point per measured restore.
 */
import { existsSync } from 'node:fs';
import type { History, HistoryRun } from '../../../verify/evidence/history';
import { renderHistoryHtml } from '../../../verify/evidence/history';
import { CHROMIUM, layout } from '../helpers/chromium';

const run = (o: Partial<HistoryRun> & Pick<HistoryRun, 'runId' | 'stack' | 'startedAt' | 'verdict'>): HistoryRun => ({
  dir: `reports/${o.runId}`,
  signature: 'verified',
  problems: [],
  restoreTested: true,
  checks: [],
  rtoTargetMinutes: 60,
  rpoTargetMinutes: 60,
  ...o,
});

/** A long history: two stacks, failed and passing runs, a pack that fails verification, long unbroken texts. */
function history(): History {
  const runs: HistoryRun[] = [];
  for (let i = 0; i < 24; i++) {
    const day = String(1 + i).padStart(2, '0');
    runs.push(run({
      runId: `202611${day}t000000-${'abcdef'[i % 6].repeat(6)}`,
      stack: i % 2 ? 'prod' : 'demo',
      startedAt: `2026-11-${day}T00:00:00.000Z`,
      verdict: i % 5 === 0 ? 'FAILED' : 'PASSED',
      table: i % 2 ? 'tablesafe-prod-records-with-a-rather-long-name-for-a-narrow-screen' : 'demo-records',
      rtoSeconds: 30 + ((i * 7) % 40),
      rpoMinutes: 5,
      itemsValidated: 1000 + i,
      dataAtRisk: i % 5 === 0 ? 'items written after arn:aws:backup:us-east-1:111122223333:recovery-point:0123456789abcdef0123456789abcdef' : undefined,
    }));
  }
  runs.push(run({ runId: '20261126t000000-ffffff', stack: 'prod', startedAt: '2026-11-26T00:00:00.000Z', verdict: 'PASSED', signature: 'INVALID', problems: ['report.json: sha256 differs from the manifest (the file changed after sealing)'], restoreTested: false }));
  return {
    generatedAt: '2026-11-27T12:00:00.000Z',
    source: 's3://tablesafe-evidence-111122223333-us-east-1-with-a-long-bucket-name/evidence/',
    runs,
    trends: ['demo: 10 of 12 run(s) passed with a restore tested', 'prod: RTO 37 s → 65 s (slower; median 51 s, worst 69 s)'],
    lastRestore: [{ table: 'demo-records', stack: 'demo', runId: '20261123t000000-eeeeee', at: '2026-11-23T00:00:00.000Z', rtoSeconds: 44 }],
    gaps: ['prod: 18 days without a passing drill between 2026-11-02T00:00:00.000Z and 2026-11-20T00:00:00.000Z (cadence 14 days)'],
    controls: [{ control: 'SOC 2 A1.3', title: 'Recovery plan testing: backups are restored and checked periodically', runs: 24, passing: 19, lastPassing: '2026-11-24T00:00:00.000Z' }],
  };
}

interface HistoryLayout {
  readonly headings: readonly string[];
  readonly chart: { readonly width: number; readonly height: number; readonly points: number; readonly lines: number };
}

const PROBE = `
  var svg = d.querySelector('svg'), r = svg.getBoundingClientRect();
  return {
    headings: Array.prototype.map.call(d.querySelectorAll('h2'), function (h) { return h.textContent; }),
    chart: { width: Math.round(r.width), height: Math.round(r.height), points: svg.querySelectorAll('circle').length, lines: svg.querySelectorAll('polyline').length },
  };`;

describe('the drill history page in headless Chromium', () => {
  beforeAll(() => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  });

  const h = history();
  const page = renderHistoryHtml(h);

  it.each([
    [390, 844],
    [1280, 800],
  ])('at %i px: no sideways scroll, AA contrast, nothing external, one chart point per measured restore', (width, height) => {
    const m = layout<HistoryLayout>(page, width, height, { readySelector: 'svg', probe: PROBE });
    expect(m.innerWidth).toBe(width);
    expect(m.overflowing).toEqual([]);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
    expect(m.lowContrast).toEqual([]);
    expect(m.external).toEqual([]);
    expect(m.headings).toEqual(['Gaps', 'RTO trend', 'Runs', 'Trends', 'Last successful restore per table', 'Controls evidenced', 'Packs that fail verification']);
    expect(m.chart.points).toBe(h.runs.filter((r) => r.rtoSeconds !== undefined).length);
    expect(m.chart.lines).toBe(2);
    // The chart fits the page and keeps its proportions (640 × 220).
    expect(m.chart.width).toBeLessThanOrEqual(m.clientWidth);
    expect(m.chart.width).toBeGreaterThan(width / 2);
    expect(m.chart.height / m.chart.width).toBeCloseTo(220 / 640, 1);
  });

  it('the measurements notice sideways scroll and pale text on this page too, in the chart as well', () => {
    // A pale page element, and the first stack's chart colour (its label's fill) made pale.
    const bad = page.replace('<h1>', '<div style="width:900px;color:#bbbbbb">wide and pale</div><h1>').replace(/#1f5fa8/g, '#cccccc');
    const m = layout(bad, 390, 844, { readySelector: 'svg' });
    expect(m.overflowing.length).toBeGreaterThan(0);
    expect(m.scrollWidth).toBeGreaterThan(m.clientWidth);
    expect(m.lowContrast.join('\n')).toMatch(/^div\. 1\.\d+ \(rgb\(187, 187, 187\)/m);
    expect(m.lowContrast.join('\n')).toMatch(/^text\. 1\.\d+ \(rgb\(204, 204, 204\)/m);
  });
});
