import * as fs from 'node:fs';
import * as path from 'node:path';
import { configReference, readReferenceSection, README_FILE, renderConfigReference, replaceReferenceSection } from '../../../stacks/config-reference';

const ROOT = path.resolve(__dirname, '../../..');
const REGENERATE = 'npx ts-node --transpile-only stacks/config-reference.ts --write';

describe('README PlatformConfig reference', () => {
  const reference = configReference();
  const field = (section: string, name: string) => reference.sections.find((s) => s.title === section)?.fields.find((f) => f.name === name);

  it(`is what the generator renders from stacks/config.ts (out of date? run: ${REGENERATE})`, () => {
    expect(readReferenceSection(fs.readFileSync(README_FILE, 'utf8'))).toBe(renderConfigReference());
  });

  it('walks PlatformConfig and every type it nests, also the ones imported from modules/', () => {
    expect(reference.sections.map((s) => s.title)).toEqual(
      expect.arrayContaining(['PlatformConfig', 'TableConfig', 'IndexConfig', 'CapacityConfig', 'CapacityAutoscaling', 'BackupConfig', 'BackupRuleConfig', 'VaultLockProps', 'DrillConfig', 'TrailConfig', 'Suppression']),
    );
    expect(field('TableConfig', 'stream')?.type).toBe("'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'");
    expect(field('BackupConfig', 'rules')).toMatchObject({ type: 'BackupRuleConfig[]', link: 'backupruleconfig', required: true });
  });

  it('documents a default for every optional field', () => {
    const missing = reference.sections.flatMap((s) => s.fields.filter((f) => !f.required && !f.default).map((f) => `${s.title}.${f.name}`));
    expect(missing).toEqual([]);
  });

  it('attaches every rule validateConfig checks to a field', () => {
    expect(reference.rules.length).toBeGreaterThan(10);
    expect(reference.unattachedRules).toEqual([]);
    expect(field('BackupConfig', 'drRegion')?.limits).toEqual(expect.arrayContaining(['must differ from the primary region']));
    expect(field('BackupRuleConfig', 'deleteAfterDays')?.limits).toEqual(expect.arrayContaining(['must be at least backup.minRetentionDays']));
    expect(field('PlatformConfig', 'tags')?.limits.join()).toMatch(/project, environment, owner, data-classification/);
  });

  it('marks the fields of one union member with their discriminant', () => {
    expect(field('CapacityConfig', 'mode')).toMatchObject({ type: "'on-demand' | 'provisioned'", required: true, when: undefined });
    expect(field('CapacityConfig', 'read')).toMatchObject({ required: true, when: "mode: 'provisioned'" });
  });

  it('escapes table pipes and HTML-like text', () => {
    const text = renderConfigReference();
    expect(text).toMatch(/`'ALL' \\\| 'KEYS_ONLY' \\\| 'INCLUDE'`/);
    expect(text).toContain('`"tablesafe-<environment>-trail-<account id>"`');
    expect(text).toContain('tag "&lt;key&gt;" is required');
  });

  it('replaces only the text between the markers', () => {
    const readme = 'intro\n<!-- config-reference:start -->\nold\n<!-- config-reference:end -->\nrest\n';
    expect(replaceReferenceSection(readme, 'new')).toBe('intro\n<!-- config-reference:start -->\nnew\n<!-- config-reference:end -->\nrest\n');
    expect(() => replaceReferenceSection('no markers', 'new')).toThrow(/markers .* not found/);
  });

  it('is imported by nothing that ships (it needs the typescript devDependency)', () => {
    const shipped = ['main.ts', 'bin', 'cli', 'demo', 'verify', 'sandbox', 'stacks', 'modules', 'compliance', 'core'];
    const files = shipped.flatMap((p) => walk(path.join(ROOT, p))).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(path.join('stacks', 'config-reference.ts')));
    const importers = files.filter((f) => /from ['"][^'"]*config-reference['"]|require\(['"][^'"]*config-reference['"]\)/.test(fs.readFileSync(f, 'utf8')));
    expect(importers.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

function walk(p: string): string[] {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).flatMap((name) => (name === 'node_modules' ? [] : walk(path.join(p, name))));
}
