/**
 * The one JUnit XML writer: verify's report (one test case per check) and the compliance report
 * (one per finding) both render through it, so CI systems read them the same way.
 */

/**
 * Text safe for an XML 1.0 attribute or element: characters XML 1.0 forbids (C0 controls other
 * than tab, newline and carriage return) are dropped, markup characters escaped.
 */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  /** A failed case: `message` as the attribute, `text` as the body. */
  readonly failure?: { readonly message: string; readonly type?: string; readonly text: string };
  readonly skipped?: { readonly message: string };
  /** Output shown with a passing case (e.g. a warning). */
  readonly systemOut?: string;
}

export interface JunitSuite {
  readonly name: string;
  /** ISO 8601 start time. */
  readonly timestamp?: string;
  readonly cases: readonly JunitCase[];
}

export interface JunitDocument {
  readonly name: string;
  readonly suites: readonly JunitSuite[];
}

function counts(cases: readonly JunitCase[]): string {
  return `tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" skipped="${cases.filter((c) => !c.failure && c.skipped).length}"`;
}

function renderCase(c: JunitCase): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}">`;
  const inner: string[] = [];
  if (c.failure) {
    const type = c.failure.type === undefined ? '' : ` type="${escapeXml(c.failure.type)}"`;
    inner.push(`<failure message="${escapeXml(c.failure.message)}"${type}>${escapeXml(c.failure.text)}</failure>`);
  } else if (c.skipped) {
    inner.push(`<skipped message="${escapeXml(c.skipped.message)}"/>`);
  }
  if (c.systemOut !== undefined) inner.push(`<system-out>${escapeXml(c.systemOut)}</system-out>`);
  return inner.length ? `${open}\n${inner.map((l) => `      ${l}\n`).join('')}    </testcase>` : `${open}</testcase>`;
}

export function renderJunit(doc: JunitDocument): string {
  const all = doc.suites.flatMap((s) => s.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(doc.name)}" ${counts(all)}>`,
    ...doc.suites.flatMap((s) => [
      `  <testsuite name="${escapeXml(s.name)}" ${counts(s.cases)}${s.timestamp === undefined ? '' : ` timestamp="${escapeXml(s.timestamp)}"`}>`,
      ...s.cases.map(renderCase),
      '  </testsuite>',
    ]),
    '</testsuites>',
    '',
  ].join('\n');
}
