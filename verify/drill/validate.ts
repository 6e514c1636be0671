/**
 * Data validation of a drill, against the table at the recovery point's time T — never against
 * the table of now:
 *
 * - every restored table is counted and digested (parallel segmented Scans, O(1) memory, sums per
 *   key-hash bucket) together with the live source;
 * - each other path (pitr, dr) must agree with the backup restore: equal digests, or the keys
 *   that differ, found by rescanning only the buckets whose digests differ (DATA-COUNT,
 *   DATA-SAMPLE, DATA-DIGEST fail beyond `tolerance` differing keys);
 * - the live source against the backup restore gives the data at risk: items added, changed and
 *   removed since T. A figure, never a failure. With the backup path alone there is nothing
 *   independent to compare with: a restore equal to the source passes, a different one is
 *   reported as data at risk (it cannot be told apart from writes since T).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import type { DrillPath } from '../../core/contract';
import { check, CheckResult, difference } from '../checks/check';
import type { DataAtRisk, DrillContext, DrillMetrics, Mutable, PathAgreement } from './types';
import { describeDifferences, differingAttributes, diffTables, Item, keyLabel, KeyNames, keyOf, PageLimit, scanDigest, TableDigest, TableDiff } from './digest';
import type { PathRun } from './paths';
import { drawSample, newSeed } from './sample';

const LABEL: Record<DrillPath, string> = { backup: 'backup restore', pitr: 'point-in-time restore', dr: 'DR-copy restore' };
/** How a difference reads for path P compared with the backup restore. */
const pathWords = (p: DrillPath) => ({ missing: `missing from the ${LABEL[p]}`, extra: `only in the ${LABEL[p]}`, changed: `differs in the ${LABEL[p]}` });
/** How a difference reads for the live source compared with the backup restore. */
const RISK_WORDS = { missing: 'removed since the recovery point', extra: 'added since the recovery point', changed: 'changed since the recovery point' };

interface Compared {
  readonly run: PathRun;
  readonly digest: TableDigest;
  readonly agreement: PathAgreement;
}

export async function validateData(ctx: DrillContext, runs: readonly PathRun[], point: RecoveryPointByBackupVault, m: Mutable<DrillMetrics>, checks: CheckResult[]): Promise<void> {
  const { contract, clients } = ctx.o;
  const o = ctx.o;
  const tolerance = o.tolerance ?? contract.drill.validation.tolerance;
  const sample = o.sample ?? contract.drill.validation.sample;
  const digest = o.digest ?? contract.drill.validation.digest;
  const key: KeyNames = { partitionKey: contract.table.partitionKey.name, sortKey: contract.table.sortKey?.name };
  const backup = runs.find((r) => r.path === 'backup' && r.restored);
  if (!backup) return;
  const others = runs.filter((r) => r.path !== 'backup' && r.restored);
  const t0 = Date.now();
  let scanned = 0;
  // Every table is scanned at once, but no more pages are in flight than one table's scan would have.
  const pages = new PageLimit(o.scanPages ?? o.scanSegments ?? 4);
  const scan = async (client: PathRun['dynamodb'], table: string): Promise<TableDigest> => {
    const d = await scanDigest(client, table, { segments: o.scanSegments, hash: digest, key: digest ? key : undefined, signal: o.signal, pages });
    scanned += d.items;
    return d;
  };
  const [a, src, ...rest] = await Promise.all([scan(backup.dynamodb, backup.table), scan(clients.dynamodb, ctx.sourceTable), ...others.map((r) => scan(r.dynamodb, r.table))]);
  const diffOptions = { key, segments: o.scanSegments, maxKeys: ctx.maxKeys, maxHeld: o.maxHeld, signal: o.signal, pages };
  // Always against the backup restore (the table at T).
  const diff = async (other: { client: PathRun['dynamodb']; table: string; digest: TableDigest }): Promise<TableDiff> => {
    const d = await diffTables({ client: backup.dynamodb, table: backup.table, digest: a }, other, diffOptions);
    scanned += d.passes * (a.items + other.digest.items);
    return d;
  };

  backup.metrics.items = a.items;
  m.restoredItems = a.items;
  m.sourceItems = src.items;
  if (digest) {
    backup.metrics.digest = a.digest;
    m.restoredDigest = a.digest;
    m.sourceDigest = src.digest;
  }

  // Each other path against the backup restore.
  const compared: Compared[] = [];
  for (const [i, run] of others.entries()) {
    const d = rest[i];
    run.metrics.items = d.items;
    if (digest) run.metrics.digest = d.digest;
    let agreement: PathAgreement;
    if (!digest) {
      agreement = { with: 'backup', by: 'count', equal: d.items === a.items, missing: Math.max(0, a.items - d.items), extra: Math.max(0, d.items - a.items), changed: 0, keys: [] };
    } else if (d.digest === a.digest) {
      agreement = { with: 'backup', by: 'digest', equal: true, missing: 0, extra: 0, changed: 0, keys: [] };
    } else {
      const x = await diff({ client: run.dynamodb, table: run.table, digest: d });
      agreement = { with: 'backup', by: 'digest', equal: false, missing: x.missing, extra: x.extra, changed: x.changed, keys: x.keys };
    }
    run.metrics.agreement = agreement;
    const differing = agreement.missing + agreement.extra + agreement.changed;
    if (differing > tolerance) run.failed = true;
    m.mismatches += differing;
    compared.push({ run, digest: d, agreement });
  }

  // The live source against the backup restore: data at risk since T.
  let risk: TableDiff | undefined;
  if (digest && src.digest !== a.digest) risk = await diff({ client: clients.dynamodb, table: ctx.sourceTable, digest: src });
  const dataAtRisk: DataAtRisk = risk
    ? { since: point.CreationDate?.toISOString(), measuredAt: new Date().toISOString(), by: 'digest', added: risk.extra, changed: risk.changed, removed: risk.missing, total: risk.extra + risk.changed + risk.missing, sourceItems: src.items, restoredItems: a.items, keys: risk.keys }
    : digest
      ? { since: point.CreationDate?.toISOString(), measuredAt: new Date().toISOString(), by: 'digest', added: 0, changed: 0, removed: 0, total: 0, sourceItems: src.items, restoredItems: a.items, keys: [] }
      : { since: point.CreationDate?.toISOString(), measuredAt: new Date().toISOString(), by: 'count', added: Math.max(0, src.items - a.items), changed: 0, removed: Math.max(0, a.items - src.items), total: Math.abs(src.items - a.items), sourceItems: src.items, restoredItems: a.items, keys: [] };
  m.dataAtRisk = dataAtRisk;

  // Nothing restored anywhere: the restore is proven, the data is not. Inconclusive, never a pass.
  const empty = a.items === 0 && compared.every((c) => c.digest.items === 0);
  if (empty) {
    const allowed = contract.drill.allowEmptyTable === true;
    const why = `the backup restore holds 0 items${compared.length ? ' (as does every other restore path)' : ''}: a drill that validated nothing proves nothing about the data${
      allowed ? '; the contract declares the table may be empty (drill.allowEmptyTable), so this does not fail the run' : '; put data in the table, or declare drill.allowEmptyTable in the contract if it may be empty'
    }`;
    for (const [id, title] of [['DATA-COUNT', COUNT_TITLE(compared.length)], ['DATA-SAMPLE', SAMPLE_TITLE(compared.length)], ['DATA-DIGEST', DIGEST_TITLE(compared.length)]] as const) {
      checks.push(check(id, title, 'data', { status: 'inconclusive', message: why, evidence: [...pathCounts(a, compared).map((x) => `${x} item(s)`), `live source ${src.items} item(s)`] }));
    }
  } else {
    checks.push(countCheck(a, src, compared, tolerance));
    checks.push(await sampleCheck(ctx, backup, others, key, sample, tolerance, digest, m, a.items));
    checks.push(digestCheck(a, src, compared, digest, tolerance, dataAtRisk));
    if (digest) m.itemsValidated = Math.max(m.itemsValidated, a.items);
  }
  checks.push(riskCheck(dataAtRisk, ctx.sourceTable));

  const seconds = (Date.now() - t0) / 1000;
  m.itemsPerSecond = seconds > 0 ? Math.round(scanned / seconds) : undefined;
}

// Titles say what is checked, never a count: a count belongs in the result, where it cannot contradict it.
const COUNT_TITLE = (others: number) => (others ? 'Every restore path holds the same number of items (within the tolerance)' : 'Restored item count equals the live source (backup path alone)');
const SAMPLE_TITLE = (others: number) => (others ? 'Randomly sampled items of the backup restore equal every other restore by key' : 'Randomly sampled items of the restore equal the live source by key (backup path alone)');
const DIGEST_TITLE = (others: number) => (others ? 'Full digests of every restore path agree (the table at the recovery point\'s time)' : 'Full digest of the restore equals the live source (backup path alone)');

const pathCounts = (a: TableDigest, compared: readonly Compared[]) => [`${LABEL.backup} ${a.items}`, ...compared.map((c) => `${LABEL[c.run.path]} ${c.digest.items}`)];

function countCheck(a: TableDigest, src: TableDigest, compared: readonly Compared[], tolerance: number): CheckResult {
  const evidence = [...pathCounts(a, compared).map((x) => `${x} item(s)`), `live source ${src.items} item(s) (not compared: data at risk)`];
  if (compared.length === 0) {
    const same = a.items === src.items;
    return check('DATA-COUNT', COUNT_TITLE(0), 'data', {
      status: same ? 'pass' : 'skip',
      message: same
        ? `restored ${a.items} item(s), live source ${src.items}`
        : `restored ${a.items} item(s), live source ${src.items}: the difference is data at risk since the recovery point, not a failure; with the backup path alone nothing independent proves the count (add the pitr path)`,
      evidence,
    });
  }
  const apart = compared.filter((c) => Math.abs(c.digest.items - a.items) > tolerance);
  return check('DATA-COUNT', COUNT_TITLE(compared.length), 'data', {
    status: apart.length ? 'fail' : 'pass',
    message: apart.length
      ? apart.map((c) => `${difference(`${c.run.path}.restored.itemCount`, `${a.items} ± ${tolerance} (the backup restore's)`, c.digest.items)} (${Math.abs(c.digest.items - a.items)} item(s) missing or extra)`).join('; ')
      : `${pathCounts(a, compared).join(' = ')} item(s) (tolerance ±${tolerance})`,
    evidence,
  });
}

async function sampleCheck(ctx: DrillContext, backup: PathRun, others: readonly PathRun[], key: KeyNames, sample: number, tolerance: number, digest: boolean, m: Mutable<DrillMetrics>, tableItems: number): Promise<CheckResult> {
  if (sample <= 0) return check('DATA-SAMPLE', SAMPLE_TITLE(others.length), 'data', { status: 'skip', message: 'sampling disabled (--sample 0 or drill.validation.sample 0)' });
  const draw = await drawSample({ client: backup.dynamodb, table: backup.table, key, sample, tableItems, seed: ctx.o.sampleSeed ?? newSeed(), signal: ctx.o.signal });
  m.sampling = draw.sampling;
  const items = draw.items as Item[];
  const s = draw.sampling;
  const how = s.method === 'all-items' ? `every item (the table holds no more than the ${s.requested} asked for)` : `seed ${s.seed}, random segment of ${s.totalSegments} and offset in its first page`;
  const drawn = [`sampling ${s.method}: ${how}`, `sampled ${s.sampled} of ${s.requested} asked for`, ...s.keys.map((k) => `sampled key ${k.key}${k.segment !== undefined ? ` (segment ${k.segment}, offset ${k.offset})` : ''}`), ...(s.keysOmitted ? [`… ${s.keysOmitted} more sampled key(s) not listed`] : [])];
  const targets = others.length
    ? others.map((r) => ({ label: LABEL[r.path], client: r.dynamodb, table: r.table }))
    : [{ label: 'live source', client: ctx.o.clients.dynamodb, table: ctx.sourceTable }];
  const bad: string[] = [];
  for (const item of items) {
    for (const t of targets) {
      const got = (await t.client.send(new GetItemCommand({ TableName: t.table, Key: keyOf(item, key), ConsistentRead: true }))).Item;
      const label = keyLabel(item, key);
      if (!got) bad.push(`${label}: not in the ${t.label}`);
      else {
        const attrs = differingAttributes(item, got);
        if (attrs.length) bad.push(`${label}: attribute(s) ${attrs.join(', ')} differ in the ${t.label}`);
      }
    }
  }
  m.itemsValidated += items.length;
  if (items.length === 0) {
    return check('DATA-SAMPLE', SAMPLE_TITLE(others.length), 'data', { status: 'inconclusive', message: `no item drawn from the backup restore (${s.method}, seed ${s.seed}): nothing was compared`, evidence: drawn });
  }
  if (others.length === 0) {
    return check('DATA-SAMPLE', SAMPLE_TITLE(0), 'data', {
      status: bad.length ? 'skip' : 'pass',
      message: bad.length
        ? `${bad.length} of ${items.length} sampled item(s) differ from the live source: changed since the recovery point (data at risk), not a failure: ${bad.slice(0, 5).join('; ')}`
        : `${items.length} sampled item(s) equal the live source attribute by attribute`,
      evidence: [...bad, ...drawn],
    });
  }
  const fails = bad.length > tolerance;
  // With the digest on, every sampled difference is already among the digest's differing keys.
  if (!digest) m.mismatches += bad.length;
  return check('DATA-SAMPLE', SAMPLE_TITLE(others.length), 'data', {
    status: fails ? 'fail' : 'pass',
    message: bad.length
      ? `${bad.length} of ${items.length * targets.length} sampled comparison(s) differ: ${bad.slice(0, 5).join('; ')}`
      : `${items.length} sampled item(s) equal in the ${targets.map((t) => t.label).join(' and the ')} attribute by attribute`,
    evidence: [...bad, ...drawn],
  });
}

function digestCheck(a: TableDigest, src: TableDigest, compared: readonly Compared[], digest: boolean, tolerance: number, risk: DataAtRisk): CheckResult {
  if (!digest) return check('DATA-DIGEST', DIGEST_TITLE(compared.length), 'data', { status: 'skip', message: 'digest disabled (--no-digest or drill.validation.digest false)' });
  const evidence = [`${LABEL.backup} sha256-sum ${a.digest}`, ...compared.map((c) => `${LABEL[c.run.path]} sha256-sum ${c.digest.digest}`), `live source sha256-sum ${src.digest}`];
  if (compared.length === 0) {
    const same = src.digest === a.digest;
    return check('DATA-DIGEST', DIGEST_TITLE(0), 'data', {
      status: same ? 'pass' : 'skip',
      message: same
        ? `digests equal over ${a.items} item(s): nothing changed since the recovery point`
        : `the restore differs from the live source in ${risk.total} item(s), changed since the recovery point (data at risk), not a failure; with the backup path alone nothing independent proves the data (add the pitr path)`,
      evidence,
    });
  }
  const differing = compared.filter((c) => !c.agreement.equal).map((c) => {
    const g = c.agreement;
    const n = g.missing + g.extra + g.changed;
    const listed = describeDifferences(g.keys, pathWords(c.run.path));
    const more = n > g.keys.length ? `; … ${n - g.keys.length} more` : '';
    return { ok: n <= tolerance, text: `${LABEL[c.run.path]} differs from the backup restore in ${n} key(s) (${g.missing} missing, ${g.extra} extra, ${g.changed} changed)${n <= tolerance ? ` within the tolerance of ${tolerance}` : ''}: ${listed}${more}` };
  });
  return check('DATA-DIGEST', DIGEST_TITLE(compared.length), 'data', {
    status: differing.every((p) => p.ok) ? 'pass' : 'fail',
    message: differing.length === 0 ? `digests equal over ${a.items} item(s): ${[LABEL.backup, ...compared.map((c) => LABEL[c.run.path])].join(' = ')}` : differing.map((p) => p.text).join('; '),
    evidence,
  });
}

/** "37 items changed since the recovery point (12 added, 20 changed, 5 removed)". */
export function dataAtRiskLine(r: DataAtRisk): string {
  if (r.by === 'count') return r.total === 0 ? 'no net item count change since the recovery point (counted only: digest off)' : `${r.total} item(s) net ${r.added ? 'added' : 'removed'} since the recovery point (counted only: digest off)`;
  if (r.total === 0) return 'no item changed since the recovery point';
  return `${r.total} item${r.total === 1 ? '' : 's'} changed since the recovery point (${r.added} added, ${r.changed} changed, ${r.removed} removed)`;
}

function riskCheck(r: DataAtRisk, source: string): CheckResult {
  return check('DATA-AT-RISK', 'Data at risk since the recovery point is measured (a figure, not a failure)', 'data', {
    status: 'pass',
    message: `${dataAtRiskLine(r)}: live ${source} ${r.sourceItems} item(s), recovery point ${r.restoredItems}`,
    evidence: [`recovery point created ${r.since ?? '(unknown)'}`, `measured ${r.measuredAt}`, ...r.keys.map((k) => `${k.key} ${RISK_WORDS[k.kind]}${k.attributes?.length ? ` (${k.attributes.join(', ')})` : ''}`)],
  });
}
