/**
 * How the rules relate a value (ARN, name, id or `${...}` reference) to a resource, and how they show
 * values in messages: compared by whole address, never by prefix, and region-aware for names.
 */
import { actionMatches, allowsAction, list, parseRef, refersTo, shown } from '../../../compliance/rules/match';
import { statement, table, vault } from './fact-builder';

describe('parseRef', () => {
  it('splits a reference into base address, instance address and attribute path', () => {
    expect(parseRef('${aws_s3_bucket.logs.arn}')).toEqual({ base: 'aws_s3_bucket.logs', address: 'aws_s3_bucket.logs', all: false, path: '.arn' });
    expect(parseRef('${aws_s3_bucket.logs[0].id}')).toEqual({ base: 'aws_s3_bucket.logs', address: 'aws_s3_bucket.logs[0]', all: false, path: '.id' });
  });
  it('reads a splat as every instance of the base, addressed by the base', () => {
    expect(parseRef('${aws_s3_bucket.logs[*].arn}')).toEqual({ base: 'aws_s3_bucket.logs', address: 'aws_s3_bucket.logs', all: true, path: '.arn' });
  });
  it('keeps module prefixes in the address', () => {
    expect(parseRef('${module.m[0].aws_kms_key.k.arn}')?.address).toBe('module.m[0].aws_kms_key.k');
  });
  it('is undefined for anything that is not one whole reference', () => {
    for (const v of ['orders', 'arn:aws:kms:us-east-1:111122223333:key/k', 'arn:${aws_kms_key.k.arn}', '${aws_kms_key.k.arn}-x', '${join(",", var.x)}']) {
      expect(parseRef(v)).toBeUndefined();
    }
    // Asked twice: the answer does not depend on an earlier call.
    expect(parseRef('orders')).toBeUndefined();
  });
});

describe('refersTo', () => {
  const t = table({ refs: ['arn:aws:dynamodb:us-east-1:111122223333:table/orders'] });

  it('designates nothing with no value or an empty one, even a resource whose name is empty', () => {
    expect(refersTo(undefined, t)).toBe(false);
    expect(refersTo('', t)).toBe(false);
    expect(refersTo('', table({ name: '', refs: [] }))).toBe(false);
  });
  it('designates a resource by its id', () => {
    expect(refersTo('aws_dynamodb_table.orders', t)).toBe(true);
  });
  it('designates a resource by one of its refs (its ARN)', () => {
    expect(refersTo('arn:aws:dynamodb:us-east-1:111122223333:table/orders', t)).toBe(true);
  });
  it('designates a resource by its literal name', () => {
    expect(refersTo('orders', t)).toBe(true);
    expect(refersTo('orders-2', t)).toBe(false);
  });
  it('designates a resource by a reference to its address, never by prefix', () => {
    expect(refersTo('${aws_dynamodb_table.orders.arn}', t)).toBe(true);
    expect(refersTo('${aws_dynamodb_table.other.arn}', t)).toBe(false);
    expect(refersTo('${aws_kms_key.k.arn}', { ...t, id: 'aws_kms_key.k-2' })).toBe(false);
  });
  it('designates every instance of a counted resource through a reference to its base or a splat', () => {
    const counted = table({ id: 'aws_dynamodb_table.orders[0]' });
    expect(refersTo('${aws_dynamodb_table.orders.arn}', counted)).toBe(true);
    expect(refersTo('${aws_dynamodb_table.orders[*].arn}', counted)).toBe(true);
    expect(refersTo('${aws_dynamodb_table.orders[0].arn}', counted)).toBe(true);
    expect(refersTo('${aws_dynamodb_table.orders[1].arn}', counted)).toBe(false);
  });
  it('does not take an expression that is not one whole reference for the resource', () => {
    expect(refersTo('${aws_dynamodb_table.orders.arn}-copy', t)).toBe(false);
    expect(refersTo('${join(",", var.tables)}', t)).toBe(false);
  });

  describe('a literal name and the caller region', () => {
    const east = vault({ refs: [], region: 'us-east-1' });
    it('designates the resource in the same region', () => {
      expect(refersTo('main', east, { region: 'us-east-1' })).toBe(true);
    });
    it('does not designate the resource of another region', () => {
      expect(refersTo('main', east, { region: 'eu-west-1' })).toBe(false);
    });
    it('designates it when the caller region is not known', () => {
      expect(refersTo('main', east)).toBe(true);
      expect(refersTo('main', east, {})).toBe(true);
    });
    it('designates it when the resource region is not known', () => {
      expect(refersTo('main', vault({ refs: [], region: undefined }), { region: 'eu-west-1' })).toBe(true);
    });
  });
});

describe('shown', () => {
  it('shows references by address and other text as written', () => {
    expect(shown('${aws_kms_key.k.arn}')).toBe('aws_kms_key.k.arn');
    expect(shown('arn:aws:iam::${var.account}:root')).toBe('arn:aws:iam::var.account:root');
    expect(shown('alias/data')).toBe('alias/data');
  });
  it('shows a value known only after apply in words', () => {
    expect(shown('${known_after_apply}')).toBe('(known after apply)');
    expect(shown('arn:aws:kms:us-east-1:111122223333:key/${known_after_apply}')).toBe('arn:aws:kms:us-east-1:111122223333:key/(known after apply)');
  });
});

describe('list', () => {
  it('says (none) for no values', () => {
    expect(list([])).toBe('(none)');
  });
  it('lists up to the maximum, references by address', () => {
    expect(list(['a', '${aws_kms_key.k.arn}'])).toBe('a, aws_kms_key.k.arn');
    expect(list(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c, d, e');
  });
  it('counts the values past the maximum', () => {
    expect(list(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
    expect(list(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});

describe('actionMatches and allowsAction', () => {
  it('matches IAM action names case-insensitively, with wildcards', () => {
    expect(actionMatches('dynamodb:getitem', 'dynamodb:GetItem')).toBe(true);
    expect(actionMatches('dynamodb:Get*', 'dynamodb:GetItem')).toBe(true);
    expect(actionMatches('dynamodb:Put*', 'dynamodb:GetItem')).toBe(false);
  });
  it('grants an action through an Allow with Action', () => {
    expect(allowsAction(statement({ actions: ['dynamodb:GetItem'] }), 'dynamodb:GetItem')).toBe(true);
    expect(allowsAction(statement({ actions: ['dynamodb:GetItem'] }), 'dynamodb:DeleteItem')).toBe(false);
  });
  it('never grants through a Deny', () => {
    expect(allowsAction(statement({ effect: 'Deny', actions: ['dynamodb:*'] }), 'dynamodb:GetItem')).toBe(false);
  });
  it('grants every action but the NotAction ones', () => {
    const s = statement({ actions: [], notActions: ['dynamodb:Delete*', 's3:*'] });
    expect(allowsAction(s, 'dynamodb:DeleteItem')).toBe(false);
    expect(allowsAction(s, 's3:GetObject')).toBe(false);
    expect(allowsAction(s, 'dynamodb:GetItem')).toBe(true);
  });
  it('reads an empty NotAction as absent: Action decides', () => {
    const s = statement({ actions: ['dynamodb:GetItem'], notActions: [] });
    expect(allowsAction(s, 'dynamodb:DeleteItem')).toBe(false);
    expect(allowsAction(s, 'dynamodb:GetItem')).toBe(true);
  });
});
