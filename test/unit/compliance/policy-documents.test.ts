/** Policy documents → statements: what rules read (effect, principals, unknown parts) and the malformed wording users see. */
import {
  deniesInsecureTransport, leafKind, policyFromDocument, policyFromText, statementFromDocument, statementFromJson, statementsFromJson, tlsDenial, toKeyPolicyStatement,
} from '../../../compliance/facts/policy';
import type { PolicyStatement } from '../../../compliance/facts/types';

const allow = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*' };

describe('leafKind', () => {
  it.each([
    ['arn:aws:s3:::logs', 'literal'],
    ['${aws:username}', 'literal'],
    ['${aws_s3_bucket.logs.arn}', 'reference'],
    ['${aws_s3_bucket.logs[0].arn}', 'reference'],
    ['${aws_s3_bucket.logs[*].arn}', 'reference'],
    ['arn:aws:iam::${var.a}:root', 'partial'],
    ['${var.principal}', 'unknown'],
    ['${local.x.y}', 'unknown'],
    ['${module.m.arn}', 'unknown'],
    ['${each.value.arn}', 'unknown'],
    ['${aws_s3_bucket.logs}', 'unknown'],
    ['${x}', 'unknown'],
    ['%{ if var.a }x%{ endif }', 'unknown'],
    ['${var.a}${var.b}', 'unknown'],
    ['${upper(var.a)}', 'unknown'],
    ['$${not.an.expression}', 'literal'],
    ['${aws_s3_bucket.a.arn}${aws_s3_bucket.b.arn}', 'unknown'],
  ])('%s is %s', (text, kind) => {
    expect(leafKind(text)).toBe(kind);
    expect(leafKind(text)).toBe(kind); // cached answer is the same
  });

  it('NOT_RESOURCES roots are never references', () => {
    for (const root of ['var', 'local', 'each', 'count', 'self', 'path', 'terraform', 'module', 'known_after_apply']) {
      expect(leafKind(`\${${root}.a.b}`)).toBe('unknown');
    }
  });

  it('keeps answering correctly after its cache fills', () => {
    for (let i = 0; i < 20_050; i++) leafKind(`\${aws_s3_bucket.b${i}.arn}`);
    expect(leafKind('${aws_s3_bucket.b1.arn}')).toBe('reference');
    expect(leafKind('${var.late}')).toBe('unknown');
  });
});

describe('policyFromDocument: statements', () => {
  it('reads an Allow statement with an object principal', () => {
    const p = policyFromDocument({ Statement: [{ ...allow, Sid: 'Read' }] });
    expect(p).toStrictEqual({
      statements: [{ sid: 'Read', effect: 'Allow', principals: ['AWS:arn:aws:iam::111122223333:root'], actions: ['s3:GetObject'], resources: ['*'], conditionKeys: [] }],
    });
  });

  it('an empty Sid is no sid', () => {
    expect(policyFromDocument({ Statement: { ...allow, Sid: '' } }).statements[0]).not.toHaveProperty('sid');
    expect(policyFromDocument({ Statement: { ...allow, Sid: 5 } }).statements[0]).not.toHaveProperty('sid');
  });

  it('reads Deny, "*" principal, NotAction, NotResource, NotPrincipal and a condition', () => {
    const p = policyFromDocument({
      Statement: {
        Effect: 'Deny', NotPrincipal: { AWS: ['arn:a', 'arn:b'], Service: 'logs.amazonaws.com' }, NotAction: ['s3:Get*'], NotResource: 'arn:aws:s3:::x',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    });
    expect(p.malformed).toBeUndefined();
    expect(p.statements).toEqual([{
      effect: 'Deny', principals: [], actions: [], resources: [], notActions: ['s3:Get*'], notResources: ['arn:aws:s3:::x'],
      notPrincipals: ['AWS:arn:a', 'AWS:arn:b', 'Service:logs.amazonaws.com'],
      condition: { Bool: { 'aws:SecureTransport': 'false' } }, conditionKeys: ['aws:SecureTransport'],
    }]);
    expect(policyFromDocument({ Statement: { ...allow, Principal: '*' } })).toEqual({ statements: [expect.objectContaining({ principals: ['*'] })] });
  });

  it('a condition with no keys is left out, but keeps no conditionKeys', () => {
    const s = policyFromDocument({ Statement: { ...allow, Condition: {} } }).statements[0];
    expect(s).not.toHaveProperty('condition');
    expect(s.conditionKeys).toEqual([]);
  });

  it('marks unknown fields and keeps their text', () => {
    const s = policyFromDocument({
      Statement: {
        Effect: '${var.effect}', Principal: { AWS: '${var.who}' }, NotPrincipal: '${var.not}', Action: '${var.a}', NotAction: 'arn:${var.p}:x',
        Resource: 'arn:aws:s3:::${var.b}/*', NotResource: '${var.nr}', Condition: { StringEquals: { 'aws:SourceAccount': '${var.acct}' } },
      },
    }).statements[0];
    expect(s.effect).toBe('Allow');
    expect(s.principals).toEqual(['AWS:${var.who}']);
    expect(s.actions).toEqual(['${var.a}']);
    expect(s.resources).toEqual(['arn:aws:s3:::${var.b}/*']);
    expect([...(s.unknown ?? [])].sort()).toEqual(['actions', 'condition', 'effect', 'notActions', 'notPrincipals', 'notResources', 'principals']);
  });

  it('a partial Resource is not unknown, a partial Action is', () => {
    expect(policyFromDocument({ Statement: { ...allow, Resource: 'arn:aws:s3:::${var.b}' } }).statements[0].unknown).toBeUndefined();
    expect(policyFromDocument({ Statement: { ...allow, Action: 's3:${var.verb}' } }).statements[0].unknown).toEqual(['actions']);
    expect(policyFromDocument({ Statement: { ...allow, Resource: '${aws_s3_bucket.b.arn}', Action: ['${aws_s3_bucket.b.arn}'] } }).statements[0].unknown).toBeUndefined();
  });

  it('a reference or partial principal is not unknown, nor a problem', () => {
    const p = policyFromDocument({ Statement: { ...allow, Principal: '${aws_iam_role.r.arn}' } });
    expect(p).toEqual({ statements: [expect.objectContaining({ principals: ['AWS:${aws_iam_role.r.arn}'] })] });
    expect(p.statements[0].unknown).toBeUndefined();
    const q = policyFromDocument({ Statement: { ...allow, Principal: { AWS: 'arn:aws:iam::${var.a}:root' } } });
    expect(q.statements[0].unknown).toBeUndefined();
    const u = policyFromDocument({ Statement: { ...allow, Principal: '${var.p}' } });
    expect(u.malformed).toBeUndefined();
    expect(u.statements[0]).toMatchObject({ principals: ['AWS:${var.p}'], unknown: ['principals'] });
  });

  it('a condition given as an unknown expression is an unknown condition', () => {
    const s = policyFromDocument({ Statement: { ...allow, Condition: '${var.cond}' } });
    expect(s.malformed).toBeUndefined();
    expect(s.statements[0]).toMatchObject({ unknown: ['condition'], condition: { '(unknown)': { '${var.cond}': '${var.cond}' } }, conditionKeys: ['${var.cond}'] });
  });

  it('an unknown condition key or list value is an unknown condition', () => {
    expect(policyFromDocument({ Statement: { ...allow, Condition: { StringEquals: { '${var.k}': 'x' } } } }).statements[0].unknown).toEqual(['condition']);
    expect(policyFromDocument({ Statement: { ...allow, Condition: { StringEquals: { k: ['a', '${var.v}'] } } } }).statements[0].unknown).toEqual(['condition']);
    const known = policyFromDocument({ Statement: { ...allow, Condition: { NumericLessThan: { k: 5 }, Bool: { b: true } } } });
    expect(known).toEqual({ statements: [expect.not.objectContaining({ unknown: expect.anything() })] });
    expect(known.statements[0].conditionKeys).toEqual(['k', 'b']);
  });
});

describe('policyFromDocument: unknown documents', () => {
  it('a whole document from an expression', () => {
    expect(policyFromDocument('${var.policy}')).toEqual({ statements: [], unknown: 'var.policy' });
    expect(policyFromDocument('${jsonencode(\n  local.p\n)}')).toEqual({ statements: [], unknown: 'jsonencode(\n  local.p\n)' });
    expect(policyFromDocument('x${var.policy}y').malformed).toContain('the policy is "x${var.policy}y", not a JSON object');
  });

  it('Statement from an expression', () => {
    expect(policyFromDocument({ Statement: '${var.s}' })).toEqual({ statements: [], unknown: 'Statement = var.s' });
    expect(policyFromDocument({ Statement: '${concat(\nvar.a, var.b)}' })).toEqual({ statements: [], unknown: 'Statement = concat(\nvar.a, var.b)' });
  });

  it('one statement from an expression', () => {
    expect(policyFromDocument({ Statement: [allow, '${var.s}'] })).toEqual({ statements: [], unknown: 'a statement = var.s' });
    expect(policyFromDocument({ Statement: ['${merge(\nvar.s)}'] })).toEqual({ statements: [], unknown: 'a statement = merge(\nvar.s)' });
  });
});

describe('policyFromDocument: malformed, in words', () => {
  const malformed = (doc: unknown) => policyFromDocument(doc).malformed;

  it('the document itself', () => {
    expect(malformed(null)).toBe('the policy is null, not a JSON object');
    expect(malformed([1])).toBe('the policy is a list, not a JSON object');
    expect(malformed(7)).toBe('the policy is number 7, not a JSON object');
    expect(malformed('plain')).toBe('the policy is "plain", not a JSON object');
    expect(malformed('a'.repeat(50))).toBe(`the policy is "${'a'.repeat(37)}...", not a JSON object`);
    expect(malformed('a'.repeat(40))).toBe(`the policy is "${'a'.repeat(40)}", not a JSON object`);
    expect(policyFromDocument({})).toEqual({ statements: [], malformed: 'the policy has no Statement' });
  });

  it('a statement that is not an object', () => {
    expect(policyFromDocument({ Statement: ['x', allow] })).toEqual({
      statements: [expect.objectContaining({ actions: ['s3:GetObject'] })], malformed: 'Statement[0] is "x", not an object',
    });
    expect(malformed({ Statement: 3 })).toBe('Statement is number 3, not an object');
    expect(malformed({ Statement: 'x' })).toBe('Statement is "x", not an object');
    expect(malformed({ Statement: ['x'] })).toBe('Statement[0] is "x", not an object');
  });

  it('the Effect', () => {
    expect(malformed({ Statement: { ...allow, Effect: undefined } })).toBe('Statement.Effect is missing');
    expect(malformed({ Statement: { ...allow, Effect: 'allow' } })).toBe('Statement.Effect "allow" is not "Allow" or "Deny"');
    expect(malformed({ Statement: [{ ...allow, Effect: true }] })).toBe('Statement[0].Effect boolean true is not "Allow" or "Deny"');
    const s = policyFromDocument({ Statement: { ...allow, Effect: 'Deny' } }).statements[0];
    expect(s.effect).toBe('Deny');
  });

  it('the principal', () => {
    expect(malformed({ Statement: { ...allow, Principal: 'arn:aws:iam::1:root' } })).toBe('Statement.Principal "arn:aws:iam::1:root" must be "*" or an object such as {"AWS": …}');
    expect(policyFromDocument({ Statement: { ...allow, Principal: 'arn:aws:iam::1:root' } }).statements[0].principals).toEqual(['AWS:arn:aws:iam::1:root']);
    expect(malformed({ Statement: { ...allow, NotPrincipal: ['*'] } })).toBe('Statement.NotPrincipal is a list, not "*" or an object');
    expect(policyFromDocument({ Statement: { ...allow, Principal: ['*'] } }).statements[0].principals).toEqual([]);
    const p = policyFromDocument({ Statement: { ...allow, Principal: { AWS: ['arn:a', 5, null] } } });
    expect(p.malformed).toBe('Statement.Principal.AWS holds number 5, not a string (and 1 more problem(s))');
    expect(p.statements[0].principals).toEqual(['AWS:arn:a']);
  });

  it('the actions and resources', () => {
    const p = policyFromDocument({ Statement: { ...allow, Action: ['s3:GetObject', { a: 1 }], Resource: [null] } });
    expect(p.malformed).toBe('Statement.Action holds an object, not a string (and 1 more problem(s))');
    expect(p.statements[0].actions).toEqual(['s3:GetObject']);
    expect(p.statements[0].resources).toEqual([]);
    expect(malformed({ Statement: { ...allow, Action: undefined } })).toBe('Statement.Action is missing (and no NotAction)');
    expect(malformed({ Statement: { ...allow, Action: undefined, NotAction: 's3:*' } })).toBeUndefined();
  });

  it('the condition', () => {
    expect(malformed({ Statement: { ...allow, Condition: 'x' } })).toBe('Statement.Condition is "x", not an object');
    expect(malformed({ Statement: { ...allow, Condition: [] } })).toBe('Statement.Condition is a list, not an object');
    expect(malformed({ Statement: { ...allow, Condition: { Bool: null } } })).toBe('Statement.Condition.Bool is null, not an object of condition keys');
    expect(malformed({ Statement: { ...allow, Condition: { Bool: { k: { a: 1 } } } } })).toBe('Statement.Condition.Bool.k holds an object, not a string');
    expect(malformed({ Statement: { ...allow, Condition: { Bool: { k: [null] } } } })).toBe('Statement.Condition.Bool.k holds null, not a string');
    const p = policyFromDocument({ Statement: { ...allow, Condition: { Bool: null, StringEquals: { k: 'v' } } } });
    expect(p.statements[0].condition).toEqual({ StringEquals: { k: 'v' } });
    expect(p.statements[0].conditionKeys).toEqual(['k']);
  });

  it('counts every problem across statements', () => {
    expect(malformed({ Statement: [{ Action: 'a' }, { Effect: 'Allow' }, 5] })).toBe('Statement[0].Effect is missing (and 2 more problem(s))');
  });
});

describe('policyFromText', () => {
  it('parses JSON text', () => {
    expect(policyFromText(JSON.stringify({ Statement: [allow] })).statements).toHaveLength(1);
  });
  it('names invalid JSON, on one line, shortened', () => {
    const p = policyFromText('{\n  "Statement": [\n    oops');
    expect(p.statements).toEqual([]);
    const m = p.malformed ?? '';
    expect(m).toMatch(/^the policy is not valid JSON \(.+\)$/);
    expect(m).not.toMatch(/\n|\s{2}/);
    expect(m.length).toBeLessThanOrEqual('the policy is not valid JSON ()'.length + 80);
  });
});

describe('statementFromJson / statementsFromJson (live policies)', () => {
  it('a non-object statement reads as an empty Allow', () => {
    expect(statementFromJson(5 as never)).toStrictEqual({ effect: 'Allow', principals: [], actions: [], resources: [], conditionKeys: [] });
  });
  it('reads text and objects, skips non-object statements', () => {
    expect(statementsFromJson(JSON.stringify({ Statement: [allow, 'x'] }))).toEqual([expect.objectContaining({ principals: ['AWS:arn:aws:iam::111122223333:root'] })]);
    expect(statementsFromJson({ Statement: allow })).toHaveLength(1);
    expect(statementsFromJson({})).toEqual([]);
    expect(statementsFromJson('not json')).toBeUndefined();
    expect(statementsFromJson('[1]')).toBeUndefined();
    expect(statementsFromJson(null)).toBeUndefined();
  });
});

describe('statementFromDocument', () => {
  const base = { actions: ['s3:*'], notActions: [], resources: ['*'], notResources: [], principals: ['*'], notPrincipals: [], condition: {}, unknown: [] };
  it('the minimal statement', () => {
    expect(statementFromDocument(base)).toStrictEqual({ effect: 'Allow', principals: ['*'], actions: ['s3:*'], resources: ['*'], conditionKeys: [] });
    expect(statementFromDocument({ ...base, effect: 'Deny' }).effect).toBe('Deny');
  });
  it('every optional field', () => {
    expect(statementFromDocument({
      ...base, sid: 'S', notActions: ['a'], notResources: ['r'], notPrincipals: ['AWS:x'], unknown: ['actions'], condition: { Bool: { k: 'v' } },
    })).toEqual({
      sid: 'S', effect: 'Allow', principals: ['*'], actions: ['s3:*'], resources: ['*'], notActions: ['a'], notResources: ['r'], notPrincipals: ['AWS:x'],
      unknown: ['actions'], condition: { Bool: { k: 'v' } }, conditionKeys: ['k'],
    });
  });
});

describe('toKeyPolicyStatement', () => {
  const s: PolicyStatement = { effect: 'Allow', principals: ['*'], actions: ['kms:*'], resources: ['*'], conditionKeys: [] };
  it('carries the optional fields and whether there is a condition', () => {
    expect(toKeyPolicyStatement(s)).toStrictEqual({ effect: 'Allow', principals: ['*'], actions: ['kms:*'], resources: ['*'], hasCondition: false, conditionKeys: [] });
    expect(toKeyPolicyStatement({ ...s, sid: 'K', notActions: ['a'], notPrincipals: ['AWS:x'], unknown: ['principals'], conditionKeys: ['k'] })).toEqual({
      sid: 'K', effect: 'Allow', principals: ['*'], actions: ['kms:*'], resources: ['*'], notActions: ['a'], notPrincipals: ['AWS:x'], unknown: ['principals'],
      hasCondition: true, conditionKeys: ['k'],
    });
  });
});

describe('tlsDenial', () => {
  const deny = (over: Partial<PolicyStatement> = {}): PolicyStatement => ({
    effect: 'Deny', principals: ['*'], actions: ['s3:*'], resources: ['*'], conditionKeys: ['aws:SecureTransport'],
    condition: { Bool: { 'aws:SecureTransport': 'false' } }, ...over,
  });

  it('the standard Deny', () => {
    expect(tlsDenial([deny()])).toBe(true);
    expect(deniesInsecureTransport([deny()])).toBe(true);
    expect(tlsDenial([deny({ principals: ['AWS:*'], actions: ['*'] })])).toBe(true);
    expect(tlsDenial([deny({ actions: ['S3:*'], condition: { bool: { 'aws:SecureTransport': ['FALSE'] } } })])).toBe(true);
    expect(tlsDenial([deny({ principals: [], notPrincipals: ['AWS:arn:admin'] })])).toBe(true);
    expect(tlsDenial([deny({ condition: { Bool: { 'aws:SecureTransport': ['true', 'false'] } } })])).toBe(true);
  });

  it('not a denial', () => {
    expect(tlsDenial([])).toBe(false);
    expect(deniesInsecureTransport([])).toBe(false);
    expect(tlsDenial([deny({ effect: 'Allow' })])).toBe(false);
    expect(tlsDenial([deny({ principals: ['AWS:arn:x'] })])).toBe(false);
    expect(tlsDenial([deny({ principals: ['AWS:arn:x'], notPrincipals: [] })])).toBe(false);
    expect(tlsDenial([deny({ actions: ['s3:GetObject'] })])).toBe(false);
    expect(tlsDenial([deny({ condition: { Bool: { 'aws:SecureTransport': 'true' } } })])).toBe(false);
    expect(tlsDenial([deny({ condition: { Bool: 'x' as never } })])).toBe(false);
    expect(tlsDenial([deny({ condition: undefined })])).toBe(false);
  });

  it('unknown when the Deny could be one', () => {
    expect(tlsDenial([deny({ effect: 'Allow', unknown: ['effect'] })])).toBe('unknown');
    expect(deniesInsecureTransport([deny({ effect: 'Allow', unknown: ['effect'] })])).toBe(false);
    expect(tlsDenial([deny({ principals: ['AWS:${var.p}'], unknown: ['principals'] })])).toBe('unknown');
    expect(tlsDenial([deny({ actions: ['${var.a}'], unknown: ['actions'] })])).toBe('unknown');
    expect(tlsDenial([deny({ condition: { '(unknown)': { '${var.c}': '${var.c}' } }, unknown: ['condition'] })])).toBe('unknown');
    expect(tlsDenial([deny({ unknown: ['resources'] })])).toBe('unknown');
    expect(tlsDenial([deny({ condition: { Bool: { 'aws:SecureTransport': 'true' } }, unknown: ['resources'] })])).toBe(false);
  });

  it('a known denial anywhere wins over an unknown one', () => {
    expect(tlsDenial([deny({ unknown: ['resources'] }), deny()])).toBe(true);
    expect(tlsDenial([deny({ effect: 'Allow' }), deny()])).toBe(true);
  });
});
