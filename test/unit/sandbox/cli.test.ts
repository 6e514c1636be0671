import { exportLines, parseStartArgs } from '../../../cli/sandbox';

describe('parseStartArgs', () => {
  it('defaults the port to 4566', () => {
    expect(parseStartArgs([]).port).toBe(4566);
  });

  it('reads every option', () => {
    expect(parseStartArgs(['--port', '0', '--state-dir', 'd', '--time-scale=50', '--strict-auth', 'AK:SK:with:colons', '--enforce-iam'])).toEqual({
      port: 0, stateDir: 'd', timeScale: 50, runSchedules: true, strictAuth: { accessKeyId: 'AK', secretAccessKey: 'SK:with:colons' }, enforceIam: true, quiet: false,
    });
  });

  it('enforces IAM only with --enforce-iam', () => {
    expect([parseStartArgs([]).enforceIam, parseStartArgs(['--enforce-iam']).enforceIam]).toEqual([false, true]);
  });

  it('runs plan schedules unless --no-schedules', () => {
    expect([parseStartArgs([]).runSchedules, parseStartArgs(['--no-schedules']).runSchedules]).toEqual([true, false]);
  });

  it('rejects a non-numeric port, naming the flag and value', () => {
    expect(() => parseStartArgs(['--port', 'abc'])).toThrow(/--port: "abc" is invalid: must be an integer from 0 to 65535/);
  });

  it('rejects a time scale of 0', () => {
    expect(() => parseStartArgs(['--time-scale', '0'])).toThrow(/--time-scale: "0" is invalid: must be a number > 0/);
  });

  it('rejects a strict-auth value without a secret', () => {
    expect(() => parseStartArgs(['--strict-auth', 'AK:'])).toThrow(/--strict-auth: must be KEY:SECRET/);
  });

  it('passes --trail-event-limit to the sandbox (0 records no CloudTrail events), leaving the default when absent', () => {
    expect([parseStartArgs(['--trail-event-limit', '250']).trailEventLimit, parseStartArgs(['--trail-event-limit=0']).trailEventLimit, parseStartArgs([]).trailEventLimit])
      .toEqual([250, 0, undefined]);
  });

  it('rejects a negative or fractional --trail-event-limit, naming the flag and value', () => {
    expect(() => parseStartArgs(['--trail-event-limit', '-1'])).toThrow(/--trail-event-limit: "-1" is invalid: must be a whole number >= 0/);
    expect(() => parseStartArgs(['--trail-event-limit', '2.5'])).toThrow(/--trail-event-limit: "2.5" is invalid/);
  });

  it('rejects an unknown option', () => {
    expect(() => parseStartArgs(['--verbose'])).toThrow(/--verbose: unknown option/);
  });

  it('rejects a flag with no value', () => {
    expect(() => parseStartArgs(['--state-dir'])).toThrow(/--state-dir: a value is required/);
  });
});

describe('exportLines', () => {
  it('never prints the strict-auth secret', () => {
    const lines = exportLines({ AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'very-secret' }, true).join('\n');
    expect(lines).not.toMatch(/very-secret/);
  });

  it('prints the test credentials in the default mode', () => {
    expect(exportLines({ AWS_SECRET_ACCESS_KEY: 'test' }, false)).toEqual(['export AWS_SECRET_ACCESS_KEY=test']);
  });
});
