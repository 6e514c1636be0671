/**
 * The floors of shared/DESIGN.md, kept true: every relative import of the project's source points
 * to the same floor or one below, never up, and no source file imports itself through a cycle.
 * Reads the import graph from the sources with the TypeScript scanner (no type-check needed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

/** Bottom to top. A file may import its own floor and any floor listed before it. */
const FLOORS: readonly (readonly string[])[] = [
  ['core'],
  ['compliance'],
  ['modules'],
  ['stacks'],
  ['sandbox'],
  ['verify'],
  ['demo'],
  ['cli', 'main.ts', 'bin', 'index.ts'],
];

function floorOf(rel: string): number {
  const top = rel.split('/')[0];
  return FLOORS.findIndex((names) => names.includes(top));
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const names of FLOORS) {
    for (const name of names) {
      const abs = path.join(ROOT, name);
      if (!fs.existsSync(abs)) continue;
      if (fs.statSync(abs).isDirectory()) walk(name);
      else out.push(name);
    }
  }
  return out;
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`]) {
    const abs = path.join(ROOT, candidate);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
  }
  return undefined;
}

/** Relative imports, `require(...)`s and dynamic `import(...)`s of one file, resolved. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const info = ts.preProcessFile(text, true, true);
  const specs = info.importedFiles.map((f) => f.fileName);
  for (const m of text.matchAll(/\brequire(?:\.resolve)?\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => resolveRelative(file, s)).filter((s): s is string => s !== undefined);
}

function upwardImports(g: ReadonlyMap<string, readonly string[]>): string[] {
  const upward: string[] = [];
  for (const [from, targets] of g) {
    for (const to of targets) {
      const [a, b] = [floorOf(from), floorOf(to)];
      if (b === -1) upward.push(`${from} -> ${to} (outside every floor)`);
      else if (b > a) upward.push(`${from} (${FLOORS[a].join('/')}) -> ${to} (${FLOORS[b].join('/')})`);
    }
  }
  return upward;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('import graph', () => {
  it('reads a real graph: every floor has files and imports below it', () => {
    for (const names of FLOORS.slice(0, 7)) expect(files.some((f) => names.includes(f.split('/')[0]))).toBe(true);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
  });

  it('has no import that points to a higher floor', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const to of graph.get(f) ?? []) {
        if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].join(' -> '));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('catches an upward import and an import from outside every floor (the check itself works)', () => {
    const fake = new Map([
      ['core/errors.ts', ['verify/drill/drill.ts']],
      ['compliance/rules/index.ts', ['core/errors.ts', 'modules/table/table.ts']],
      ['demo/main-job.ts', ['sandbox/index.ts', 'test/helpers/synth.ts']],
    ]);
    expect(upwardImports(fake)).toEqual([
      'core/errors.ts (core) -> verify/drill/drill.ts (verify)',
      'compliance/rules/index.ts (compliance) -> modules/table/table.ts (modules)',
      'demo/main-job.ts -> test/helpers/synth.ts (outside every floor)',
    ]);
  });
});
