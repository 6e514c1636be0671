/** Which restore paths a drill runs: declared in the contract, else every path the contract supports. */
import { drillPathsOf, drillPathsProblem, parseContract, supportedDrillPaths } from '../../../core/contract';
import { contract } from '../verify/fixtures';

const withDr = () => {
  const c = contract();
  return contract({ backup: { ...c.backup, drCopy: { region: 'us-west-2', vaultName: 'dr-vault' } } });
};
const withoutPitr = () => {
  const c = contract();
  return contract({ table: { ...c.table, pointInTimeRecovery: false } });
};

describe('drill paths', () => {
  it('supports backup always, pitr with point-in-time recovery and dr with a DR vault', () => {
    expect(supportedDrillPaths(contract())).toEqual(['backup', 'pitr']);
    expect(supportedDrillPaths(withDr())).toEqual(['backup', 'pitr', 'dr']);
    expect(supportedDrillPaths(withoutPitr())).toEqual(['backup']);
  });

  it('runs the declared paths, in path order, when the contract declares them', () => {
    const c = withDr();
    expect(drillPathsOf({ ...c, drill: { ...c.drill, paths: ['dr', 'backup'] } })).toEqual(['backup', 'dr']);
    expect(drillPathsOf(c)).toEqual(['backup', 'pitr', 'dr']);
  });

  it('names what is wrong with a list of paths', () => {
    expect(drillPathsProblem(['backup', 'tape'], contract())).toMatch(/unknown path\(s\) tape: use backup, pitr, dr/);
    expect(drillPathsProblem(['pitr'], contract())).toMatch(/must include backup/);
    expect(drillPathsProblem(['backup', 'pitr'], withoutPitr())).toMatch(/pitr needs point-in-time recovery/);
    expect(drillPathsProblem(['backup', 'dr'], contract())).toMatch(/dr needs a DR vault/);
    expect(drillPathsProblem(['backup', 'pitr', 'dr'], withDr())).toBeUndefined();
  });

  it('parseContract refuses drill.paths a contract cannot run, naming the field', () => {
    const c = contract();
    expect(() => parseContract({ ...c, drill: { ...c.drill, paths: ['backup', 'dr'] } })).toThrow(expect.objectContaining({ code: 'TS_E_CONTRACT_INVALID', field: 'drill.paths' }));
    expect(() => parseContract({ ...c, drill: { ...c.drill, validation: { ...c.drill.validation, maxKeys: -1 } } })).toThrow(expect.objectContaining({ field: 'drill.validation.maxKeys' }));
    expect(parseContract({ ...c, drill: { ...c.drill, paths: ['backup', 'pitr'] } }).drill.paths).toEqual(['backup', 'pitr']);
  });

  it('parseContract takes drill.allowEmptyTable as a boolean and refuses anything else, naming the field', () => {
    const c = contract();
    expect(parseContract({ ...c, drill: { ...c.drill, allowEmptyTable: true } }).drill.allowEmptyTable).toBe(true);
    expect(parseContract(c).drill.allowEmptyTable).toBeUndefined();
    expect(() => parseContract({ ...c, drill: { ...c.drill, allowEmptyTable: 'yes' } })).toThrow(expect.objectContaining({ code: 'TS_E_CONTRACT_INVALID', field: 'drill.allowEmptyTable' }));
  });
});
