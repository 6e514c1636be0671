import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Report } from '../../../verify/report/report';
import { escapeHtml, writeReport } from '../../../verify/report/writers';
import { passingReport, sampleReport } from '../../unit/verify/report-fixture';

const CHROMIUM = '/usr/bin/chromium';

function chromium(...args: string[]): string {
  const userDir = mkdtempSync(path.join(tmpdir(), 'ts-chr-'));
  return execFileSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${userDir}`, ...args],
    { timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
}

interface Layout {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly clientWidth: number;
  readonly scrollWidth: number;
  /** Elements whose right edge passes the viewport: tag#id.class and how far. */
  readonly overflowing: readonly string[];
  /** The first failed check's box, and the verdict's. */
  readonly firstFailed?: { readonly id: string; readonly top: number; readonly bottom: number };
  readonly verdict: { readonly text: string; readonly top: number; readonly bottom: number };
  readonly external: readonly string[];
  /** Text below WCAG AA contrast against its effective background: `tag.class ratio (fg on bg)`. */
  readonly lowContrast: readonly string[];
  /** What the browser parsed of the print styles: the page header's rule and text, and whether rows stay whole. */
  readonly print: { readonly headerPosition: string; readonly headerDisplay: string; readonly headerText: string; readonly rowBreakInside: string };
}

/**
 * Lays report.html out in headless Chromium at `width` × `height` and returns measurements. The
 * report goes into an iframe of exactly that size (headless windows are at least 500 px wide);
 * a srcdoc frame shares the harness's origin, so the harness script can measure inside it and
 * writes the result into the DOM that --dump-dom prints. The report itself runs no script.
 */
function layout(html: string, width: number, height: number): Layout {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-layout-'));
  const harness = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:${width}px;height:${height}px;border:0;display:block" srcdoc="${escapeHtml(html)}"></iframe>
<pre id="probe">pending</pre>
<script>
function measure() {
  var w = document.getElementById('f').contentWindow, d = w.document, de = d.documentElement;
  var overflowing = [];
  d.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > de.clientWidth + 0.5) overflowing.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' +' + Math.round(r.right - de.clientWidth) + 'px');
  });
  var f = d.querySelector('.failed-check'), v = d.getElementById('verdict');
  var box = function (el) { var r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
  var external = [];
  d.querySelectorAll('[src],[href]').forEach(function (el) { external.push(el.getAttribute('src') || el.getAttribute('href')); });
  // WCAG 2.x contrast of every element's own text against the first opaque background behind it.
  var rgb = function (c) { var m = c.match(/[0-9.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
  var lin = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  var lum = function (c) { return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b); };
  var lowContrast = [];
  d.querySelectorAll('body *').forEach(function (el) {
    var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    if (!own || el.getClientRects().length === 0) return;
    var cs = w.getComputedStyle(el), fg = rgb(cs.color), bg = null;
    for (var p = el; p && !bg; p = p.parentElement) { var b = rgb(w.getComputedStyle(p).backgroundColor); if (b.a > 0) bg = b; }
    bg = bg || { r: 255, g: 255, b: 255 };
    var l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    var size = parseFloat(cs.fontSize), large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + ratio.toFixed(2) + ' (' + cs.color + ' on ' + JSON.stringify(bg) + ')');
  });
  var print = { headerPosition: '', headerDisplay: '', headerText: (d.querySelector('.print-header') || {}).textContent || '', rowBreakInside: '' };
  Array.prototype.forEach.call(d.styleSheets, function (sheet) {
    Array.prototype.forEach.call(sheet.cssRules, function (rule) {
      if (rule.selectorText === 'tr') print.rowBreakInside = rule.style.breakInside;
      if (rule.media && rule.media.mediaText === 'print') Array.prototype.forEach.call(rule.cssRules, function (inner) {
        if (inner.selectorText === '.print-header') { print.headerPosition = inner.style.position; print.headerDisplay = inner.style.display; }
      });
    });
  });
  document.getElementById('probe').textContent = JSON.stringify({
    print: print,
    lowContrast: lowContrast.slice(0, 20),
    innerWidth: w.innerWidth, innerHeight: w.innerHeight, clientWidth: de.clientWidth, scrollWidth: de.scrollWidth, overflowing: overflowing.slice(0, 20),
    firstFailed: f ? Object.assign({ id: f.getAttribute('data-check-id') }, box(f.querySelector('h3'))) : undefined,
    verdict: Object.assign({ text: v.textContent }, box(v)),
    external: external,
  });
}
var frame = document.getElementById('f');
if (frame.contentDocument && frame.contentDocument.readyState === 'complete' && frame.contentDocument.getElementById('verdict')) measure();
else frame.addEventListener('load', measure);
</script></body></html>`;
  const file = path.join(dir, 'harness.html');
  writeFileSync(file, harness);
  const dom = chromium('--window-size=1400,1000', '--virtual-time-budget=5000', '--dump-dom', `file://${file}`);
  const m = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
  if (!m || m[1] === 'pending') throw new Error(`no measurements in the dumped DOM: ${dom.slice(0, 500)}`);
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Layout;
}

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
