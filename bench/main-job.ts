/**
 * Main-job benchmark: runs `tablesafe demo` (what `npm start` runs) once as CI does and prints the
 * wall time of each phase, the slowest phase, the whole run against the 3-minute target, and
 * tablesafe's own share — everything but terraform (init, apply, destroy, the disaster's re-apply
 * and plan) and the restore wait (the drill's restore job, the disaster's restore) — against 25 %.
 *
 *   TF_PLUGIN_DIR=/opt/tf-plugins npx ts-node --transpile-only bench/main-job.ts [--scenario drill|disaster] [--items N]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RUN_TARGET_MS = 3 * 60_000;
const OWN_SHARE_TARGET = 0.25;
const PHASES = ['synth', 'sandbox', 'init', 'apply', 'seed', 'backup', 'disaster', 'verify', 'destroy', 'stop'] as const;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<number> {
  const root = path.join(__dirname, '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-main-job-'));
  const args = ['bin/tablesafe.js', 'demo', '--json', '--scenario', arg('--scenario', 'drill'), '--items', arg('--items', '5'), '--workdir', path.join(work, 'demo'), '--out', path.join(work, 'reports')];
  const started = process.hrtime.bigint();
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out }));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(work, { recursive: true, force: true });
  const summary = JSON.parse(stdout) as {
    verdict: string;
    phases: Record<string, { ms: number; ok: boolean }>;
    restoreWaitSeconds?: number;
    disaster?: { restoreSeconds?: number; terraformMs: number };
  };
  const ms = (p: string) => summary.phases[p]?.ms ?? 0;
  const rows = PHASES.filter((p) => summary.phases[p]);
  const slowest = rows.reduce((a, b) => (ms(b) > ms(a) ? b : a), rows[0]);
  const terraformMs = ms('init') + ms('apply') + ms('destroy') + (summary.disaster?.terraformMs ?? 0);
  const restoreWaitMs = ((summary.restoreWaitSeconds ?? 0) + (summary.disaster?.restoreSeconds ?? 0)) * 1000;
  const ownMs = wallMs - terraformMs - restoreWaitMs;

  console.log(`\nmain job (${arg('--scenario', 'drill')}, ${arg('--items', '5')} items): ${summary.verdict}, exit ${code}\n`);
  for (const p of rows) console.log(`  ${p.padEnd(9)} ${(ms(p) / 1000).toFixed(1).padStart(7)} s${p === slowest ? '   ← slowest' : ''}`);
  console.log(`  ${'other'.padEnd(9)} ${((wallMs - rows.reduce((t, p) => t + ms(p), 0)) / 1000).toFixed(1).padStart(7)} s   (node start-up, module loading, summary)`);
  console.log(`\n  whole run        ${(wallMs / 1000).toFixed(1)} s = ${(wallMs / RUN_TARGET_MS).toFixed(2)}× the 3-minute target ${wallMs <= RUN_TARGET_MS ? '(met)' : '(MISSED)'}`);
  console.log(`  terraform        ${(terraformMs / 1000).toFixed(1)} s`);
  console.log(`  restore wait     ${(restoreWaitMs / 1000).toFixed(1)} s`);
  console.log(`  tablesafe's own  ${(ownMs / 1000).toFixed(1)} s = ${((100 * ownMs) / wallMs).toFixed(1)} % of the run; target ≤ ${OWN_SHARE_TARGET * 100} % ${ownMs / wallMs <= OWN_SHARE_TARGET ? '(met)' : '(MISSED)'}`);
  return code ?? 2;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench/main-job: ${(e as Error).message}`);
    process.exitCode = 2;
  },
);
