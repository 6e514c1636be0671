import { buildReport, Report } from '../../../verify/report/report';

export function sampleReport(overrides: Partial<Parameters<typeof buildReport>[0]> = {}): Report {
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
      { id: 'DRILL-REAPPLY', title: 'Settings to re-apply after a real recovery', category: 'drill', status: 'skip', message: 'to re-apply after a real recovery: TTL', evidence: [] },
    ],
    drill: {
      runId: '20261123t120000-abc123', scratchTable: 'tablesafe-drill-orders-20261123t120000-abc123', recoveryPointArn: 'arn:rp', rpoMeasuredMinutes: 61, rpoTargetMinutes: 1440,
      restoreJobId: 'job-1', rtoMeasuredSeconds: 42, rtoTargetMinutes: 60, sourceItems: 5, restoredItems: 4, itemsValidated: 4, itemsPerSecond: 800, mismatches: 1, drillSeconds: 50, cleanedUp: true,
      recoveryPointCreatedAt: '2026-11-23T10:59:00.000Z',
      paths: [
        {
          path: 'backup', region: 'us-east-1', scratchTable: 'tablesafe-drill-orders-20261123t120000-abc123', status: 'passed', recoveryPointArn: 'arn:rp', restoreJobId: 'job-1', restoreJobStatus: 'COMPLETED',
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
    inputs: { contract: 'cdktf.out/stacks/demo/tablesafe.contract.json', outputs: 'terraform output -json' },
    ...overrides,
  });
}
