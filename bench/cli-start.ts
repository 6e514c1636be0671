/**
 * CLI start-up benchmark: the `tablesafe` binary running compiled JavaScript from dist/ versus the
 * previous binary, which compiled the TypeScript sources at every start with ts-node
 * (`require('ts-node').register({ transpileOnly: true }); require('../cli/main').main(argv)`,
 * replicated by a shim in a temp dir). Cold starts — one fresh node process per sample, file
 * cache warm — of `tablesafe --help` and of `tablesafe check` on a freshly synthesized `dev` stack
 * directory. Median of N alternating runs; prints the ratio measured in this run.
 *
 *   npx ts-node --transpile-only bench/cli-start.ts [--runs 7]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthStacks } from '../demo/synth';

const root = path.join(__dirname, '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-start-'));

// The compiled binary needs a current dist/ (incremental: about half a second when it is).
require('../scripts/build').build();

const oldBin = path.join(work, 'tablesafe-ts-node.js');
fs.writeFileSync(
  oldBin,
  `'use strict';
require(${JSON.stringify(require.resolve('ts-node', { paths: [root] }))}).register({
  transpileOnly: true,
  project: ${JSON.stringify(path.join(root, 'tsconfig.json'))},
  compilerOptions: { module: 'commonjs' },
});
require(${JSON.stringify(path.join(root, 'cli', 'main'))}).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
`,
);
const newBin = path.join(root, 'bin', 'tablesafe.js');

const stackDir = synthStacks({ outdir: path.join(work, 'cdktf.out'), stacks: ['dev'], env: {} }).dev;

type Variant = 'compiled' | 'ts-node';
const BINS: Record<Variant, string> = { compiled: newBin, 'ts-node': oldBin };
const COMMANDS: Record<string, string[]> = { '--help': ['--help'], check: ['check', stackDir] };

function once(variant: Variant, args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BINS[variant], ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${variant} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results: { command: string; compiled: number; tsNode: number }[] = [];
try {
  for (const [name, args] of Object.entries(COMMANDS)) {
    const samples: Record<Variant, number[]> = { compiled: [], 'ts-node': [] };
    once('compiled', args); // warm the file cache for both
    once('ts-node', args);
    for (let i = 0; i < runs; i++) {
      for (const v of (i % 2 ? ['ts-node', 'compiled'] : ['compiled', 'ts-node']) as Variant[]) samples[v].push(once(v, args));
    }
    results.push({ command: name, compiled: median(samples.compiled), tsNode: median(samples['ts-node']) });
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`tablesafe start-up (median of ${runs} alternating cold starts, one node process each)`);
for (const r of results) {
  const ratio = r.tsNode / r.compiled;
  console.log(
    `tablesafe ${r.command.padEnd(7)} compiled ${r.compiled.toFixed(0).padStart(5)} ms   ts-node ${r.tsNode.toFixed(0).padStart(5)} ms   ts-node/compiled ${ratio.toFixed(2)}x ${ratio > 1 ? 'compiled faster' : 'NOT FASTER'}`,
  );
}
process.exitCode = results.every((r) => r.tsNode > r.compiled) ? 0 : 1;
