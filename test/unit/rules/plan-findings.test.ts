/** What users read in the findings of TS-PLAN-001 (the plan keeps tables, vaults and keys). */
import type { ChangeFact } from '../../../compliance/facts/types';
import { planKeepsDataResources as rule } from '../../../compliance/rules/plan/no-destroy';
import { factSet } from './fact-builder';

const change = (o: Partial<ChangeFact> = {}): ChangeFact => ({
  kind: 'change', id: 'aws_dynamodb_table.orders', name: 'orders', refs: [], tags: {}, resourceType: 'aws_dynamodb_table', actions: ['update'], ...o,
});
const evaluate = (o: Partial<ChangeFact>) => rule.evaluate(change(o), factSet());
const EXPECTED = 'create, update or no-op';

describe('TS-PLAN-001 findings', () => {
  it('does not apply to a data source read', () => {
    const f = evaluate({ actions: ['read'] });
    expect(f.status).toBe('not-applicable');
    expect(f.message).toBe('data source read');
  });
  it('is compliant with an update, naming the planned actions', () => {
    const f = evaluate({ actions: ['update'] });
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('planned: update');
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: EXPECTED, actual: 'update' });
  });
  it('is compliant with a create and a read together (not a lone read)', () => {
    const f = evaluate({ actions: ['read', 'create'] });
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('planned: read, create');
  });
  it('says "no change" when there are no actions', () => {
    const f = evaluate({ actions: [] });
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('planned: no change');
    expect(f.evidence?.actual).toBe('no-op');
  });
  it('reports a destroyed table, naming what is lost, with the remedy to keep it', () => {
    const f = evaluate({ actions: ['delete'] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('the plan destroys aws_dynamodb_table.orders: the table and its point-in-time recovery history would be lost');
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: EXPECTED, actual: 'delete' });
    expect(f.remedy).toContain('keep the resource in the configuration');
    expect(f.remedy).toContain('moved block');
    expect(f.remedy).toContain('suppress TS-PLAN-001');
  });
  it('reports a replaced vault with the reason and the attributes forcing it', () => {
    const f = evaluate({ id: 'aws_backup_vault.main', resourceType: 'aws_backup_vault', actions: ['delete', 'create'], reason: 'replace_because_cannot_update', replacePaths: ['name', 'kms_key_arn'] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('the plan replaces aws_backup_vault.main: the vault and its recovery points would be lost (reason: replace_because_cannot_update; forced by name, kms_key_arn)');
    expect(f.evidence?.actual).toBe('delete, create');
    expect(f.remedy).toContain('updated in place');
    expect(f.remedy).toContain('suppress TS-PLAN-001');
  });
  it('names the forcing attributes alone, or the reason alone', () => {
    expect(evaluate({ actions: ['create', 'delete'], replacePaths: ['hash_key'] }).message).toBe(
      'the plan replaces aws_dynamodb_table.orders: the table and its point-in-time recovery history would be lost (forced by hash_key)',
    );
    expect(evaluate({ actions: ['delete'], reason: 'delete_because_no_resource_config', replacePaths: [] }).message).toBe(
      'the plan destroys aws_dynamodb_table.orders: the table and its point-in-time recovery history would be lost (reason: delete_because_no_resource_config)',
    );
  });
  it('says a key takes everything encrypted with it', () => {
    const f = evaluate({ id: 'aws_kms_key.data', resourceType: 'aws_kms_key', actions: ['delete'] });
    expect(f.message).toBe('the plan destroys aws_kms_key.data: the key, and with it every table, recovery point and log encrypted with it (after the deletion window) would be lost');
  });
  it('falls back to "the resource" for another type', () => {
    expect(evaluate({ id: 'aws_s3_bucket.logs', resourceType: 'aws_s3_bucket', actions: ['delete'] }).message).toBe('the plan destroys aws_s3_bucket.logs: the resource would be lost');
  });
});
