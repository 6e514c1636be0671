/**
 * The conformance corpus (test/fixtures/check/corpus/): Terraform JSON in the styles real code is
 * written in — hand-written HCL converted to JSON, module-generated names, cdktf output — and a
 * plan, each with the expected verdict of every rule on every resource beside it
 * (`<name>.expected.json`). Every rule has at least three must-fail and three must-pass resources.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { factsFromTerraform } from '../../../compliance/facts/from-terraform';
import { DEFAULT_REQUIREMENTS, Requirements } from '../../../compliance/facts/types';
import { evaluatePack } from '../../../compliance/rules/evaluate';
import { ALL_RULES } from '../../../compliance/rules';
import { withIamMatrix } from '../../../compliance/iam/matrix-sync';

const DIR = path.join(__dirname, '../../fixtures/check/corpus');

interface Expected {
  readonly style: string;
  readonly description: string;
  readonly requirements?: Partial<Requirements>;
  readonly verdicts: Record<string, Record<string, string>>;
}

const cases = fs.readdirSync(DIR).filter((f) => f.endsWith('.expected.json')).sort().map((f) => {
  const name = f.replace(/\.expected\.json$/, '');
  const input = fs.existsSync(path.join(DIR, `${name}.tf.json`)) ? `${name}.tf.json` : `${name}.json`;
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Expected;
  return { name, input, expected };
});

/** Every verdict of the pack on one corpus file, as `{ rule: { resource: status } }`. */
function verdicts(input: string, requirements: Partial<Requirements> = {}): Record<string, Record<string, string>> {
  const tf = JSON.parse(fs.readFileSync(path.join(DIR, input), 'utf8'));
  // As `tablesafe check` does: a configuration with platform roles carries their simulated matrix.
  const facts = withIamMatrix(factsFromTerraform(tf, { requirements: { ...DEFAULT_REQUIREMENTS, ...requirements } }), tf);
  const out: Record<string, Record<string, string>> = {};
  for (const f of evaluatePack('tablesafe-strict', facts).findings) (out[f.ruleId] ??= {})[f.resource.id] = f.status;
  return out;
}

// Verdicts are computed inside each test, not when the suite is collected, so the code that reached
// them is attributed to the test that asserts them (the mutation run relies on that attribution).
it.each(cases)('corpus $name: every rule gives the expected verdict on every resource', ({ input, expected }) => {
  const actual = verdicts(input, expected.requirements);
  const got = Object.fromEntries(Object.entries(expected.verdicts).map(([ruleId, byResource]) =>
    [ruleId, Object.fromEntries(Object.keys(byResource).map((id) => [id, actual[ruleId]?.[id] ?? '(no finding)']))]));
  expect(got).toEqual(expected.verdicts);
});

describe('corpus coverage', () => {
  const tally = new Map<string, { pass: number; fail: number }>();
  for (const { expected } of cases) {
    for (const [ruleId, byResource] of Object.entries(expected.verdicts)) {
      const t = tally.get(ruleId) ?? { pass: 0, fail: 0 };
      for (const status of Object.values(byResource)) {
        if (status === 'compliant') t.pass++;
        if (status === 'non-compliant') t.fail++;
      }
      tally.set(ruleId, t);
    }
  }

  it.each(ALL_RULES.map((r) => r.id))('has at least three must-fail and three must-pass resources for %s', (ruleId) => {
    const t = tally.get(ruleId) ?? { pass: 0, fail: 0 };
    expect({ ruleId, pass: t.pass >= 3, fail: t.fail >= 3 }).toEqual({ ruleId, pass: true, fail: true });
  });

  it('covers the three styles and a plan', () => {
    expect(new Set(cases.map((c) => c.name.split('.').pop()))).toEqual(new Set(['hcl', 'modules', 'cdktf', 'plan']));
  });
});
