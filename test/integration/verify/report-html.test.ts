import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Report } from '../../../verify/report/report';
import { writeReport } from '../../../verify/report/writers';
import { passingReport, sampleReport } from '../../unit/verify/report-fixture';
import { CHROMIUM, chromium, layout as layoutPage } from '../helpers/chromium';

/** What a report adds to every page's measurements. */
interface ReportLayout {
  /** The first failed check's box, and the verdict's. */
  readonly firstFailed?: { readonly id: string; readonly top: number; readonly bottom: number };
  readonly verdict: { readonly text: string; readonly top: number; readonly bottom: number };
  /** What the browser parsed of the print styles: the page header's rule and text, and whether rows stay whole. */
  readonly print: { readonly headerPosition: string; readonly headerDisplay: string; readonly headerText: string; readonly rowBreakInside: string };
}

const REPORT_PROBE = `
  var f = d.querySelector('.failed-check'), v = d.getElementById('verdict');
  var box = function (el) { var r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
  var print = { headerPosition: '', headerDisplay: '', headerText: (d.querySelector('.print-header') || {}).textContent || '', rowBreakInside: '' };
  Array.prototype.forEach.call(d.styleSheets, function (sheet) {
    Array.prototype.forEach.call(sheet.cssRules, function (rule) {
      if (rule.selectorText === 'tr') print.rowBreakInside = rule.style.breakInside;
      if (rule.media && rule.media.mediaText === 'print') Array.prototype.forEach.call(rule.cssRules, function (inner) {
        if (inner.selectorText === '.print-header') { print.headerPosition = inner.style.position; print.headerDisplay = inner.style.display; }
      });
    });
  });
  return {
    print: print,
    firstFailed: f ? Object.assign({ id: f.getAttribute('data-check-id') }, box(f.querySelector('h3'))) : undefined,
    verdict: Object.assign({ text: v.textContent }, box(v)),
  };`;

/** report.html laid out at `width` × `height`, with the report's own measurements. */
const layout = (html: string, width: number, height: number) => layoutPage<ReportLayout>(html, width, height, { readySelector: '#verdict', probe: REPORT_PROBE });

describe('report.html in headless Chromium', () => {
  beforeAll(() => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  });

  const failed = sampleReport();
  const passed = passingReport();
  const html = (r: Report) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-html-'));
    writeReport(r, dir);
    return readFileSync(path.join(dir, 'report.html'), 'utf8');
  };

  it('renders the verdict, the failed checks with remedies and every check in the DOM', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-html-'));
    writeReport(failed, dir);
    const dom = chromium('--dump-dom', `file://${path.join(dir, 'report.html')}`);
    expect(dom).toMatch(/<span class="verdict FAILED" id="verdict">FAILED<\/span>/);
    for (const c of failed.checks) expect(dom).toContain(`data-check-id="${c.id}"`);
    expect(dom).toMatch(/<section class="failed-check" data-check-id="DATA-COUNT">/);
    expect(dom).toMatch(/RTO backup 42 s, pitr 55 s \(target 60 min\)/);
    expect(dom).toMatch(/LOCAL SANDBOX, not AWS/);
    expect(dom).not.toMatch(/<script>alert/);
  });

  describe.each<[string, Report]>([
    ['a failed run', failed],
    ['a passing run', passed],
  ])('%s', (_name, r) => {
    const page = html(r);

    it.each([
      [390, 844],
      [1280, 800],
    ])('has no horizontal overflow at %i px, shows the verdict (and the first failed check) in the first viewport, and keeps WCAG AA contrast', (width, height) => {
      const m = layout(page, width, height);
      expect(m.innerWidth).toBe(width);
      expect(m.overflowing).toEqual([]);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
      expect(m.verdict.text).toBe(r.verdictLabel);
      expect(m.verdict.bottom).toBeLessThanOrEqual(m.innerHeight);
      if (r.verdict === 'FAILED') {
        expect(m.firstFailed?.id).toBe(r.checks.find((c) => c.status === 'fail')?.id);
        expect(m.firstFailed!.top).toBeGreaterThanOrEqual(0);
        expect(m.firstFailed!.bottom).toBeLessThanOrEqual(m.innerHeight);
      } else {
        expect(m.firstFailed).toBeUndefined();
      }
      expect(m.external).toEqual([]);
      expect(m.lowContrast).toEqual([]);
      // Printed, a fixed header repeats on every page with the run id and verdict; rows stay whole.
      expect(m.print).toEqual({ headerPosition: 'fixed', headerDisplay: 'block', headerText: expect.stringContaining(`run ${r.runId} · ${r.verdictLabel}`), rowBreakInside: 'avoid' });
    });
  });

  it('the measurements notice sideways scroll, a failed check below the fold and low contrast', () => {
    const bad = html(failed)
      .replace('<main>', '<main><div style="width:600px;height:2000px;color:#aaaaaa">wide, tall and pale</div>')
      .replace('overflow-wrap:anywhere}', '}');
    const m = layout(bad, 390, 844);
    expect(m.overflowing.length).toBeGreaterThan(0);
    expect(m.scrollWidth).toBeGreaterThan(m.clientWidth);
    expect(m.firstFailed!.top).toBeGreaterThan(m.innerHeight);
    expect(m.lowContrast.join('\n')).toMatch(/^div\. 2\.\d+ \(rgb\(170, 170, 170\)/m);
  });

  it('takes a non-trivial screenshot', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-html-'));
    writeReport(failed, dir);
    const png = path.join(dir, 'report.png');
    chromium(`--screenshot=${png}`, '--window-size=1200,1600', `file://${path.join(dir, 'report.html')}`);
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});
