import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { check } from '../../verify/checks/check';
import { buildReport, Report } from '../../verify/report/report';
import { REPORT_FILES, writeReport } from '../../verify/report/writers';
import type { Contract } from '../../core/contract';
import { SANDBOX_PROVENANCE } from '../unit/verify/report-fixture';

/** A report of one run: `failed` makes DATA-DIGEST fail; the drill restored with the given RTO. */
export function sampleReport(runId: string, stack: string, options: { failed?: boolean; startedAt?: string; rtoSeconds?: number } = {}): Report {
  const startedAt = options.startedAt ?? new Date().toISOString();
  return buildReport({
    command: 'verify',
    runId,
    stack,
    environment: stack,
    region: 'us-east-1',
    startedAt,
    finishedAt: startedAt,
    checks: [
      check('BACKUP-RPO', 'Newest recovery point within the RPO', 'contract', { status: 'pass', message: 'recovery point 10 min old' }),
      check('DATA-DIGEST', 'Restored data matches', 'data', { status: options.failed ? 'fail' : 'pass', message: options.failed ? 'digest differs' : 'digests equal' }),
    ],
    drill: {
      runId,
      scratchTable: `tablesafe-drill-${stack}-records-${runId}`,
      rpoMeasuredMinutes: 10,
      rpoTargetMinutes: 60,
      restoreJobId: `job-${runId}`,
      rtoMeasuredSeconds: options.rtoSeconds ?? 42,
      rtoTargetMinutes: 15,
      itemsValidated: 5,
      mismatches: 0,
      drillSeconds: 50,
      cleanedUp: true,
      paths: [],
      dataAtRisk: { by: 'digest', total: 0, added: 0, removed: 0, changed: 0, sourceItems: 5, measuredAt: startedAt, keys: [] } as never,
    },
    targets: { rpoMinutes: 60, rtoMinutes: 15 },
    tables: [{ table: `tablesafe-${stack}-records`, region: 'us-east-1' }],
    provenance: SANDBOX_PROVENANCE,
  });
}


/** Writes the pack of a report into `root/<run id>`; returns the directory. */
export function writePack(root: string, report: Report): string {
  const dir = path.join(root, report.runId);
  writeReport(report, dir);
  return dir;
}

/** The tamper of issue 16: flip FAILED to PASSED in report.json and re-run sha256sum over the files. */
export function flipVerdictAndRehash(dir: string): void {
  const file = path.join(dir, 'report.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/"verdict": "FAILED"/, '"verdict": "PASSED"').replace(/"status": "fail"/g, '"status": "pass"'));
  const sums = REPORT_FILES.map((name) => `${createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex')}  ${name}`);
  writeFileSync(path.join(dir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
}

export const filesOf = (dir: string): string[] => readdirSync(dir).sort();

/** The parts of a contract sealing reads. */
export function evidenceContract(stack: string, lockMode: 'GOVERNANCE' | 'COMPLIANCE' = 'GOVERNANCE'): Contract {
  return { stack, evidence: { lockMode, retentionDays: 400, prefix: 'packs/', signingKeyAlias: `alias/tablesafe-${stack}-evidence`, signingAlgorithm: 'ECDSA_SHA_256', drillCadenceDays: 30 } } as unknown as Contract;
}
