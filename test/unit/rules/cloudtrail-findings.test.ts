/** What the CloudTrail rules tell a user: verdict, message naming the trail's setting, evidence and remedy. */
import { UNKNOWN_REMEDY } from '../../../compliance/rules/rule';
import { trailDynamoDbDataEvents } from '../../../compliance/rules/cloudtrail/dynamodb-data-events';
import { trailKmsEncrypted } from '../../../compliance/rules/cloudtrail/kms-encrypted';
import { trailLogFileValidation } from '../../../compliance/rules/cloudtrail/log-validation';
import { trailMultiRegion } from '../../../compliance/rules/cloudtrail/multi-region';
import { factSet, table, trail } from './fact-builder';

const ORDERS = '${aws_dynamodb_table.orders.arn}';
const CUSTOMERS = '${aws_dynamodb_table.customers.arn}';
const UNKNOWN_ARN = '${element(var.tables, 0)}';
const customers = table({ id: 'aws_dynamodb_table.customers', name: 'customers', refs: ['customers'] });

describe('TS-CT-002 trail KMS encryption findings', () => {
  it('names the key when the log files are encrypted', () => {
    expect(trailKmsEncrypted.evaluate(trail(), factSet())).toMatchObject({
      status: 'compliant', message: 'log files are KMS-encrypted',
      evidence: { resource: 'aws_cloudtrail.audit', expected: 'SSE-KMS', actual: 'SSE-KMS (aws_kms_key.data.arn)' },
    });
  });
  it('says the log files are not encrypted and how to fix it', () => {
    expect(trailKmsEncrypted.evaluate(trail({ kmsKeyRef: undefined }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'log files are not KMS-encrypted', evidence: { expected: 'SSE-KMS', actual: 'no KMS key' },
      remedy: 'set kms_key_id of the trail to a customer-managed key',
    });
  });
});

describe('TS-CT-003 log file validation findings', () => {
  it('says validation is enabled, with evidence', () => {
    expect(trailLogFileValidation.evaluate(trail(), factSet())).toMatchObject({
      status: 'compliant', message: 'log file validation is enabled', evidence: { expected: 'enabled', actual: 'enabled' },
    });
  });
  it('says validation is disabled and names the setting to change', () => {
    expect(trailLogFileValidation.evaluate(trail({ logFileValidation: false }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'log file validation is disabled', evidence: { expected: 'enabled', actual: 'disabled' }, remedy: 'set enable_log_file_validation = true',
    });
  });
});

describe('TS-CT-001 multi-region findings', () => {
  it('says the trail is multi-region, with evidence', () => {
    expect(trailMultiRegion.evaluate(trail(), factSet())).toMatchObject({
      status: 'compliant', message: 'trail is multi-region', evidence: { expected: 'multi-region', actual: 'multi-region' },
    });
  });
  it('says a single-region trail logs one region and how to fix it', () => {
    expect(trailMultiRegion.evaluate(trail({ multiRegion: false }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'trail logs one region only', evidence: { expected: 'multi-region', actual: 'single-region' },
      remedy: 'set is_multi_region_trail = true (AuditTrail is multi-region by default)',
    });
  });
  it('explains why a data-events-only trail is out of scope', () => {
    expect(trailMultiRegion.evaluate(trail({ managementEvents: false }), factSet())).toEqual(expect.objectContaining({
      status: 'not-applicable', message: 'trail logs data events only; multi-region applies to the management-event trail',
    }));
  });
  it('is unknown when whether the trail logs management events is not known', () => {
    const t = trail({ managementEvents: false, unknown: ['managementEvents'], unknownExpressions: { managementEvents: 'var.management' } });
    expect(trailMultiRegion.evaluate(t, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.management') });
  });
  it('judges region scope when management events are logged even if that flag was reported unknown', () => {
    const t = trail({ managementEvents: true, multiRegion: false, unknown: ['managementEvents'] });
    expect(trailMultiRegion.evaluate(t, factSet()).status).toBe('non-compliant');
  });
  it('is unknown when multi-region is not known, naming the expression', () => {
    const t = trail({ unknown: ['multiRegion'], unknownExpressions: { multiRegion: 'var.multi' } });
    expect(trailMultiRegion.evaluate(t, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.multi'), remedy: UNKNOWN_REMEDY });
  });
});

describe('TS-CT-004 DynamoDB data events findings', () => {
  const facts = (trails = [trail()], platformTables = ['orders']) =>
    factSet({ tables: [table(), customers], trails, requirements: { platformTables } });
  const verdict = (trails = [trail()], platformTables = ['orders']) => trailDynamoDbDataEvents.evaluate(trails[0], facts(trails, platformTables));

  it('explains why it does not apply without platform tables', () => {
    expect(trailDynamoDbDataEvents.evaluate(trail(), factSet())).toMatchObject({ status: 'not-applicable', message: 'the environment names no platform tables' });
  });

  it('says every platform table is covered, with the tables as evidence', () => {
    expect(verdict()).toMatchObject({
      status: 'compliant', message: 'every platform table has data events logged',
      evidence: { expected: 'data events for orders', actual: 'covered: orders' },
    });
  });

  it('names the uncovered table, the evidence and the selector to add', () => {
    const f = verdict([trail()], ['orders', 'customers']);
    expect(f).toMatchObject({
      status: 'non-compliant', message: 'no trail logs DynamoDB data events for customers',
      evidence: { expected: 'data events for orders, customers', actual: 'not covered: customers' },
    });
    expect(f.remedy).toContain('eventCategory = Data');
    expect(f.remedy).toContain('AWS::DynamoDB::Table');
  });

  it('matches a platform table on its own name, not on another table', () => {
    expect(verdict([trail()], ['customers']).status).toBe('non-compliant');
  });

  it('is compliant when the table is a later selector of the trail', () => {
    expect(verdict([trail({ dynamoDbDataEventTables: [CUSTOMERS, ORDERS] })]).status).toBe('compliant');
  });

  it('is compliant when a later trail covers the table', () => {
    const other = trail({ id: 'aws_cloudtrail.other', dynamoDbDataEventTables: [CUSTOMERS] });
    expect(verdict([other, trail()]).status).toBe('compliant');
  });

  it('is compliant when a selector not known before apply precedes the one that covers the table', () => {
    expect(verdict([trail({ dynamoDbDataEventTables: [UNKNOWN_ARN, ORDERS] })]).status).toBe('compliant');
  });

  it('a selector for another table does not make the verdict unknown', () => {
    expect(verdict([trail({ dynamoDbDataEventTables: [CUSTOMERS] })]).status).toBe('non-compliant');
  });

  it('is unknown, not a violation, when a selector is not known before apply', () => {
    const f = verdict([trail({ dynamoDbDataEventTables: [UNKNOWN_ARN] })]);
    expect(f).toMatchObject({ status: 'unknown', message: expect.stringContaining('data events for orders'), remedy: UNKNOWN_REMEDY });
  });

  it('is unknown when a trail\'s event selectors are not known, naming the trail and its expression', () => {
    const unknownTrail = trail({ id: 'aws_cloudtrail.vars', dynamoDbDataEventTables: [], unknown: ['dataEvents'], unknownExpressions: { dataEvents: 'var.selectors' } });
    const plain = trail({ id: 'aws_cloudtrail.plain', dynamoDbDataEventTables: [] });
    const f = verdict([plain, unknownTrail]);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('data events for orders');
    expect(f.message).toContain('aws_cloudtrail.vars: var.selectors');
    expect(f.message).not.toContain('aws_cloudtrail.plain');
  });

  it('says the event selectors are not known when the source gives no expression', () => {
    const unknownTrail = trail({ dynamoDbDataEventTables: [], unknown: ['dataEvents'] });
    expect(verdict([unknownTrail]).message).toContain('aws_cloudtrail.audit: event selectors not known');
  });

  it('names at most two trails whose selectors are not known', () => {
    const u = (n: string) => trail({ id: `aws_cloudtrail.${n}`, dynamoDbDataEventTables: [], unknown: ['dataEvents'] });
    const f = verdict([u('a'), u('b'), u('c')]);
    expect(f.message).toContain('aws_cloudtrail.a');
    expect(f.message).toContain('aws_cloudtrail.b');
    expect(f.message).not.toContain('aws_cloudtrail.c');
    expect(f.message).not.toContain('more');
  });

  it('a trail unknown in another field does not make the verdict unknown', () => {
    const t = trail({ dynamoDbDataEventTables: [], unknown: ['kmsKeyRef'] });
    expect(verdict([t]).status).toBe('non-compliant');
  });

  it('stays compliant when one trail covers the table and another trail\'s selectors are not known', () => {
    const unknownTrail = trail({ id: 'aws_cloudtrail.vars', dynamoDbDataEventTables: [], unknown: ['dataEvents'] });
    expect(verdict([trail(), unknownTrail]).status).toBe('compliant');
  });
});
