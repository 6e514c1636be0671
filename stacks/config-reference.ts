/**
 * The README's `PlatformConfig` reference, generated from `stacks/config.ts`: every field of
 * PlatformConfig and of the interfaces it nests (also those it imports from modules/), with its
 * type, its `@default`, its description and its limits. Limits come from `@limits` tags in the doc
 * comments and from the rules `validateConfig` checks (read from its `check(...)` calls).
 *
 *   npx ts-node --transpile-only stacks/config-reference.ts           # print the reference
 *   npx ts-node --transpile-only stacks/config-reference.ts --write   # update README.md
 *
 * A development tool: it needs the `typescript` package (a devDependency), so nothing that ships
 * imports this file (main.ts and the stacks import config.ts, never this).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const REFERENCE_START = '<!-- config-reference:start -->';
export const REFERENCE_END = '<!-- config-reference:end -->';

const ROOT = path.resolve(__dirname, '..');
const CONFIG_FILE = path.join(ROOT, 'stacks', 'config.ts');
export const README_FILE = path.join(ROOT, 'README.md');
const REGENERATE = 'npx ts-node --transpile-only stacks/config-reference.ts --write';

/** One row of a section: a field as the config object spells it. */
export interface FieldDoc {
  readonly name: string;
  /** The type as written, with readonly stripped and string-literal aliases expanded. */
  readonly type: string;
  /** Anchor of the section describing the field's type, when it has one. */
  readonly link?: string;
  readonly required: boolean;
  /** Only for union members: when the field applies (`mode: 'provisioned'`). */
  readonly when?: string;
  /** The `@default` tag, if any. */
  readonly default?: string;
  readonly description: string;
  /** `@limits` tags and validateConfig rules. */
  readonly limits: readonly string[];
}

/** One interface (or object type) of the configuration. */
export interface SectionDoc {
  readonly title: string;
  readonly anchor: string;
  readonly description: string;
  /** Config paths this type is reached by (`table`, `table.globalSecondaryIndexes[]`). */
  readonly paths: readonly string[];
  readonly fields: readonly FieldDoc[];
}

/** A rule read from validateConfig: the config path it checks and what it requires. */
export interface ConfigRule {
  readonly path: string;
  readonly rule: string;
}

export interface ConfigReference {
  readonly sections: readonly SectionDoc[];
  readonly rules: readonly ConfigRule[];
  /** validateConfig rules whose path matched no field (the reference would silently miss them). */
  readonly unattachedRules: readonly ConfigRule[];
}

// ---------------------------------------------------------------------------------------------
// Source files and declarations

type Decl = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

class Sources {
  private readonly files = new Map<string, ts.SourceFile>();

  get(file: string): ts.SourceFile {
    let sf = this.files.get(file);
    if (!sf) {
      sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      this.files.set(file, sf);
    }
    return sf;
  }

  /** The interface or type alias `name` visible in `sf`: declared there or imported from a relative module. */
  find(name: string, sf: ts.SourceFile): Decl | undefined {
    for (const s of sf.statements) {
      if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name) return s;
    }
    for (const s of sf.statements) {
      if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !s.moduleSpecifier.text.startsWith('.')) continue;
      const bindings = s.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const element = bindings.elements.find((e) => e.name.text === name);
      if (!element) continue;
      const base = path.resolve(path.dirname(sf.fileName), s.moduleSpecifier.text);
      const file = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      return file ? this.find((element.propertyName ?? element.name).text, this.get(file)) : undefined;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Doc comments

interface Doc {
  readonly text: string;
  readonly tags: ReadonlyMap<string, readonly string[]>;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function docOf(node: ts.Node): Doc {
  let text = '';
  const tags = new Map<string, string[]>();
  for (const d of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(d)) continue;
    text = [text, squash(ts.getTextOfJSDocComment(d.comment) ?? '')].filter(Boolean).join(' ');
    for (const tag of d.tags ?? []) {
      const list = tags.get(tag.tagName.text) ?? [];
      list.push(squash(ts.getTextOfJSDocComment(tag.comment) ?? ''));
      tags.set(tag.tagName.text, list);
    }
  }
  return { text, tags };
}

// ---------------------------------------------------------------------------------------------
// Types

/** A string-literal union alias (`type RulePreset = 'hourly' | 'daily'`) expands inline. */
function isLiteralUnion(type: ts.TypeNode): boolean {
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  return members.every((t) => ts.isLiteralTypeNode(t));
}

/** An object type gets a section of its own: a type literal or a union of type literals. */
function objectMembers(type: ts.TypeNode): ts.TypeLiteralNode[] | undefined {
  if (ts.isTypeLiteralNode(type)) return [type];
  if (ts.isUnionTypeNode(type) && type.types.every((t) => ts.isTypeLiteralNode(t))) return type.types as unknown as ts.TypeLiteralNode[];
  return undefined;
}

/** What a type node designates once `readonly`, arrays and `Readonly<>` are peeled off. */
interface Peeled {
  readonly core: ts.TypeNode;
  readonly arrays: number;
}

function peel(type: ts.TypeNode): Peeled {
  let core = type;
  let arrays = 0;
  for (;;) {
    if (ts.isTypeOperatorNode(core) && core.operator === ts.SyntaxKind.ReadonlyKeyword) core = core.type;
    else if (ts.isParenthesizedTypeNode(core)) core = core.type;
    else if (ts.isArrayTypeNode(core)) {
      core = core.elementType;
      arrays++;
    } else if (ts.isTypeReferenceNode(core) && ts.isIdentifier(core.typeName) && core.typeName.text === 'Readonly' && core.typeArguments?.length === 1) {
      core = core.typeArguments[0];
    } else return { core, arrays };
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

interface SectionState {
  readonly key: ts.Node;
  readonly title: string;
  readonly description: string;
  readonly paths: string[];
  readonly literals: readonly ts.TypeLiteralNode[] | readonly ts.InterfaceDeclaration[];
  readonly sf: ts.SourceFile;
  fields?: FieldDoc[];
}

/** A field as collected over the members of a union (one entry per member it appears in). */
interface FieldEntry {
  type: string[];
  link?: string;
  required: boolean[];
  present: string[];
  doc: Doc;
}

function anchorOf(title: string): string {
  // GitHub's heading anchors: lower case, punctuation (here the dot and backticks) dropped.
  return title.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

class Walker {
  readonly sections: SectionState[] = [];
  private readonly byKey = new Map<ts.Node, SectionState>();

  constructor(private readonly sources: Sources) {}

  /** Walks from the root interface (PlatformConfig), at the empty path. */
  start(root: ts.InterfaceDeclaration, sf: ts.SourceFile): void {
    this.visit(this.section(root, root.name.text, docOf(root).text, [root], sf), '');
  }

  /** The section for a declaration or inline type literal, created on first sight. */
  private section(key: ts.Node, title: string, description: string, literals: SectionState['literals'], sf: ts.SourceFile): SectionState {
    let s = this.byKey.get(key);
    if (!s) {
      s = { key, title, description, paths: [], literals, sf };
      this.byKey.set(key, s);
      this.sections.push(s);
    }
    return s;
  }

  /** Resolves a type to its section (if it has one), recording `at` as a path that reaches it. */
  private sectionFor(type: ts.TypeNode, sf: ts.SourceFile, owner: string, field: string, at: string): SectionState | undefined {
    const { core } = peel(type);
    const inline = objectMembers(core);
    if (inline) return this.visit(this.section(core, `${owner}.${field}`, '', inline, sf), at);
    if (!ts.isTypeReferenceNode(core) || !ts.isIdentifier(core.typeName)) return undefined;
    const decl = this.sources.find(core.typeName.text, sf);
    if (!decl) return undefined;
    const declSf = decl.getSourceFile();
    if (ts.isInterfaceDeclaration(decl)) return this.visit(this.section(decl, decl.name.text, docOf(decl).text, [decl], declSf), at);
    const members = objectMembers(decl.type);
    return members ? this.visit(this.section(decl, decl.name.text, docOf(decl).text, members, declSf), at) : undefined;
  }

  /** Records the path and walks the members' types once per path. */
  private visit(s: SectionState, at: string): SectionState {
    if (s.paths.includes(at)) return s;
    s.paths.push(at);
    const fields = new Map<string, FieldEntry>();
    const variants = s.literals.map((lit) => variantOf(lit));
    s.literals.forEach((lit, i) => {
      for (const m of lit.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const name = m.name.getText(s.sf);
        const arrays = peel(m.type).arrays;
        const child = this.sectionFor(m.type, s.sf, s.title, name, `${at ? `${at}.` : ''}${name}${'[]'.repeat(arrays)}`);
        const entry: FieldEntry = fields.get(name) ?? { type: [], required: [], present: [], doc: { text: '', tags: new Map() } };
        const typeText = this.typeText(m.type, s.sf);
        if (!entry.type.includes(typeText)) entry.type.push(typeText);
        entry.required.push(!m.questionToken);
        entry.present.push(variants[i]);
        if (child) entry.link = anchorOf(child.title);
        const doc = docOf(m);
        if (doc.text || doc.tags.size) entry.doc = doc;
        fields.set(name, entry);
      }
    });
    if (!s.fields) {
      s.fields = [...fields].map(([name, e]) => {
        const everywhere = e.present.length === s.literals.length;
        return {
          name,
          type: e.type.join(' | '),
          link: e.link,
          required: e.required.every(Boolean),
          when: everywhere ? undefined : e.present.join(' or '),
          default: e.doc.tags.get('default')?.join('; '),
          description: e.doc.text,
          limits: [...(e.doc.tags.get('limits') ?? [])],
        };
      });
    }
    return s;
  }

  /** The type as a reader writes it: no readonly, aliases of string literals spelled out. */
  typeText(type: ts.TypeNode, sf: ts.SourceFile): string {
    if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return this.typeText(type.type, sf);
    if (ts.isParenthesizedTypeNode(type)) return `(${this.typeText(type.type, sf)})`;
    if (ts.isArrayTypeNode(type)) {
      const inner = this.typeText(type.elementType, sf);
      // An alias of a literal union spells out as a union too: parenthesize it.
      return inner.includes(' | ') && !inner.startsWith('(') ? `(${inner})[]` : `${inner}[]`;
    }
    if (ts.isUnionTypeNode(type)) return type.types.map((t) => this.typeText(t, sf)).join(' | ');
    if (ts.isTypeLiteralNode(type)) {
      const names = type.members.filter(ts.isPropertySignature).map((m) => `${m.name.getText(sf)}${m.questionToken ? '?' : ''}`);
      return `{ ${names.join(', ')} }`;
    }
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const name = type.typeName.text;
      const args = type.typeArguments ?? [];
      if (name === 'Readonly' && args.length === 1) return this.typeText(args[0], sf);
      const decl = args.length === 0 ? this.sources.find(name, sf) : undefined;
      if (decl && ts.isTypeAliasDeclaration(decl) && isLiteralUnion(decl.type)) return this.typeText(decl.type, decl.getSourceFile());
      return args.length ? `${name}<${args.map((a) => this.typeText(a, sf)).join(', ')}>` : name;
    }
    return squash(type.getText(sf));
  }
}

/** For a union member: its discriminant (`mode: 'provisioned'`), from the first literal-typed property. */
function variantOf(lit: ts.TypeLiteralNode | ts.InterfaceDeclaration): string {
  for (const m of lit.members) {
    if (ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type)) return `${m.name.getText()}: ${m.type.getText()}`;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// validateConfig's rules

/** Reads every `check(ok, field, value, rule)` and `checkPositiveInteger(field, value, opts)` in validateConfig. */
export function readValidationRules(sf: ts.SourceFile): ConfigRule[] {
  const fn = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'validateConfig');
  if (!fn?.body) return [];
  const rules: ConfigRule[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const callee = node.expression.text;
      if (callee === 'check' && node.arguments.length >= 4) {
        const field = fieldPath(node.arguments[1], sf);
        if (field) rules.push(withLoop({ path: field.path, rule: ruleText(node.arguments[3], sf) }, field.loops, node, sf));
      } else if (callee === 'checkPositiveInteger' && node.arguments.length >= 1) {
        const field = fieldPath(node.arguments[0], sf);
        if (field) rules.push(withLoop({ path: field.path, rule: integerRule(node.arguments[2]) }, field.loops, node, sf));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  const seen = new Set<string>();
  return rules.filter((r) => !seen.has(`${r.path}\0${r.rule}`) && seen.add(`${r.path}\0${r.rule}`));
}

/**
 * The config path of a field argument: `'PlatformConfig.environment'`, `f('backup.drRegion')` or
 * f(`backup.rules[${i}].name`). Index placeholders become `[]`; any other placeholder ends the
 * path there (and is reported in `loops` so the rule can name its values).
 */
function fieldPath(arg: ts.Expression, sf: ts.SourceFile): { path: string; loops: string[] } | undefined {
  let expr = arg;
  if (ts.isCallExpression(expr) && expr.arguments.length === 1) expr = expr.arguments[0];
  let text: string;
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) text = expr.text;
  else if (ts.isTemplateExpression(expr)) {
    text = expr.head.text + expr.templateSpans.map((s) => `\${${s.expression.getText(sf)}}${s.literal.text}`).join('');
  } else return undefined;
  text = text.replace(/^PlatformConfig\./, '').replace(/\[\$\{[^}]*\}\]/g, '[]');
  const loops: string[] = [];
  const cut = text.search(/\.?\$\{/);
  if (cut >= 0) {
    for (const m of text.slice(cut).matchAll(/\$\{([^}]*)\}/g)) loops.push(m[1]);
    text = text.slice(0, cut);
  }
  return { path: text, loops };
}

/** A rule message: literal text; a parenthesised value such as `(${c.region})` is dropped, other values named. */
function ruleText(arg: ts.Expression, sf: ts.SourceFile): string {
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (!ts.isTemplateExpression(arg)) return squash(arg.getText(sf));
  let out = arg.head.text;
  for (const span of arg.templateSpans) {
    const after = span.literal.text;
    if (out.endsWith('(') && after.startsWith(')')) {
      out = out.slice(0, -1).trimEnd() + after.slice(1);
      continue;
    }
    out += `<${span.expression.getText(sf).replace(/^c\./, '')}>${after}`;
  }
  return squash(out);
}

function integerRule(opts: ts.Expression | undefined): string {
  let min = 1;
  let max: number | undefined;
  if (opts && ts.isObjectLiteralExpression(opts)) {
    for (const p of opts.properties) {
      if (ts.isPropertyAssignment(p) && ts.isNumericLiteral(p.initializer)) {
        if (p.name.getText() === 'min') min = Number(p.initializer.text);
        if (p.name.getText() === 'max') max = Number(p.initializer.text);
      }
    }
  }
  return max === undefined ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
}

/** `for (const key of REQUIRED_TAGS) check(..., f(`tags.${key}`), ...)`: name the values `key` takes. */
function withLoop(rule: ConfigRule, loops: readonly string[], at: ts.Node, sf: ts.SourceFile): ConfigRule {
  let text = rule.rule;
  for (const variable of loops) {
    const values = loopValues(variable, at, sf);
    if (values) text = `${text} (<${variable}>: ${values.join(', ')})`;
  }
  return { path: rule.path, rule: text };
}

function loopValues(variable: string, at: ts.Node, sf: ts.SourceFile): string[] | undefined {
  for (let n: ts.Node | undefined = at; n; n = n.parent) {
    if (!ts.isForOfStatement(n) || !ts.isVariableDeclarationList(n.initializer)) continue;
    const declared = n.initializer.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === variable);
    if (!declared || !ts.isIdentifier(n.expression)) continue;
    const name = n.expression.text;
    for (const s of sf.statements) {
      if (!ts.isVariableStatement(s)) continue;
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
        let init: ts.Expression = d.initializer;
        if (ts.isAsExpression(init)) init = init.expression;
        if (ts.isArrayLiteralExpression(init) && init.elements.every(ts.isStringLiteral)) return init.elements.map((e) => (e as ts.StringLiteral).text);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The reference

/** Walks PlatformConfig in `stacks/config.ts` (or `configFile`) and attaches validateConfig's rules. */
export function configReference(configFile = CONFIG_FILE): ConfigReference {
  const sources = new Sources();
  const sf = sources.get(configFile);
  const root = sources.find('PlatformConfig', sf);
  if (!root || !ts.isInterfaceDeclaration(root)) throw new Error(`${configFile}: no PlatformConfig interface`);
  const walker = new Walker(sources);
  walker.start(root, sf);

  const rules = readValidationRules(sf);
  const attached = new Set<ConfigRule>();
  const sections: SectionDoc[] = walker.sections.map((s) => ({
    title: s.title,
    anchor: anchorOf(s.title),
    description: s.description,
    paths: [...s.paths],
    fields: (s.fields ?? []).map((f) => {
      const fieldPaths = s.paths.map((p) => (p ? `${p}.${f.name}` : f.name));
      const own = rules.filter((r) => fieldPaths.some((p) => r.path === p || r.path === `${p}[]`));
      own.forEach((r) => attached.add(r));
      const limits = [...f.limits, ...own.map((r) => (r.path.endsWith('[]') ? `each: ${r.rule}` : r.rule))];
      return { ...f, limits: limits.filter((l, i) => limits.indexOf(l) === i) };
    }),
  }));
  return { sections, rules, unattachedRules: rules.filter((r) => !attached.has(r)) };
}

/**
 * Markdown prose: character classes (`[a-z0-9-]`) set as code, `<` and `>` escaped outside code
 * spans (GitHub would take `<environment>` for an HTML tag).
 */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\[[A-Za-z0-9_.+=,@/-]+\]/g, (c) => `\`${c}\``)))
    .join('');
}

/** Markdown for a table cell: prose with `|` escaped everywhere, code spans included. */
function cell(text: string): string {
  return prose(text).replace(/\|/g, '\\|');
}

/** A default that reads as a value (`'ALL'`, `60`, `true`, `{ … }`, `"…"`) is set as code. */
function defaultCell(f: FieldDoc): string {
  if (f.required) return f.when ? `required with \`${f.when}\`` : 'required';
  if (f.default === undefined) return '—';
  return /^(['"{[]|-?\d|true$|false$)/.test(f.default) ? cell(`\`${f.default}\``) : cell(f.default);
}

function typeCell(f: FieldDoc): string {
  const code = cell(`\`${f.type}\``);
  return f.link ? `[${code}](#${f.link})` : code;
}

/** The Markdown that sits between the README's config-reference markers. */
export function renderConfigReference(configFile = CONFIG_FILE): string {
  const ref = configReference(configFile);
  const out: string[] = [
    `<!-- Generated from the doc comments in stacks/config.ts; edit those, then run: ${REGENERATE} -->`,
    '',
    'Paths are as validation errors print them (`PlatformConfig(dev).backup.rules[0].deleteAfterDays`).',
    'Limits are checked at synth: `validateConfig` in `stacks/config.ts` and the constructs in `modules/`.',
  ];
  for (const s of ref.sections) {
    out.push('', `#### \`${s.title}\``, '');
    const at = s.paths.filter(Boolean).map((p) => `\`${p}\``);
    const intro = [s.description, at.length ? `At ${at.join(', ')}.` : ''].filter(Boolean).join(' ');
    if (intro) out.push(prose(intro), '');
    out.push('| Field | Type | Default | Description | Limits |', '|---|---|---|---|---|');
    for (const f of s.fields) {
      const description = [f.when && !f.required ? `Only with \`${f.when}\`.` : '', f.description].filter(Boolean).join(' ');
      out.push(`| \`${f.name}\` | ${typeCell(f)} | ${defaultCell(f)} | ${cell(description)} | ${cell(f.limits.join('; '))} |`);
    }
  }
  return out.join('\n');
}

/** `readme` with the text between the markers replaced by `content`. */
export function replaceReferenceSection(readme: string, content: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md: markers ${REFERENCE_START} … ${REFERENCE_END} not found`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${content}\n${readme.slice(end)}`;
}

/** The text between the README's markers, as the generator wrote it. */
export function readReferenceSection(readme: string): string | undefined {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + REFERENCE_START.length, end).replace(/^\n/, '').replace(/\n$/, '');
}

if (require.main === module) {
  const content = renderConfigReference();
  if (process.argv.includes('--write')) {
    const before = fs.readFileSync(README_FILE, 'utf8');
    const after = replaceReferenceSection(before, content);
    if (after === before) process.stdout.write('README.md: PlatformConfig reference already up to date\n');
    else {
      fs.writeFileSync(README_FILE, after);
      process.stdout.write('README.md: PlatformConfig reference updated\n');
    }
  } else {
    process.stdout.write(`${content}\n`);
  }
}
