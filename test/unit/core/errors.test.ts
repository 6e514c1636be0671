import { invalidInput, isTablesafeError, isUsageError, TablesafeError, usageError } from '../../../core/errors';
import { parseContract } from '../../../core/contract';
import { cronIntervalMinutes } from '../../../core/cron';
import { factsFromTerraform } from '../../../compliance/facts/from-terraform';
import { getPack } from '../../../compliance/rules/packs';
import { EncryptionKey } from '../../../modules/kms/encryption-key';
import { Table } from '../../../modules/table/table';
import { providerSettings } from '../../../stacks/provider';
import { parseDuration } from '../../../core/args';
import { contract } from '../verify/fixtures';
import { synthWith } from '../../helpers/synth';

/** What a call threw, for asserting on the error's fields. */
function thrown(fn: () => unknown): TablesafeError {
  try {
    fn();
  } catch (e) {
    if (!isTablesafeError(e)) throw new Error(`expected a TablesafeError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a throw');
}

describe('TablesafeError', () => {
  it('carries code, message, remedy, field and cause', () => {
    const cause = new Error('inner');
    const e = new TablesafeError('TS_E_X', 'it broke', 'do this', { field: 'a.b', cause });
    expect(e).toMatchObject({ name: 'TablesafeError', code: 'TS_E_X', message: 'it broke', remedy: 'do this', field: 'a.b', cause });
    expect(e.toLine()).toBe('TS_E_X: it broke — do this');
  });

  it('invalidInput keeps the one wording and sets the field', () => {
    expect(invalidInput('Table.tableName', 'a', 'must be 3-255 characters')).toMatchObject({
      code: 'TS_E_INVALID_INPUT',
      field: 'Table.tableName',
      message: 'Table.tableName: "a" is invalid: must be 3-255 characters',
    });
    expect(invalidInput('x.days', undefined, 'is required').message).toBe('x.days: (unset) is invalid: is required');
    expect(invalidInput('x.days', 0, 'must be > 0').message).toBe('x.days: 0 is invalid: must be > 0');
  });

  it('usage errors are TablesafeErrors told apart by code', () => {
    expect(isUsageError(usageError('--x: unknown option'))).toBe(true);
    expect(isUsageError(invalidInput('f', 1, 'r'))).toBe(false);
    expect(isUsageError(new Error('--x'))).toBe(false);
  });

});

describe('stable codes of user-facing failures', () => {
  it('construct props: TS_E_INVALID_INPUT with the field, message unchanged', () => {
    const e = thrown(() =>
      synthWith((s) => {
        const key = new EncryptionKey(s, 'key', { alias: 'k', region: 'us-east-1', services: ['dynamodb'] });
        new Table(s, 'table', { tableName: 'a', region: 'us-east-1', partitionKey: { name: 'ID', type: 'S' }, encryptionKey: key });
      }),
    );
    expect(e).toMatchObject({ code: 'TS_E_INVALID_INPUT', field: 'Table.tableName' });
    expect(e.message).toMatch(/^Table\.tableName: "a" is invalid: /);
  });

  it('environment variables: TS_E_INVALID_ENV naming the variable', () => {
    expect(thrown(() => providerSettings({ TABLESAFE_ACCOUNT_ID: '42' }))).toMatchObject({ code: 'TS_E_INVALID_ENV', field: 'TABLESAFE_ACCOUNT_ID' });
    expect(thrown(() => providerSettings({ TABLESAFE_OFFLINE: '1' }))).toMatchObject({ code: 'TS_E_INVALID_ENV', field: 'TABLESAFE_OFFLINE' });
  });

  it('an unknown pack: TS_E_UNKNOWN_PACK', () => {
    expect(thrown(() => getPack('loose'))).toMatchObject({ code: 'TS_E_UNKNOWN_PACK', message: expect.stringMatching(/known packs: tablesafe-baseline, tablesafe-strict/) });
  });

  it('a contract with a broken field: TS_E_CONTRACT_INVALID naming it', () => {
    expect(thrown(() => parseContract({ ...contract(), schemaVersion: 9 }, 'c.json'))).toMatchObject({ code: 'TS_E_CONTRACT_INVALID', field: 'schemaVersion' });
    expect(thrown(() => parseContract({ ...contract(), drill: { rtoMinutes: 0 } }, 'c.json'))).toMatchObject({ code: 'TS_E_CONTRACT_INVALID', field: 'drill.rtoMinutes' });
  });

  it('input that is not Terraform JSON: TS_E_NOT_TERRAFORM_JSON', () => {
    expect(thrown(() => factsFromTerraform({ hello: 1 }))).toMatchObject({ code: 'TS_E_NOT_TERRAFORM_JSON' });
  });

  it('a bad duration: TS_E_INVALID_INPUT naming the option', () => {
    expect(thrown(() => parseDuration('soon', '--older-than'))).toMatchObject({ code: 'TS_E_INVALID_INPUT', field: '--older-than' });
  });

  it('a bad schedule: TS_E_INVALID_SCHEDULE', () => {
    expect(thrown(() => cronIntervalMinutes('rate(1 day)'))).toMatchObject({ code: 'TS_E_INVALID_SCHEDULE', field: 'schedule' });
  });
});
