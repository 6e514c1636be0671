import { globMatch } from '../../../core/glob';

describe('globMatch (IAM, Backup selections, StringLike)', () => {
  it.each([
    ['arn:aws:dynamodb:*:*:table/orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', true],
    ['arn:aws:dynamodb:*:*:table/orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-2', false],
    ['table/ord?rs', 'table/orders', true],
    ['table/ord?rs', 'table/ordrs', false],
    ['a.b', 'axb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['', '', true],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it('is case-sensitive unless asked (IAM action names are not)', () => {
    expect(globMatch('dynamodb:Get*', 'dynamodb:getitem')).toBe(false);
    expect(globMatch('dynamodb:Get*', 'dynamodb:getitem', true)).toBe(true);
  });
});

it('stays linear on a pattern built to make a regular expression backtrack', () => {
  const started = Date.now();
  expect(globMatch(`arn:${'*a'.repeat(30)}*b`, `arn:${'a'.repeat(5_000)}`)).toBe(false);
  expect(Date.now() - started).toBeLessThan(2_000);
});
