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
  /** The test could not run to a verdict (a timeout, access denied): `<error>`, counted in `errors`, not `failures`. */
  readonly error?: { readonly message: string; readonly type?: string; readonly text: string };
  readonly skipped?: { readonly message: string };
  /** Seconds the case took. @default 0 */
  readonly time?: number;
  /** Output shown with a passing case (e.g. a warning). */
  readonly systemOut?: string;
}

export interface JunitSuite {
  readonly name: string;
  /** ISO 8601 start time. */
  readonly timestamp?: string;
  /** Seconds the suite took. @default the sum of its cases' times */
  readonly time?: number;
  /** Host the suite ran on. */
  readonly hostname?: string;
  /** `<properties>`: facts about the run (id, account, versions), in order. */
  readonly properties?: readonly (readonly [string, string])[];
  readonly cases: readonly JunitCase[];
}

export interface JunitDocument {
  readonly name: string;
  readonly suites: readonly JunitSuite[];
}

const seconds = (s: number) => (Math.round(s * 1000) / 1000).toFixed(3);
const caseTime = (c: JunitCase) => (c.time !== undefined && Number.isFinite(c.time) && c.time > 0 ? c.time : 0);

function counts(cases: readonly JunitCase[]): string {
  const errors = cases.filter((c) => c.error).length;
  const failures = cases.filter((c) => !c.error && c.failure).length;
  return `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${cases.filter((c) => !c.error && !c.failure && c.skipped).length}"`;
}

function renderCase(c: JunitCase): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${seconds(caseTime(c))}">`;
  const inner: string[] = [];
  if (c.error) {
    const type = c.error.type === undefined ? '' : ` type="${escapeXml(c.error.type)}"`;
    inner.push(`<error message="${escapeXml(c.error.message)}"${type}>${escapeXml(c.error.text)}</error>`);
  } else if (c.failure) {
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
      `  <testsuite name="${escapeXml(s.name)}" ${counts(s.cases)} time="${seconds(s.time ?? s.cases.reduce((t, c) => t + caseTime(c), 0))}"${s.timestamp === undefined ? '' : ` timestamp="${escapeXml(s.timestamp)}"`}${
        s.hostname === undefined ? '' : ` hostname="${escapeXml(s.hostname)}"`
      }>`,
      ...(s.properties?.length ? ['    <properties>', ...s.properties.map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`), '    </properties>'] : []),
      ...s.cases.map(renderCase),
      '  </testsuite>',
    ]),
    '</testsuites>',
    '',
  ].join('\n');
}
