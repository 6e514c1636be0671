import { check, CheckResult } from '../../../verify/checks/check';
import { completeChecks, declaredDrillChecks } from '../../../verify/checks/declared';

const titleOf = (id: string): string => `title of ${id}`;
const ids = (cs: readonly { id: string }[]): string[] => cs.map((c) => c.id);

describe('declaredDrillChecks: every check a drill declares, in report order', () => {
  it('a backup drill without a fresh backup declares the backup restore and design checks, then reapply, data and cleanup', () => {
    expect(declaredDrillChecks(['backup'], false)).toEqual([
      { id: 'DRILL-RECOVERY-POINT', category: 'drill' },
      { id: 'DRILL-RESTORE', category: 'drill' },
      { id: 'DRILL-DESIGN', category: 'drill' },
      { id: 'DRILL-REAPPLY', category: 'drill' },
      { id: 'DATA-COUNT', category: 'data' },
      { id: 'DATA-SAMPLE', category: 'data' },
      { id: 'DATA-DIGEST', category: 'data' },
      { id: 'DATA-AT-RISK', category: 'data' },
      { id: 'DRILL-CLEANUP', category: 'drill' },
    ]);
  });

  it('a fresh drill over every path declares the fresh backup first, the DR copy, and a restore + design check per path', () => {
    expect(ids(declaredDrillChecks(['backup', 'pitr', 'dr'], true))).toEqual([
      'DRILL-FRESH-BACKUP',
      'DRILL-RECOVERY-POINT',
      'DRILL-DR-COPY',
      'DRILL-RESTORE',
      'DRILL-DESIGN',
      'DRILL-RESTORE-PITR',
      'DRILL-DESIGN-PITR',
      'DRILL-RESTORE-DR',
      'DRILL-DESIGN-DR',
      'DRILL-REAPPLY',
      'DATA-COUNT',
      'DATA-SAMPLE',
      'DATA-DIGEST',
      'DATA-AT-RISK',
      'DRILL-CLEANUP',
    ]);
    expect(declaredDrillChecks(['dr'], true).find((c) => c.id === 'DRILL-DR-COPY')).toEqual({ id: 'DRILL-DR-COPY', category: 'drill' });
  });

  it('a pitr-only drill declares no DR copy', () => {
    expect(ids(declaredDrillChecks(['pitr'], false)).slice(0, 3)).toEqual(['DRILL-RECOVERY-POINT', 'DRILL-RESTORE-PITR', 'DRILL-DESIGN-PITR']);
  });
});

describe('completeChecks: a declared check never vanishes from a report', () => {
  const declared = declaredDrillChecks(['backup'], false);
  const pass = (id: string, category: 'drill' | 'data' | 'contract' = 'drill'): CheckResult => check(id, titleOf(id), category, { status: 'pass', message: `${id} ok` });

  it('a complete run is returned unchanged, in its own order', () => {
    const all = declared.map((d) => pass(d.id, d.category as 'drill' | 'data'));
    expect(completeChecks(all, declared, titleOf, 'drill skipped')).toEqual(all);
  });

  it('a skipped drill reports every declared check as skip with the given reason, its title and category', () => {
    const out = completeChecks([], declared, titleOf, 'drill skipped: --no-drill');
    expect(ids(out)).toEqual(ids(declared));
    const count = out.find((c) => c.id === 'DATA-COUNT');
    expect(count).toEqual({ id: 'DATA-COUNT', title: 'title of DATA-COUNT', category: 'data', status: 'skip', message: 'drill skipped: --no-drill', evidence: [] });
    expect(out.find((c) => c.id === 'DRILL-CLEANUP')).toMatchObject({ status: 'skip', category: 'drill', message: 'no scratch table was created, so there was nothing to delete' });
  });

  it('a failed drill check stops the rest: the missing checks name it, after the checks that ran', () => {
    const ran = [pass('DRILL-RECOVERY-POINT'), check('DRILL-RESTORE', 'restore', 'drill', { status: 'fail', message: 'restore job FAILED: access denied' })];
    const out = completeChecks(ran, declared, titleOf, 'drill skipped');
    expect(out.slice(0, 2)).toEqual(ran);
    expect(ids(out)).toEqual(ids(declared));
    expect(out.find((c) => c.id === 'DATA-SAMPLE')).toMatchObject({ status: 'skip', message: 'not run: DRILL-RESTORE failed before it (restore job FAILED: access denied)' });
    expect(out.find((c) => c.id === 'DRILL-CLEANUP')?.message).toBe('no scratch table was created, so there was nothing to delete (DRILL-RESTORE stopped the drill first)');
  });

  it('a skipped recovery point stops the drill: the reason says it was skipped', () => {
    const ran = [check('DRILL-RECOVERY-POINT', 'rp', 'drill', { status: 'skip', message: 'no completed recovery point in vault v' })];
    const out = completeChecks(ran, declared, titleOf, 'drill skipped');
    expect(out.find((c) => c.id === 'DRILL-RESTORE')?.message).toBe('not run: DRILL-RECOVERY-POINT was skipped before it (no completed recovery point in vault v)');
  });

  it('a failed data check stops the drill too', () => {
    const ran = [pass('DRILL-RECOVERY-POINT'), pass('DRILL-RESTORE'), pass('DRILL-DESIGN'), pass('DRILL-REAPPLY'), check('DATA-COUNT', 'count', 'data', { status: 'fail', message: 'count differs' })];
    const out = completeChecks(ran, declared, titleOf, 'drill skipped');
    expect(out.find((c) => c.id === 'DATA-DIGEST')?.message).toBe('not run: DATA-COUNT failed before it (count differs)');
  });

  it('a failed contract check, a skipped drill check other than the recovery point, or a passing check does not stop the drill', () => {
    const ran = [
      check('KEY', 'key', 'contract', { status: 'fail', message: 'key disabled' }),
      check('DRILL-RESTORE', 'restore', 'drill', { status: 'skip', message: 'path not requested' }),
      pass('DRILL-RECOVERY-POINT'),
    ];
    const out = completeChecks(ran, declared, titleOf, 'nothing failed');
    expect(out.find((c) => c.id === 'DATA-COUNT')?.message).toBe('nothing failed');
    expect(out.find((c) => c.id === 'DRILL-CLEANUP')?.message).toBe('no scratch table was created, so there was nothing to delete');
  });

  it('a long stopper message is cut to 157 characters and an ellipsis; one of exactly 160 is kept whole', () => {
    const long = 'x'.repeat(200);
    const out = completeChecks([check('DRILL-RESTORE', 'r', 'drill', { status: 'fail', message: long })], declared, titleOf, '');
    expect(out.find((c) => c.id === 'DATA-COUNT')?.message).toBe(`not run: DRILL-RESTORE failed before it (${'x'.repeat(157)}…)`);
    const exact = 'y'.repeat(160);
    const out2 = completeChecks([check('DRILL-RESTORE', 'r', 'drill', { status: 'fail', message: exact })], declared, titleOf, '');
    expect(out2.find((c) => c.id === 'DATA-COUNT')?.message).toBe(`not run: DRILL-RESTORE failed before it (${exact})`);
    const short = 'z'.repeat(161);
    const out3 = completeChecks([check('DRILL-RESTORE', 'r', 'drill', { status: 'fail', message: short })], declared, titleOf, '');
    expect(out3.find((c) => c.id === 'DATA-COUNT')?.message).toBe(`not run: DRILL-RESTORE failed before it (${'z'.repeat(157)}…)`);
  });
});
