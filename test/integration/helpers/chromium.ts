/**
 * Headless Chromium for report tests: run it on a page, or lay a page out at a given size and
 * measure what a reader would notice (sideways scroll, low contrast, external references).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { escapeHtml } from '../../../verify/report/writers';

export const CHROMIUM = '/usr/bin/chromium';

export function chromium(...args: string[]): string {
  const userDir = mkdtempSync(path.join(tmpdir(), 'ts-chr-'));
  return execFileSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${userDir}`, ...args],
    { timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
}

/** What every page is measured on. */
export interface PageLayout {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly clientWidth: number;
  readonly scrollWidth: number;
  /** Elements whose right edge passes the viewport: tag#id.class and how far. */
  readonly overflowing: readonly string[];
  /** Every src and href in the page. */
  readonly external: readonly string[];
  /** Text below WCAG AA contrast against its effective background: `tag.class ratio (fg on bg)`. */
  readonly lowContrast: readonly string[];
}

/**
 * Lays `html` out in headless Chromium at `width` × `height` and returns the measurements, plus
 * whatever `probe` (a script body with `w` the page's window and `d` its document in scope, ending
 * in `return {...}`) returns. The page goes into an iframe of exactly that size (headless windows
 * are at least 500 px wide); a srcdoc frame shares the harness's origin, so the harness script can
 * measure inside it and writes the result into the DOM that --dump-dom prints. The measured page
 * itself runs no script. `readySelector` names an element the page has once it is parsed.
 */
export function layout<T extends object = object>(html: string, width: number, height: number, options: { readySelector: string; probe?: string }): PageLayout & T {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-layout-'));
  const harness = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:${width}px;height:${height}px;border:0;display:block" srcdoc="${escapeHtml(html)}"></iframe>
<pre id="probe">pending</pre>
<script>
function extra(w, d) { ${options.probe ?? 'return {};'} }
function measure() {
  var w = document.getElementById('f').contentWindow, d = w.document, de = d.documentElement;
  var overflowing = [];
  d.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > de.clientWidth + 0.5) overflowing.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' +' + Math.round(r.right - de.clientWidth) + 'px');
  });
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
    // SVG text is painted with fill, not color.
    if (el instanceof w.SVGElement) { if (cs.fill.indexOf('rgb') !== 0) return; fg = rgb(cs.fill); }
    for (var p = el; p && !bg; p = p.parentElement) { var b = rgb(w.getComputedStyle(p).backgroundColor); if (b.a > 0) bg = b; }
    bg = bg || { r: 255, g: 255, b: 255 };
    var l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    var size = parseFloat(cs.fontSize), large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    var cls = typeof el.className === 'string' ? el.className : '';
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(el.tagName.toLowerCase() + '.' + cls + ' ' + ratio.toFixed(2) + ' (' + (el instanceof w.SVGElement ? cs.fill : cs.color) + ' on ' + JSON.stringify(bg) + ')');
  });
  var result = Object.assign({
    lowContrast: lowContrast.slice(0, 20),
    innerWidth: w.innerWidth, innerHeight: w.innerHeight, clientWidth: de.clientWidth, scrollWidth: de.scrollWidth, overflowing: overflowing.slice(0, 20),
    external: external,
  }, extra(w, d));
  document.getElementById('probe').textContent = JSON.stringify(result);
}
var frame = document.getElementById('f');
if (frame.contentDocument && frame.contentDocument.readyState === 'complete' && frame.contentDocument.querySelector(${JSON.stringify(options.readySelector)})) measure();
else frame.addEventListener('load', measure);
</script></body></html>`;
  const file = path.join(dir, 'harness.html');
  writeFileSync(file, harness);
  const dom = chromium('--window-size=1400,1000', '--virtual-time-budget=5000', '--dump-dom', `file://${file}`);
  const m = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
  if (!m || m[1] === 'pending') throw new Error(`no measurements in the dumped DOM: ${dom.slice(0, 500)}`);
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as PageLayout & T;
}
