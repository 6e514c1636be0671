/**
 * Terraform's expression language, as far as Terraform JSON uses it: every JSON string is a
 * template (`"logs-${aws_s3_bucket.logs.id}"`, `"${jsonencode({ Statement = [] })}"`), and the
 * expressions inside `${ }` are HCL expressions (traversals with `.attr`, `[0]`, `["key"]`, `[*]`;
 * function calls; tuples and objects; conditionals, operators and `for` expressions).
 *
 * This file only parses: a template string → an AST. Evaluation is eval.ts. The parser never
 * recurses deeper than MAX_DEPTH levels and never throws anything but ParseError, whatever it
 * is given.
 */

export type Node =
  | { readonly t: 'lit'; readonly v: null | boolean | number | string; readonly src: string }
  /** A template: literal text and interpolations. `directive` when it holds `%{ }` (not evaluated). */
  | { readonly t: 'tpl'; readonly parts: readonly (string | Node)[]; readonly directive: boolean; readonly src: string }
  | { readonly t: 'var'; readonly name: string; readonly src: string }
  | { readonly t: 'get'; readonly obj: Node; readonly key: string; readonly src: string }
  | { readonly t: 'index'; readonly obj: Node; readonly key: Node; readonly src: string }
  /** `obj[*].a.b` / `obj.*.a`: `each` applies to every element. */
  | { readonly t: 'splat'; readonly obj: Node; readonly each: readonly Op[]; readonly src: string }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Node[]; readonly expand: boolean; readonly src: string }
  | { readonly t: 'tuple'; readonly items: readonly Node[]; readonly src: string }
  | { readonly t: 'object'; readonly items: readonly { readonly key: Node; readonly value: Node }[]; readonly src: string }
  | {
      readonly t: 'for';
      readonly kind: 'tuple' | 'object';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly coll: Node;
      readonly keyExpr?: Node;
      readonly valueExpr: Node;
      readonly group: boolean;
      readonly cond?: Node;
      readonly src: string;
    }
  | { readonly t: 'cond'; readonly c: Node; readonly a: Node; readonly b: Node; readonly src: string }
  | { readonly t: 'bin'; readonly op: string; readonly l: Node; readonly r: Node; readonly src: string }
  | { readonly t: 'un'; readonly op: '!' | '-'; readonly e: Node; readonly src: string }
  | { readonly t: 'paren'; readonly e: Node; readonly src: string };

export type Op = { readonly get: string } | { readonly index: Node };

export class ParseError extends Error {}

/** Deepest nesting of expressions the parser follows; deeper input is a ParseError, never a stack overflow. */
export const MAX_DEPTH = 100;

const BINARY_LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];
const ID_START = /[A-Za-z_]/;
/** Characters that may end plain template text: `$`/`%` (interpolation, directive), `"` and `\\` (inside quoted strings). */
const SPECIAL = /[$%"\\]/g;
const ID_PART = /[A-Za-z0-9_-]/;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  /** A whole JSON string: a template that runs to the end of the input. */
  template(): Node {
    const node = this.templateUntil(undefined);
    if (this.pos < this.s.length) this.fail('unexpected end of template');
    return node;
  }

  private fail(what: string): never {
    throw new ParseError(`${what} at character ${this.pos + 1}`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new ParseError(`expression nests deeper than ${MAX_DEPTH} levels`);
  }

  private leave(): void {
    this.depth--;
  }

  /** Template text up to `quote` (an HCL quoted string inside an expression) or the end of input. */
  private templateUntil(quote: '"' | undefined): Node {
    const start = this.pos;
    const parts: (string | Node)[] = [];
    let text = '';
    let directive = false;
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (quote && c === quote) break;
      if (quote && c === '\\') {
        text += this.escape();
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === '$' && s[this.pos + 1] === '{') {
        if (text) parts.push(text);
        text = '';
        this.pos += 2;
        if (s[this.pos] === '~') this.pos++;
        this.enter();
        const e = this.expression();
        this.leave();
        this.ws();
        if (s[this.pos] === '~') this.pos++;
        if (s[this.pos] !== '}') this.fail('expected } after interpolation');
        this.pos++;
        parts.push(e);
        continue;
      }
      if (c === '%' && s[this.pos + 1] === '{') {
        // Template directives (%{ if }, %{ for }) are kept as text; the template is not evaluated.
        directive = true;
        const end = s.indexOf('}', this.pos);
        if (end < 0) this.fail('unterminated template directive');
        text += s.slice(this.pos, end + 1);
        this.pos = end + 1;
        continue;
      }
      // Plain text up to the next character that may start something: taken in one slice.
      SPECIAL.lastIndex = this.pos + 1;
      const next = SPECIAL.exec(s);
      const end = next ? next.index : s.length;
      text += s.slice(this.pos, end);
      this.pos = end;
    }
    if (text) parts.push(text);
    return { t: 'tpl', parts, directive, src: s.slice(start, this.pos) };
  }

  private escape(): string {
    const s = this.s;
    const c = s[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': {
        const len = c === 'u' ? 4 : 8;
        const hex = s.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail('invalid unicode escape');
        this.pos += len;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) this.fail('invalid unicode escape');
        return String.fromCodePoint(code);
      }
      default:
        return this.fail(`invalid escape \\${c ?? ''}`);
    }
  }

  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  private peek(token: string): boolean {
    this.ws();
    return this.s.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected ${token}`);
  }

  /** A keyword (`for`, `in`, `if`) followed by a non-identifier character. */
  private keyword(word: string): boolean {
    this.ws();
    if (!this.s.startsWith(word, this.pos) || ID_PART.test(this.s[this.pos + word.length] ?? '')) return false;
    this.pos += word.length;
    return true;
  }

  expression(): Node {
    this.enter();
    try {
      this.ws();
      const start = this.pos;
      const c = this.binary(0);
      if (this.peek('?')) {
        this.pos++;
        const a = this.expression();
        this.expect(':');
        const b = this.expression();
        return { t: 'cond', c, a, b, src: this.s.slice(start, this.pos) };
      }
      return c;
    } finally {
      this.leave();
    }
  }

  private binary(level: number): Node {
    if (level >= BINARY_LEVELS.length) return this.unary();
    this.ws();
    const start = this.pos;
    let l = this.binary(level + 1);
    for (;;) {
      this.ws();
      // Longer operators are listed first (`<=` before `<`); `=`, `=>` and `...` are no operators.
      const op = BINARY_LEVELS[level].find((o) => this.s.startsWith(o, this.pos));
      if (!op) return l;
      this.pos += op.length;
      this.enter();
      const r = this.binary(level + 1);
      this.leave();
      l = { t: 'bin', op, l, r, src: this.s.slice(start, this.pos) };
    }
  }

  private unary(): Node {
    this.ws();
    const start = this.pos;
    const c = this.s[this.pos];
    if (c === '!' || (c === '-' && !/[0-9]/.test(this.s[this.pos + 1] ?? ''))) {
      this.pos++;
      this.enter();
      const e = this.unary();
      this.leave();
      return { t: 'un', op: c, e, src: this.s.slice(start, this.pos) };
    }
    return this.postfix();
  }

  private postfix(): Node {
    this.ws();
    const start = this.pos;
    let node = this.primary();
    for (;;) {
      const save = this.pos;
      this.ws();
      const s = this.s;
      if (s[this.pos] === '.' && s[this.pos + 1] === '*') {
        this.pos += 2;
        node = { t: 'splat', obj: node, each: this.splatOps(false), src: s.slice(start, this.pos) };
      } else if (s[this.pos] === '.' && ID_START.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        node = { t: 'get', obj: node, key: this.ident(), src: s.slice(start, this.pos) };
      } else if (s[this.pos] === '.' && /[0-9]/.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        const digits = /^[0-9]+/.exec(s.slice(this.pos, this.pos + 20))![0];
        this.pos += digits.length;
        node = { t: 'index', obj: node, key: { t: 'lit', v: Number(digits), src: digits }, src: s.slice(start, this.pos) };
      } else if (s[this.pos] === '[') {
        this.pos++;
        if (this.eat('*')) {
          this.expect(']');
          node = { t: 'splat', obj: node, each: this.splatOps(true), src: s.slice(start, this.pos) };
        } else {
          const key = this.expression();
          this.expect(']');
          node = { t: 'index', obj: node, key, src: s.slice(start, this.pos) };
        }
      } else {
        this.pos = save;
        return node;
      }
    }
  }

  private splatOps(full: boolean): Op[] {
    const ops: Op[] = [];
    for (;;) {
      const save = this.pos;
      this.ws();
      const s = this.s;
      if (s[this.pos] === '.' && ID_START.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        ops.push({ get: this.ident() });
      } else if (full && s[this.pos] === '[' && s[this.pos + 1] !== '*') {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        ops.push({ index });
      } else {
        this.pos = save;
        return ops;
      }
    }
  }

  private ident(): string {
    const s = this.s;
    if (!ID_START.test(s[this.pos] ?? '')) this.fail('expected a name');
    const start = this.pos;
    this.pos++;
    while (this.pos < s.length && ID_PART.test(s[this.pos])) this.pos++;
    return s.slice(start, this.pos);
  }

  private primary(): Node {
    this.ws();
    const s = this.s;
    const start = this.pos;
    const c = s[this.pos];
    if (c === undefined) this.fail('expected an expression');
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(s[this.pos + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.pos, this.pos + 400));
      if (!m) this.fail('invalid number');
      this.pos += m[0].length;
      return { t: 'lit', v: Number(m[0]), src: m[0] };
    }
    if (c === '"') {
      this.pos++;
      this.enter();
      const tpl = this.templateUntil('"');
      this.leave();
      if (s[this.pos] !== '"') this.fail('unterminated string');
      this.pos++;
      return { ...tpl, src: s.slice(start, this.pos) };
    }
    if (c === '<' && s[this.pos + 1] === '<') return this.fail('heredoc templates are not supported in Terraform JSON strings');
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.expect(')');
      return { t: 'paren', e, src: s.slice(start, this.pos) };
    }
    if (c === '[') return this.tuple(start);
    if (c === '{') return this.object(start);
    if (ID_START.test(c)) {
      let name = this.ident();
      while (s.startsWith('::', this.pos)) {
        this.pos += 2;
        name += `::${this.ident()}`;
      }
      if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true', src: name };
      if (name === 'null') return { t: 'lit', v: null, src: name };
      if (this.peek('(')) {
        this.pos++;
        const args: Node[] = [];
        let expand = false;
        if (!this.eat(')')) {
          for (;;) {
            args.push(this.expression());
            if (this.eat('...')) expand = true;
            if (this.eat(')')) break;
            this.expect(',');
            if (this.eat(')')) break;
          }
        }
        return { t: 'call', name, args, expand, src: s.slice(start, this.pos) };
      }
      return { t: 'var', name, src: name };
    }
    return this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  private tuple(start: number): Node {
    this.pos++;
    if (this.keyword('for')) return this.forExpr(start, 'tuple');
    const items: Node[] = [];
    if (!this.eat(']')) {
      for (;;) {
        items.push(this.expression());
        if (this.eat(']')) break;
        this.expect(',');
        if (this.eat(']')) break;
      }
    }
    return { t: 'tuple', items, src: this.s.slice(start, this.pos) };
  }

  private object(start: number): Node {
    this.pos++;
    if (this.keyword('for')) return this.forExpr(start, 'object');
    const items: { key: Node; value: Node }[] = [];
    for (;;) {
      if (this.eat('}')) break;
      this.ws();
      const keyStart = this.pos;
      let key: Node;
      if (ID_START.test(this.s[this.pos] ?? '')) {
        // A bare name is a literal key (`{ Effect = "Allow" }`), unless it is followed by more expression.
        const name = this.ident();
        if (this.peek('=') && !this.peek('==')) key = { t: 'lit', v: name, src: name };
        else if (this.peek(':')) key = { t: 'lit', v: name, src: name };
        else {
          this.pos = keyStart;
          key = this.expression();
        }
      } else key = this.expression();
      if (!this.eat(':')) {
        if (this.peek('==') || !this.eat('=')) this.fail('expected = or : after an object key');
      }
      const value = this.expression();
      items.push({ key, value });
      this.eat(',');
    }
    return { t: 'object', items, src: this.s.slice(start, this.pos) };
  }

  private forExpr(start: number, kind: 'tuple' | 'object'): Node {
    this.ws();
    const first = this.ident();
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.eat(',')) {
      this.ws();
      keyVar = first;
      valueVar = this.ident();
    }
    if (!this.keyword('in')) this.fail('expected in');
    const coll = this.expression();
    this.expect(':');
    let keyExpr: Node | undefined;
    let valueExpr = this.expression();
    let group = false;
    if (kind === 'object') {
      this.expect('=>');
      keyExpr = valueExpr;
      valueExpr = this.expression();
      if (this.eat('...')) group = true;
    }
    let cond: Node | undefined;
    if (this.keyword('if')) cond = this.expression();
    this.expect(kind === 'tuple' ? ']' : '}');
    return { t: 'for', kind, keyVar, valueVar, coll, keyExpr, valueExpr, group, cond, src: this.s.slice(start, this.pos) };
  }
}

/** `${aws_s3_bucket.logs.id}`, `${aws_x.y[0].arn}`: the commonest template, parsed without the general parser. */
const SIMPLE_TRAVERSAL = /^\$\{([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[\d+\])+)\}$/;

function simpleTraversal(text: string): Node | undefined {
  const m = SIMPLE_TRAVERSAL.exec(text);
  if (!m || m[1] === 'true' || m[1] === 'false' || m[1] === 'null') return undefined;
  let node: Node = { t: 'var', name: m[1], src: m[1] };
  let src = m[1];
  for (const part of m[2].match(/\.[A-Za-z_][\w-]*|\[\d+\]/g)!) {
    src += part;
    if (part[0] === '.') node = { t: 'get', obj: node, key: part.slice(1), src };
    else {
      const digits = part.slice(1, -1);
      node = { t: 'index', obj: node, key: { t: 'lit', v: Number(digits), src: digits }, src };
    }
  }
  return { t: 'tpl', parts: [node], directive: false, src: text };
}

/** Parses a Terraform JSON string as a template. Throws ParseError only. */
export function parseTemplate(text: string): Node {
  const simple = text.length < 300 ? simpleTraversal(text) : undefined;
  if (simple) return simple;
  try {
    return new Parser(text).template();
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // A RangeError (or anything else) from pathological input is a parse failure too.
    throw new ParseError((e as Error)?.message ?? 'cannot parse');
  }
}

/** Whether a JSON string needs parsing at all: no `${` and no `%{` means a plain literal. */
export function isPlainString(text: string): boolean {
  return !text.includes('${') && !text.includes('%{');
}
