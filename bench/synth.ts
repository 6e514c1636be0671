/**
 * Synth benchmark: the full `prod` stack vs a one-table stack built with the same imports,
 * measured in one run (alternating, median of N), printed as ratios. Target: ≤ 1.5× for wall
 * time and for peak RSS.
 *
 *   npx ts-node --transpile-only bench/synth.ts [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Sample {
  variant: string;
  wallMs: number;
  synthMs: number;
  maxRssKb: number;
}

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const TARGET = 1.5;

function once(variant: 'prod' | 'one-table'): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-synth-${variant}-`));
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-child.ts'), variant, outdir], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  const child = JSON.parse(out.trim().split('\n').pop()!);
  return { variant, wallMs, synthMs: child.synthMs, maxRssKb: child.maxRssKb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const samples: Record<string, Sample[]> = { prod: [], 'one-table': [] };
once('one-table'); // warm the file cache for both
for (let i = 0; i < runs; i++) {
  for (const v of (i % 2 ? ['prod', 'one-table'] : ['one-table', 'prod']) as ('prod' | 'one-table')[]) samples[v].push(once(v));
}

const summary = Object.fromEntries(
  Object.entries(samples).map(([v, s]) => [v, { wallMs: median(s.map((x) => x.wallMs)), synthMs: median(s.map((x) => x.synthMs)), maxRssMb: median(s.map((x) => x.maxRssKb)) / 1024 }]),
);
const wallRatio = summary.prod.wallMs / summary['one-table'].wallMs;
const rssRatio = summary.prod.maxRssMb / summary['one-table'].maxRssMb;
const row = (v: string) => `${v.padEnd(10)} wall ${summary[v].wallMs.toFixed(0).padStart(6)} ms   construct+synth ${summary[v].synthMs.toFixed(0).padStart(5)} ms   peak RSS ${summary[v].maxRssMb.toFixed(0).padStart(4)} MB`;
console.log(`synth benchmark (median of ${runs} alternating runs, one process per synth)`);
console.log(row('one-table'));
console.log(row('prod'));
console.log(`wall time ratio prod/one-table: ${wallRatio.toFixed(2)}x (target <= ${TARGET}x) ${wallRatio <= TARGET ? 'OK' : 'OVER'}`);
console.log(`peak RSS ratio  prod/one-table: ${rssRatio.toFixed(2)}x (target <= ${TARGET}x) ${rssRatio <= TARGET ? 'OK' : 'OVER'}`);
