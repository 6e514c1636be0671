/**
 * Just enough PartiQL for the front door to see which item an `INSERT INTO t VALUE {...}` writes:
 * the table and the item's attributes as DynamoDB attribute values. Statements it does not
 * understand are left to moto (parsePartiqlInsert answers undefined).
 */
export type AttributeValue = Record<string, unknown>;

export interface PartiqlInsert {
  readonly table: string;
  readonly item: Record<string, AttributeValue>;
}

class Reader {
  private i = 0;
  private param = 0;
  constructor(private readonly s: string, private readonly params: readonly AttributeValue[]) {}

  skip(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  done(): boolean {
    this.skip();
    return this.i >= this.s.length;
  }

  eat(token: string): boolean {
    this.skip();
    if (this.s.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }

  word(): string | undefined {
    this.skip();
    const m = /^[A-Za-z_][\w.-]*/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  quoted(q: "'" | '"'): string | undefined {
    this.skip();
    if (this.s[this.i] !== q) return undefined;
    let out = '';
    for (let j = this.i + 1; j < this.s.length; j++) {
      if (this.s[j] === q) {
        if (this.s[j + 1] === q) {
          out += q;
          j++;
          continue;
        }
        this.i = j + 1;
        return out;
      }
      out += this.s[j];
    }
    return undefined;
  }

  value(): AttributeValue | undefined {
    this.skip();
    const c = this.s[this.i];
    if (c === "'") {
      const s = this.quoted("'");
      return s === undefined ? undefined : { S: s };
    }
    if (c === '?') {
      this.i++;
      return this.params[this.param++];
    }
    if (c === '{') {
      const m = this.map();
      return m ? { M: m } : undefined;
    }
    if (c === '[') {
      this.i++;
      const list: AttributeValue[] = [];
      if (this.eat(']')) return { L: list };
      do {
        const v = this.value();
        if (!v) return undefined;
        list.push(v);
      } while (this.eat(','));
      return this.eat(']') ? { L: list } : undefined;
    }
    if (this.s.startsWith('<<', this.i)) {
      this.i += 2;
      const members: AttributeValue[] = [];
      do {
        const v = this.value();
        if (!v) return undefined;
        members.push(v);
      } while (this.eat(','));
      if (!this.eat('>>')) return undefined;
      if (members.every((m) => 'S' in m)) return { SS: members.map((m) => m.S) };
      if (members.every((m) => 'N' in m)) return { NS: members.map((m) => m.N) };
      return undefined;
    }
    const num = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { N: num[0] };
    }
    const w = this.word()?.toLowerCase();
    if (w === 'true' || w === 'false') return { BOOL: w === 'true' };
    if (w === 'null') return { NULL: true };
    return undefined;
  }

  map(): Record<string, AttributeValue> | undefined {
    if (!this.eat('{')) return undefined;
    const out: Record<string, AttributeValue> = {};
    if (this.eat('}')) return out;
    do {
      const name = this.quoted("'") ?? this.quoted('"');
      if (name === undefined || !this.eat(':')) return undefined;
      const v = this.value();
      if (!v) return undefined;
      out[name] = v;
    } while (this.eat(','));
    return this.eat('}') ? out : undefined;
  }
}

/** The table and item of a PartiQL `INSERT INTO … VALUE {…}`; undefined for any other statement. */
export function parsePartiqlInsert(statement: string, parameters: readonly AttributeValue[]): PartiqlInsert | undefined {
  const r = new Reader(statement, parameters);
  if (r.word()?.toUpperCase() !== 'INSERT' || r.word()?.toUpperCase() !== 'INTO') return undefined;
  const table = r.quoted('"') ?? r.word();
  if (!table || r.word()?.toUpperCase() !== 'VALUE') return undefined;
  const item = r.map();
  if (!item) return undefined;
  r.eat(';');
  return r.done() ? { table, item } : undefined;
}
