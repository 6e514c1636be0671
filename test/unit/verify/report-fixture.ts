import type { CheckResult } from '../../../verify/checks/check';
import type { Provenance } from '../../../verify/report/provenance';
import { buildReport, Report, ReportParts } from '../../../verify/report/report';

export const RP = 'arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1';

export const SANDBOX_PROVENANCE: Provenance = {
  toolVersion: '0.1.0',
  account: '123456789012',
  caller: 'arn:aws:sts::123456789012:user/moto',
  regions: ['us-east-1'],
  endpoint: 'http://127.0.0.1:4566',
  localSandbox: true,
  contract: { source: 'cdktf.out/stacks/demo/tablesafe.contract.json', sha256: 'c'.repeat(64) },
  outputs: { source: 'terraform output -json', sha256: 'd'.repeat(64) },
  hostname: 'ci-runner-1',
};

/** A failing verify run with two restore paths (the pitr one disagrees), against the sandbox. */
export function sampleReport(overrides: Partial<ReportParts> = {}): Report {
  return buildReport({
    command: 'verify',
    runId: '20261123t120000-abc123',
    stack: 'demo',
    environment: 'demo',
    region: 'us-east-1',
    startedAt: '2026-11-23T12:00:00.000Z',
    finishedAt: '2026-11-23T12:01:00.000Z',
    checks: [
      { id: 'TABLE-PITR', title: 'Point-in-time recovery enabled', category: 'contract', status: 'pass', message: 'PITR ENABLED', evidence: ['table arn:aws:dynamodb:us-east-1:1:table/orders'] },
      { id: 'DATA-COUNT', title: 'Item count equals the source within ±0', category: 'data', status: 'fail', message: 'restored.itemCount: expected 5 ± 0, actual 4 <script>alert("x")</script> & more', evidence: [] },
      { id: 'BACKUP-RPO', title: 'Latest COMPLETED recovery point is younger than the RPO (1440 min)', category: 'contract', status: 'pass', message: 'latest recovery point is 61 min old (RPO 1440 min)', evidence: ['recovery point arn:rp'], measurement: { quantity: 'rpo', value: 61, unit: 'minutes', target: 1440, subject: RP, createdAt: '2026-11-23T10:59:00.000Z' } },
      { id: 'DRILL-RESTORE', title: 'Restore completes within the RTO (60 min)', category: 'drill', status: 'pass', message: 'restore job job-1 COMPLETED; ACTIVE in 42 s', evidence: [], measurement: { quantity: 'rto', value: 42, unit: 'seconds', target: 3600, subject: 'backup' }, seconds: 42 },
      { id: 'DRILL-RESTORE-PITR', title: 'Point-in-time restore completes within the RTO (60 min)', category: 'drill', status: 'pass', message: 'ACTIVE in 55 s', evidence: [], measurement: { quantity: 'rto', value: 55, unit: 'seconds', target: 3600, subject: 'pitr' }, seconds: 55 },
      { id: 'DRILL-REAPPLY', title: 'Settings to re-apply after a real recovery are listed', category: 'drill', status: 'pass', message: 'to re-apply after a real recovery: TTL', evidence: [] },
      { id: 'DRILL-CLEANUP', title: 'Scratch tables deleted in every region and confirmed gone', category: 'drill', status: 'skip', message: 'no scratch table was created', evidence: [] },
    ],
    drill: {
      runId: '20261123t120000-abc123', scratchTable: 'tablesafe-drill-orders-20261123t120000-abc123', recoveryPointArn: RP, rpoMeasuredMinutes: 61, rpoTargetMinutes: 1440,
      restoreJobId: 'job-1', rtoMeasuredSeconds: 42, rtoTargetMinutes: 60, sourceItems: 5, restoredItems: 4, itemsValidated: 4, itemsPerSecond: 800, mismatches: 1, drillSeconds: 50, cleanedUp: true,
      recoveryPointCreatedAt: '2026-11-23T10:59:00.000Z',
      paths: [
        {
          path: 'backup', region: 'us-east-1', scratchTable: 'tablesafe-drill-orders-20261123t120000-abc123', status: 'passed', recoveryPointArn: RP, restoreJobId: 'job-1', restoreJobStatus: 'COMPLETED',
          restoreRequestedAt: '2026-11-23T12:00:02.000Z', restoredAt: '2026-11-23T12:00:44.000Z', rtoMeasuredSeconds: 42, rtoTargetMinutes: 60, items: 4, digest: 'a'.repeat(64), cleanedUp: true,
        },
        {
          path: 'pitr', region: 'us-east-1', scratchTable: 'tablesafe-drill-orders-pitr-20261123t120000-abc123', status: 'failed', restoreDateTime: '2026-11-23T10:59:00.000Z', waitedSeconds: 0,
          restoreRequestedAt: '2026-11-23T12:00:02.000Z', restoredAt: '2026-11-23T12:00:57.000Z', rtoMeasuredSeconds: 55, rtoTargetMinutes: 60, items: 5, digest: 'b'.repeat(64), cleanedUp: true,
          agreement: { with: 'backup', by: 'digest', equal: false, missing: 0, extra: 1, changed: 0, keys: [{ key: '{"ID":"5"}', kind: 'extra' }] },
        },
      ],
      dataAtRisk: { since: '2026-11-23T10:59:00.000Z', measuredAt: '2026-11-23T12:00:58.000Z', by: 'digest', added: 1, changed: 0, removed: 0, total: 1, sourceItems: 5, restoredItems: 4, keys: [{ key: '{"ID":"5"}', kind: 'extra' }] },
    },
    targets: { rpoMinutes: 1440, rtoMinutes: 60 },
    tables: [{ table: 'orders', region: 'us-east-1' }],
    provenance: SANDBOX_PROVENANCE,
    ...overrides,
  });
}

/** The same run with every check passing, against AWS. */
export function passingReport(overrides: Partial<ReportParts> = {}): Report {
  const base = sampleReport();
  const checks: CheckResult[] = base.checks.map(({ controls: _c, remedy: _r, ...c }) => (c.status === 'fail' ? { ...c, status: 'pass', message: 'restored 5 item(s), pitr 5' } : c));
  const { schemaVersion: _s, tool: _t, verdict: _v, verdictLabel: _l, restoreTested: _rt, summary: _su, figures: _f, controls: _co, scope: _sc, ...parts } = base;
  return buildReport({
    ...parts,
    checks,
    targets: { rpoMinutes: 1440, rtoMinutes: 60 },
    tables: [{ table: 'orders', region: 'us-east-1' }],
    provenance: { ...SANDBOX_PROVENANCE, endpoint: 'aws', localSandbox: false, caller: 'arn:aws:sts::210987654321:assumed-role/restore-drill/ci', account: '210987654321' },
    ...overrides,
  });
}
