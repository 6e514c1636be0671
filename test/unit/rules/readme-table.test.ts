/**
 * The README's rule table is the catalog users read (ids, titles, each pack's severity, the controls
 * a rule maps to, why it exists): it must be exactly what the rules and packs render, so a rule's
 * wording, severity or mapping never changes without the README showing it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderPackTable } from '../../../compliance/rules/packs';

const README = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

/** The README's table that starts with the rendered header line. */
function readmeTable(header: string): string {
  const start = README.indexOf(header);
  if (start < 0) throw new Error('README.md has no rule table (regenerate it: npx ts-node --transpile-only compliance/rules/render-readme-table.ts)');
  const lines = README.slice(start).split('\n');
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return lines.slice(0, end < 0 ? lines.length : end).join('\n');
}

describe('README rule table', () => {
  it('is the table the rules and packs render (regenerate it with compliance/rules/render-readme-table.ts)', () => {
    const rendered = renderPackTable();
    expect(readmeTable(rendered.split('\n')[0])).toBe(rendered);
  });
});
