import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeReport } from '../../../verify/report/writers';
import { sampleReport } from '../../unit/verify/report-fixture';

const CHROMIUM = '/usr/bin/chromium';

function chromium(userDir: string, ...args: string[]): string {
  return execFileSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${userDir}`, ...args],
    { timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
}

describe('report.html in headless Chromium', () => {
  const report = sampleReport();
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-html-'));
  writeReport(report, dir);
  const url = `file://${path.join(dir, 'report.html')}`;

  beforeAll(() => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  });

  it('renders the verdict and every check in the DOM', () => {
    const dom = chromium(mkdtempSync(path.join(tmpdir(), 'ts-chr-')), '--dump-dom', url);
    expect(dom).toMatch(/<span class="verdict FAILED" id="verdict">FAILED<\/span>/);
    for (const c of report.checks) {
      expect(dom).toContain(`data-check-id="${c.id}"`);
      expect(dom).toContain(c.title.replace(/&/g, '&amp;'));
    }
    expect(dom).toMatch(/RTO backup 42 s, pitr 55 s \(target 60 min\)/);
    expect(dom).toMatch(/<table id="paths">/);
    expect(dom).not.toMatch(/<script>alert/);
  });

  it('takes a non-trivial screenshot', () => {
    const png = path.join(dir, 'report.png');
    chromium(mkdtempSync(path.join(tmpdir(), 'ts-chr-')), `--screenshot=${png}`, '--window-size=1200,1600', url);
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});
