/**
 * The README's examples, held to the code: the `staging` environment with its suppression
 * synthesizes and passes compliance, and the stack-outputs table lists exactly the outputs
 * PlatformStack emits, with the required ones marked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { Testing } from 'cdktf';
import { demo, dev, PlatformConfig, prod } from '../../../stacks/config';
import { PlatformStack } from '../../../stacks/platform-stack';
import { OUTPUT_NAMES } from '../../../core/contract';
import { REQUIRED_OUTPUTS } from '../../../core/outputs';
import { validateSuppressions } from '../../../compliance/rules/suppressions';

const README = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

/** The `ts` code block between `<!-- example:NAME:start -->` and its end marker. */
function exampleBlock(name: string): string {
  const m = new RegExp(`<!-- example:${name}:start -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\s*<!-- example:${name}:end -->`).exec(README);
  if (!m) throw new Error(`README.md has no example:${name} block`);
  return m[1];
}

/** Runs the README's config snippet as stacks/config.ts would, with the existing environments in scope. */
function evaluateConfig(code: string): { staging: PlatformConfig; ENVIRONMENTS: readonly PlatformConfig[] } {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', 'demo', 'dev', 'prod', js)(exports, demo, dev, prod);
  return exports as { staging: PlatformConfig; ENVIRONMENTS: readonly PlatformConfig[] };
}

function compliance(outdir: string, stack: string): { suppressed: { ruleId: string; reason?: string }[]; violations: unknown[] } {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'tablesafe.compliance.json'), 'utf8'));
}

describe('README: add an environment', () => {
  const { staging, ENVIRONMENTS } = evaluateConfig(exampleBlock('staging'));

  it('adds staging to the environments', () => {
    expect(ENVIRONMENTS.map((c) => c.environment)).toEqual(['demo', 'dev', 'prod', 'staging']);
  });

  it('synthesizes and passes compliance with its suppression, which the report lists', () => {
    const outdir = Testing.fullSynth(new PlatformStack(Testing.app(), staging, { env: {} }));
    const report = compliance(outdir, 'staging');
    expect(report.violations).toEqual([]);
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['TS-DDB-005']);
  });

  it('fails synth without the suppression, naming the rule and the construct path the README shows', () => {
    const unsuppressed: PlatformConfig = { ...staging, compliance: { suppressions: [] } };
    expect(() => Testing.fullSynth(new PlatformStack(Testing.app(), unsuppressed, { env: {} }))).toThrow(/TS-DDB-005 \[staging\/table\/table\]/);
  });

  it('the suppression shown under "Suppress a finding" is the example\'s, and it validates', () => {
    const section = README.slice(README.indexOf('### Suppress a finding'));
    const shown = /```ts\n(\{ ruleId[^\n]*\})\n```/.exec(section)?.[1];
    expect(shown).toBeDefined();
    const suppression = new Function(`return (${shown});`)();
    expect(suppression).toEqual(staging.compliance?.suppressions?.[0]);
    expect(validateSuppressions([suppression])).toEqual([]);
  });

  it('the resource forms the README names all match the finding', () => {
    for (const resource of ['tablesafe-staging-records', 'aws_dynamodb_table.table_43360BC0', 'staging/table/table', 'staging/table', '*']) {
      const config: PlatformConfig = { ...staging, compliance: { suppressions: [{ ...staging.compliance!.suppressions![0], resource }] } };
      const report = compliance(Testing.fullSynth(new PlatformStack(Testing.app(), config, { env: {} })), 'staging');
      expect({ resource, violations: report.violations.length }).toEqual({ resource, violations: 0 });
    }
  });
});

describe('README: stack outputs verify reads', () => {
  const section = README.slice(README.indexOf('## Stack outputs verify reads'), README.indexOf('## Configuration'));
  const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (.*) \| (.*) \|$/gm)].map((m) => ({ name: m[1], required: m[3].startsWith('**required**') }));

  it('lists every output PlatformStack emits, in OUTPUT_NAMES order', () => {
    expect(rows.map((r) => r.name)).toEqual(Object.values(OUTPUT_NAMES));
  });

  it('marks exactly REQUIRED_OUTPUTS as required', () => {
    expect(rows.filter((r) => r.required).map((r) => r.name).sort()).toEqual(REQUIRED_OUTPUTS.map((k) => OUTPUT_NAMES[k]).sort());
  });
});
