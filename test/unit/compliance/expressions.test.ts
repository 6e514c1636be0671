import { ParseError, parseTemplate } from '../../../compliance/facts/hcl';
import { Computed, EMPTY_SCOPE, evalString, EvalContext, refText, Value } from '../../../compliance/facts/eval';

/** A context where every resource attribute is unknown and no local is set, but `local.name`. */
const ctx: EvalContext = {
  local: (name) => (name === 'name' ? 'orders' : new Computed(`\${local.${name}}`, [])),
  resource: (base, index, path) => {
    const ref = { base, address: typeof index === 'number' || typeof index === 'string' ? `${base}[${JSON.stringify(index)}]` : base, path, all: index === '*' };
    return new Computed(refText(ref), [ref], { exact: ref });
  },
};
const ev = (text: string): Value => evalString(text, EMPTY_SCOPE, ctx);
const text = (v: Value) => (v instanceof Computed ? v.text : v);

describe('template parsing', () => {
  it('parses a traversal with a dash in a name', () => {
    expect(parseTemplate('${aws_s3_bucket.logs-archive.id}')).toMatchObject({ parts: [{ t: 'get', key: 'id', obj: { t: 'get', key: 'logs-archive' } }] });
  });
  it('reads `$${` as a literal', () => {
    expect(ev('arn:aws:s3:::$${aws:username}')).toBe('arn:aws:s3:::${aws:username}');
  });
  it('throws only ParseError on nesting deeper than its limit', () => {
    expect(() => parseTemplate(`\${${'['.repeat(5000)}`)).toThrow(ParseError);
  });
  it.each(['${', '${a.}', '${"unterminated}', '${a ? b}', '${{a = }}', '${[for x in y]}', '${f(}', '${1 +}', '${<<EOT\nx\nEOT}'])('refuses %j with ParseError', (s) => {
    expect(() => parseTemplate(s)).toThrow(ParseError);
  });
});

describe('evaluation', () => {
  it('keeps a single interpolation\'s type', () => {
    expect([ev('${true}'), ev('${1 + 2 * 3}'), ev('${[1, "a"]}')]).toEqual([true, 7, [1, 'a']]);
  });
  it('makes a reference exact, with its address and attribute', () => {
    const v = ev('${aws_s3_bucket.logs[0].arn}') as Computed;
    expect(v.exact).toEqual({ base: 'aws_s3_bucket.logs', address: 'aws_s3_bucket.logs[0]', path: ['arn'], all: false });
  });
  it('keeps a reference exact through tostring()', () => {
    expect((ev('${tostring(aws_kms_key.k.arn)}') as Computed).exact?.base).toBe('aws_kms_key.k');
  });
  it('leaves variables unknown with their text', () => {
    expect(text(ev('${var.enabled}'))).toBe('${var.enabled}');
  });
  it('concatenates known parts and keeps unknown ones as text', () => {
    expect(text(ev('table/${local.name}/index/${var.i}'))).toBe('table/orders/index/${var.i}');
  });
  it('encodes a literal object with jsonencode()', () => {
    expect(ev('${jsonencode({ Effect = "Allow", Action = ["s3:*"] })}')).toBe('{"Effect":"Allow","Action":["s3:*"]}');
  });
  it('encodes references inside jsonencode() as their text', () => {
    expect(text(ev('${jsonencode({ Resource = aws_s3_bucket.b.arn })}'))).toBe('{"Resource":"${aws_s3_bucket.b.arn}"}');
  });
  it('evaluates for expressions over literal collections', () => {
    expect(ev('${[for s in ["a", "b"] : upper(s) if s != "b"]}')).toEqual(['A']);
  });
  it('evaluates conditionals, merge, lookup and format', () => {
    expect([ev('${true ? "x" : var.y}'), ev('${lookup(merge({a = 1}, {b = 2}), "b", 0)}'), ev('${format("%s-%d", "a", 1)}')]).toEqual(['x', 2, 'a-1']);
  });
  it('knows the literal keys of a merge with an unknown map', () => {
    const v = ev('${merge(var.tags, { owner = "data" })}') as Computed;
    expect(v.options.partial).toEqual({ owner: 'data' });
  });
  it('leaves functions it does not evaluate unknown, with their references', () => {
    const v = ev('${cidrsubnet(aws_vpc.v.cidr_block, 4, 1)}') as Computed;
    expect([v.text, v.refs.map((r) => r.base)]).toEqual(['${cidrsubnet(aws_vpc.v.cidr_block, 4, 1)}', ['aws_vpc.v']]);
  });
  it('marks a template directive unknown', () => {
    expect(ev('%{ if var.x }a%{ endif }')).toBeInstanceOf(Computed);
  });
  it('turns an unparsable template into an unknown value, never an exception', () => {
    expect((ev('${oops(') as Computed).options.reason).toMatch(/^cannot parse/);
  });
});
