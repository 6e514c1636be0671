/**
 * The canonical encoding every item hash is taken over. Digests from two runs (or two tables) are
 * compared as hex, so the text of each value type is a format: a change to it silently makes equal
 * tables look different, or different tables look equal.
 */
import { canonicalItem, canonicalValue, differingAttributes, describeDifferences, itemHash, keyLabel, keyOf } from '../../../verify/drill/digest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

describe('canonicalValue: one stable text per DynamoDB type', () => {
  it.each<[string, AttributeValue, string]>([
    ['binary, in base64', { B: Uint8Array.from([1, 2, 3]) }, 'BAQID'],
    ['boolean', { BOOL: false }, 'BOOLfalse'],
    ['null', { NULL: true }, 'NULL'],
    ['string set, sorted', { SS: ['b', 'a'] }, 'SS["a","b"]'],
    ['number set, canonical numbers sorted', { NS: ['2', '10'] }, 'NS[0.1e2,0.2e1]'],
    ['binary set, base64 sorted', { BS: [Uint8Array.from([2]), Uint8Array.from([1])] }, 'BS[AQ==,Ag==]'],
    ['list, in order', { L: [{ S: 'a' }, { N: '1' }] }, 'L[S"a",N0.1e1]'],
    ['map, by attribute name', { M: { b: { S: 'x' }, a: { BOOL: true } } }, 'M{"a":BOOLtrue,"b":S"x"}'],
    ['a type this version does not know', {} as AttributeValue, 'UNKNOWN'],
  ])('encodes a %s', (_, value, text) => {
    expect(canonicalValue(value)).toBe(text);
  });

  it('separates attributes with a comma, names sorted', () => {
    expect(canonicalItem({ b: { S: 'y' }, a: { S: 'x' } })).toBe('"a":S"x","b":S"y"');
  });

  it('tells apart values of each type that differ', () => {
    const pairs: Array<[AttributeValue, AttributeValue]> = [
      [{ B: Uint8Array.from([1]) }, { B: Uint8Array.from([2]) }],
      [{ BOOL: true }, { BOOL: false }],
      [{ NULL: true }, { BOOL: true }],
      [{ SS: ['a', 'b'] }, { SS: ['a', 'c'] }],
      [{ NS: ['1'] }, { NS: ['2'] }],
      [{ BS: [Uint8Array.from([1])] }, { BS: [Uint8Array.from([2])] }],
      [{ M: { a: { S: 'x' } } }, { M: { a: { S: 'y' } } }],
    ];
    for (const [a, b] of pairs) expect(itemHash({ v: a })).not.toBe(itemHash({ v: b }));
  });
});

describe('canonical numbers: equal values, equal text', () => {
  it.each([
    ['1.50', '0.15e1'],
    ['001.5', '0.15e1'],
    [' 15 ', '0.15e2'],
    ['+7', '0.7e1'],
    ['100', '0.1e3'],
    ['1.05', '0.105e1'],
    ['0.005', '0.5e-2'],
    ['-1.5e3', '-0.15e4'],
    ['1.5E-3', '0.15e-2'],
    ['1e10', '0.1e11'],
    ['0', '0'],
    ['-0.00', '0'],
  ])('%j is N%s', (n, text) => {
    expect(canonicalValue({ N: n })).toBe(`N${text}`);
  });

  it('keeps text that is not a number as it is', () => {
    expect(canonicalValue({ N: 'abc' })).toBe('Nabc');
  });

  it('gives 1500, 1.5e3 and 15E2 one hash, and 1.5e-3 another', () => {
    expect(itemHash({ n: { N: '1500' } })).toBe(itemHash({ n: { N: '1.5e3' } }));
    expect(itemHash({ n: { N: '15E2' } })).toBe(itemHash({ n: { N: '1500' } }));
    expect(itemHash({ n: { N: '1.5e-3' } })).not.toBe(itemHash({ n: { N: '1.5e3' } }));
  });
});

describe('keys as people read them', () => {
  it('keeps only the key attributes the item has', () => {
    expect(Object.keys(keyOf({ ID: { S: 'a' }, v: { N: '1' } }, { partitionKey: 'ID', sortKey: 'SK' }))).toEqual(['ID']);
  });

  it('shows a binary key in base64', () => {
    expect(keyLabel({ ID: { B: Uint8Array.from([1, 2]) } }, { partitionKey: 'ID' })).toBe('{"ID":"AQI="}');
  });
});

describe('differences for a report line', () => {
  it('lists each key with its word, and the changed attributes in parentheses', () => {
    const line = describeDifferences(
      [{ key: '{"ID":"id-3"}', kind: 'missing' }, { key: '{"ID":"id-9"}', kind: 'changed', attributes: ['name', 'n'] }, { key: '{"ID":"id-4"}', kind: 'changed', attributes: [] }],
      { missing: 'gone', extra: 'added', changed: 'changed' },
    );
    expect(line).toBe('{"ID":"id-3"} gone; {"ID":"id-9"} changed (name, n); {"ID":"id-4"} changed');
  });

  it('names differing attributes in sorted order', () => {
    expect(differingAttributes({ z: { S: '1' }, a: { S: '1' } }, { z: { S: '2' }, a: { S: '2' } })).toEqual(['a', 'z']);
  });
});
