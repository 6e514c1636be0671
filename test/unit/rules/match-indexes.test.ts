/**
 * Relations over a whole FactSet: which bucket a trail writes its logs to, which vault a plan rule
 * or copy action targets.
 */
import { trailBucketOf, unknownTrailBuckets, vaultFor } from '../../../compliance/rules/match';
import { bucket, factSet, trail, vault } from './fact-builder';

describe('trailBucketOf', () => {
  const withTrails = (...bucketRefs: string[]) => factSet({ trails: bucketRefs.map((bucketRef, i) => trail({ id: `aws_cloudtrail.t${i}`, bucketRef })) });

  it('is yes for the bucket a trail names literally, by name or ARN', () => {
    expect(trailBucketOf(bucket(), withTrails('audit-logs'))).toBe('yes');
    expect(trailBucketOf(bucket({ refs: [] }), withTrails('audit-logs'))).toBe('yes');
    expect(trailBucketOf(bucket({ refs: ['audit-logs', 'arn:aws:s3:::audit-logs'] }), withTrails('arn:aws:s3:::audit-logs'))).toBe('yes');
  });
  it('is yes for a live bucket a trail names by its id', () => {
    const arn = 'arn:aws:s3:::audit-logs';
    expect(trailBucketOf(bucket({ id: arn, name: 'other', refs: [] }), withTrails(arn))).toBe('yes');
  });
  it('is no for a bucket no trail names', () => {
    expect(trailBucketOf(bucket(), withTrails('other-logs'))).toBe('no');
    expect(trailBucketOf(bucket(), factSet())).toBe('no');
  });
  it('is yes for the bucket a trail references, and only that one', () => {
    expect(trailBucketOf(bucket(), withTrails('${aws_s3_bucket.audit.id}'))).toBe('yes');
    expect(trailBucketOf(bucket({ id: 'aws_s3_bucket.audit-2', name: 'audit-2', refs: ['audit-2'] }), withTrails('${aws_s3_bucket.audit.id}'))).toBe('no');
  });
  it('is yes for every instance of a counted bucket referenced by its base or a splat', () => {
    for (const id of ['aws_s3_bucket.audit[0]', 'aws_s3_bucket.audit[10]', 'aws_s3_bucket.audit["eu"]']) {
      const b = bucket({ id, name: 'x', refs: [] });
      expect(trailBucketOf(b, withTrails('${aws_s3_bucket.audit.id}'))).toBe('yes');
      expect(trailBucketOf(b, withTrails('${aws_s3_bucket.audit[*].id}'))).toBe('yes');
    }
  });
  it('is yes for the one instance a trail references, no for the others', () => {
    const facts = withTrails('${aws_s3_bucket.audit[1].id}');
    expect(trailBucketOf(bucket({ id: 'aws_s3_bucket.audit[1]', name: 'x', refs: [] }), facts)).toBe('yes');
    expect(trailBucketOf(bucket({ id: 'aws_s3_bucket.audit[0]', name: 'y', refs: [] }), facts)).toBe('no');
  });
  it('tells instances of a counted module apart', () => {
    const facts = withTrails('${module.logs[0].aws_s3_bucket.audit.id}');
    expect(trailBucketOf(bucket({ id: 'module.logs[0].aws_s3_bucket.audit[1]', name: 'x', refs: [] }), facts)).toBe('yes');
    expect(trailBucketOf(bucket({ id: 'module.logs[1].aws_s3_bucket.audit[1]', name: 'y', refs: [] }), facts)).toBe('no');
  });
  it('does not take a trail without a bucket name for the log trail of a bucket without one', () => {
    expect(trailBucketOf(bucket({ id: 'arn:aws:s3:::', name: '', refs: [] }), withTrails(''))).toBe('no');
  });
  it('is unknown for a bucket no trail names when a trail bucket is not known', () => {
    const facts = factSet({
      trails: [trail({ bucketRef: '${var.bucket}', unknown: ['bucketRef'], unknownExpressions: { bucketRef: 's3_bucket_name = var.bucket' } })],
    });
    expect(trailBucketOf(bucket(), facts)).toBe('unknown');
  });
});

describe('unknownTrailBuckets', () => {
  it('says why a trail bucket is not known, with the expression or the trail attribute', () => {
    const facts = factSet({
      trails: [
        trail({ id: 'aws_cloudtrail.a', bucketRef: '${var.bucket}', unknown: ['bucketRef'], unknownExpressions: { bucketRef: 's3_bucket_name = var.bucket' } }),
        trail({ id: 'aws_cloudtrail.b', bucketRef: '${var.other}', unknown: ['bucketRef'] }),
        trail({ id: 'aws_cloudtrail.c', bucketRef: 'audit-logs' }),
      ],
    });
    expect(unknownTrailBuckets(facts)).toEqual(['s3_bucket_name = var.bucket', 'aws_cloudtrail.b.s3_bucket_name']);
  });
  it('is empty when every trail bucket is known', () => {
    expect(unknownTrailBuckets(factSet({ trails: [trail()] }))).toEqual([]);
  });
});

describe('vaultFor', () => {
  // As synthesized: a vault's literal name is its name, not one of its refs.
  const east = vault({ id: 'aws_backup_vault.east', name: 'main', refs: [], region: 'us-east-1' });
  const west = vault({ id: 'aws_backup_vault.west', name: 'main', refs: [], region: 'eu-west-1' });

  it('finds the vault by name, id, ARN or reference', () => {
    const arn = 'arn:aws:backup:us-east-1:111122223333:backup-vault:main';
    const facts = factSet({ vaults: [vault({ refs: ['main', arn] })] });
    for (const ref of ['main', 'aws_backup_vault.main', arn, '${aws_backup_vault.main.name}']) {
      expect(vaultFor(ref, facts)?.id).toBe('aws_backup_vault.main');
    }
  });
  it('finds nothing for an empty reference or a vault not in scope', () => {
    const facts = factSet({ vaults: [vault()] });
    expect(vaultFor('', facts)).toBeUndefined();
    expect(vaultFor('other', facts)).toBeUndefined();
    expect(vaultFor('${aws_backup_vault.other.name}', facts)).toBeUndefined();
  });
  it('finds the vault of that name in the caller region, whichever comes first', () => {
    expect(vaultFor('main', factSet({ vaults: [east, west] }), { region: 'us-east-1' })?.id).toBe('aws_backup_vault.east');
    expect(vaultFor('main', factSet({ vaults: [east, west] }), { region: 'eu-west-1' })?.id).toBe('aws_backup_vault.west');
    expect(vaultFor('main', factSet({ vaults: [east] }), { region: 'eu-west-1' })).toBeUndefined();
  });
  it('finds a vault named by a variable through the same variable, and not through another', () => {
    const named = vault({ id: 'aws_backup_vault.v', name: '${var.vault_name}', refs: ['${var.vault_name}'] });
    const facts = factSet({ vaults: [named] });
    expect(vaultFor('${var.vault_name}', facts)?.id).toBe('aws_backup_vault.v');
    expect(vaultFor('${var.dr_vault_name}', facts)).toBeUndefined();
  });
  it('finds an instance of a counted vault through a reference to its base', () => {
    const counted = vault({ id: 'aws_backup_vault.main[0]', name: 'main-0', refs: ['main-0'] });
    const facts = factSet({ vaults: [vault({ id: 'aws_backup_vault.other', name: 'other', refs: ['other'] }), counted] });
    expect(vaultFor('${aws_backup_vault.main.name}', facts)?.id).toBe('aws_backup_vault.main[0]');
  });
});
