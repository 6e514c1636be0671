import { DEFAULT_ITEMS, parseDemoArgs } from '../../../cli/demo-args';

describe('parseDemoArgs', () => {
  it('defaults to the drill scenario with the five items of seed 000', () => {
    expect(parseDemoArgs([])).toMatchObject({ help: false, scenario: 'drill', items: DEFAULT_ITEMS, keep: false, json: false, out: 'reports' });
  });

  it('reads every option, in both --flag value and --flag=value form', () => {
    expect(parseDemoArgs(['--scenario', 'disaster', '--items=250', '--keep', '--out', 'r', '--workdir=w', '--json', '--time-scale', '50'])).toEqual({
      help: false, scenario: 'disaster', items: 250, keep: true, out: 'r', workdir: 'w', json: true, timeScale: 50,
    });
  });

  it('returns help for --help', () => {
    expect(parseDemoArgs(['--items', '3', '--help'])).toEqual({ help: true });
  });

  it('rejects an unknown scenario naming the flag, the value and the rule', () => {
    expect(() => parseDemoArgs(['--scenario', 'chaos'])).toThrow(/--scenario: "chaos" is invalid: must be one of drill, disaster/);
  });

  it('rejects a non-integer item count', () => {
    expect(() => parseDemoArgs(['--items', '2.5'])).toThrow(/--items: "2.5" is invalid: must be an integer from 1 to/);
  });

  it('rejects zero items', () => {
    expect(() => parseDemoArgs(['--items', '0'])).toThrow(/--items: "0" is invalid/);
  });

  it('rejects a missing value instead of swallowing the next flag', () => {
    expect(() => parseDemoArgs(['--out', '--keep'])).toThrow(/--out: a value is required/);
  });

  it('rejects a value on a flag that takes none', () => {
    expect(() => parseDemoArgs(['--keep=yes'])).toThrow(/--keep: "yes" is invalid: --keep takes no value/);
  });

  it('rejects unknown options as a usage error', () => {
    expect(() => parseDemoArgs(['--fast'])).toThrow(expect.objectContaining({ code: 'TS_E_USAGE', field: '--fast' }));
  });
});
