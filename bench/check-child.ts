/**
 * One measurement for bench/check.ts, in a fresh process: `parse` times JSON.parse of the file;
 * `check` times what `tablesafe check <file>` does after reading it (parse, facts, pack, the
 * table rendering). Prints one JSON line with wall and CPU time (user + system, all threads: the
 * garbage collector's helpers included).
 */
import * as fs from 'node:fs';
import { renderCheckReport, runCheck } from '../compliance';

const [file, mode] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
let resources = 0;
let findings = 0;
if (mode === 'parse') {
  const json = JSON.parse(text) as { resource: Record<string, object> };
  resources = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
} else {
  const report = runCheck({ terraform: JSON.parse(text), scope: 'bench' });
  const rendered = renderCheckReport(report, 'table');
  findings = report.compliance.findings.length;
  resources = rendered.length > 0 ? report.compliance.resourcesInScope : 0;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuStarted);
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, resources, findings, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }));
