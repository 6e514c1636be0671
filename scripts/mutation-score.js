#!/usr/bin/env node
// The mutation score of the verdict code, from one or more mutation reports (mutation-testing-report
// schema, as `npm run test:mutation` writes them). A run split into parts (`--mutate <files>`, each
// part with its own `--incrementalFile`) leaves one report per part; this merges them, the newest
// report winning for a file measured twice, and prints the score per file and overall.
//
//   node scripts/mutation-score.js [--survivors] [report.json ...]
//
// Without report arguments it reads every .tablesafe/mutation/*.json. Score = detected / valid,
// where detected is Killed + Timeout and valid adds Survived and NoCoverage (as the report's own
// score). --survivors lists each surviving and uncovered mutant with its line and replacement.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function reportFiles(args) {
  if (args.length > 0) return args;
  const dir = path.join(__dirname, '..', '.tablesafe', 'mutation');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
}

/** file → { mutants, source, measuredAt } with the newest report's entry for each file. */
function merge(files) {
  const byFile = new Map();
  const reports = files
    .map((f) => ({ f, mtime: fs.statSync(f).mtimeMs, json: JSON.parse(fs.readFileSync(f, 'utf8')) }))
    .filter((r) => r.json && typeof r.json.files === 'object')
    .sort((a, b) => a.mtime - b.mtime);
  for (const r of reports) {
    for (const [file, entry] of Object.entries(r.json.files)) byFile.set(file, { ...entry, measuredAt: new Date(r.mtime) });
  }
  return byFile;
}

function tally(mutants) {
  let detected = 0;
  let undetected = 0;
  for (const m of mutants) {
    if (DETECTED.has(m.status)) detected++;
    else if (UNDETECTED.has(m.status)) undetected++;
  }
  return { detected, undetected, valid: detected + undetected };
}

const pct = (t) => (t.valid === 0 ? 'n/a' : `${((100 * t.detected) / t.valid).toFixed(1)} %`);

function main(argv) {
  const survivors = argv.includes('--survivors');
  const byFile = merge(reportFiles(argv.filter((a) => !a.startsWith('--'))));
  if (byFile.size === 0) {
    console.error('mutation-score: no mutation report found — run `npm run test:mutation` first');
    return 2;
  }
  const total = { detected: 0, undetected: 0, valid: 0 };
  const rows = [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [file, entry] of rows) {
    const t = tally(entry.mutants);
    total.detected += t.detected;
    total.undetected += t.undetected;
    total.valid += t.valid;
    console.log(`${pct(t).padStart(8)}  ${String(t.detected).padStart(4)}/${String(t.valid).padEnd(4)}  ${file}`);
    if (survivors) {
      const lines = entry.source.split('\n');
      for (const m of entry.mutants.filter((x) => UNDETECTED.has(x.status))) {
        const line = m.location.start.line;
        console.log(`      ${m.status} ${file}:${line} ${m.mutatorName}: ${lines[line - 1].trim().slice(0, 100)}  =>  ${String(m.replacement ?? '').slice(0, 60)}`);
      }
    }
  }
  const newest = new Date(Math.max(...rows.map(([, e]) => e.measuredAt.getTime())));
  console.log(`mutation score: ${pct(total)} (${total.detected} of ${total.valid} mutants detected, ${rows.length} files, measured up to ${newest.toISOString().slice(0, 10)})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
