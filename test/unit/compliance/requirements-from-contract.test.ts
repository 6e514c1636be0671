/**
 * requirementsFromContract on its own: each requirement follows the one contract field it comes
 * from (the synth/check/verify agreement is proven in requirements.test.ts).
 */
import { requirementsFromContract } from '../../../compliance/facts/requirements';
import { Contract } from '../../../core/contract';
import { contract } from '../verify/fixtures';

const TRAIL = { name: 't', multiRegion: true, logFileValidation: true, kmsEncrypted: true, dynamoDbDataEvents: true };
const base = contract();
const withBackup = (backup: Partial<Contract['backup']>): Contract => contract({ backup: { ...base.backup, ...backup } });

describe('requirementsFromContract', () => {
  it('takes RPO and minimum retention from the backup section and defaults lock and DR copy to off', () => {
    expect(requirementsFromContract(withBackup({ rpoMinutes: 60, minRetentionDays: 35 }))).toEqual({
      vaultLock: false, drCopy: false, rpoMinutes: 60, minRetentionDays: 35,
      requiredTags: ['project'], platformTables: ['orders'], denyManualDeletion: true,
    });
  });

  it('requires a vault lock and a DR copy exactly when the contract declares them', () => {
    const r = requirementsFromContract(withBackup({
      lock: { mode: 'compliance', minRetentionDays: 7, maxRetentionDays: 365 } as Contract['backup']['lock'],
      drCopy: { region: 'us-west-2', vaultName: 'dr' },
    }));
    expect({ lock: r.vaultLock, dr: r.drCopy }).toEqual({ lock: true, dr: true });
  });

  it('takes the required tags from the compliance section before the table tags, and copies them', () => {
    const c = contract({ compliance: { pack: 'tablesafe-strict', requiredTags: ['owner', 'cost-centre'] } });
    const r = requirementsFromContract(c);
    expect(r.requiredTags).toEqual(['owner', 'cost-centre']);
    expect(r.requiredTags).not.toBe(c.compliance!.requiredTags);
    expect(requirementsFromContract(contract({ table: { ...base.table, tags: undefined } as unknown as Contract['table'] })).requiredTags).toEqual([]);
  });

  it('asks the trail to log the table unless the contract turns data events off', () => {
    expect(requirementsFromContract(contract({ trail: TRAIL })).platformTables).toEqual(['orders']);
    expect(requirementsFromContract(contract({ trail: { ...TRAIL, dynamoDbDataEvents: false } })).platformTables).toEqual([]);
  });

  it('keeps an explicit "no deletion denial" and defaults a missing one to deny', () => {
    expect(requirementsFromContract(withBackup({ denyManualDeletion: false })).denyManualDeletion).toBe(false);
    const handWritten = withBackup({});
    delete (handWritten.backup as { denyManualDeletion?: boolean }).denyManualDeletion;
    expect(requirementsFromContract(handWritten).denyManualDeletion).toBe(true);
  });

  it('carries the evidence lock mode and retention only when the contract has an evidence store', () => {
    const evidence = { lockMode: 'COMPLIANCE', retentionDays: 400, prefix: 'p/', signingKeyAlias: 'alias/s' } as unknown as Contract['evidence'];
    expect(requirementsFromContract(contract({ evidence })).evidence).toEqual({ lockMode: 'COMPLIANCE', retentionDays: 400 });
    expect('evidence' in requirementsFromContract(base)).toBe(false);
  });
});
