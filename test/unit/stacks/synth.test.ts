/**
 * The synth entry main.ts runs: selection, one message per failure, and no stale generation after
 * a failed synth (a stack folder never mixes this run's files with an earlier run's).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { demo, ENVIRONMENTS, PlatformConfig } from '../../../stacks/config';
import { PlatformStack } from '../../../stacks/platform-stack';
import { runSynth, selectEnvironments, stacksFromEnv, synthErrorText, synthPlatform } from '../../../stacks/synth';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-synth-'));
const ENV: NodeJS.ProcessEnv = { TABLESAFE_BACKEND: 'local' };
/** demo without its reasoned suppression: TS-DDB-003 (deletion protection) fails. */
const nonCompliantDemo: PlatformConfig = { ...demo, compliance: { suppressions: [] } };
const files = (dir: string) => readdirSync(dir).sort();

function synthDemoOnce(outdir: string): string {
  const dir = synthPlatform({ outdir, stacks: ['demo'], env: ENV }).demo;
  writeFileSync(path.join(dir, 'terraform.demo.tfstate'), '{}'); // state is never a generated file
  expect(files(dir)).toEqual(['cdk.tf.json', 'tablesafe.compliance.json', 'tablesafe.contract.json', 'terraform.demo.tfstate']);
  return dir;
}

describe('stack selection', () => {
  it('reads TABLESAFE_STACKS; unset or blank means every stack', () => {
    expect([stacksFromEnv(undefined), stacksFromEnv(' '), stacksFromEnv('demo, prod'), stacksFromEnv(',')]).toEqual([undefined, undefined, ['demo', 'prod'], []]);
  });

  it('rejects an unknown stack naming the valid ones', () => {
    expect(() => selectEnvironments(['nosuch'], ENVIRONMENTS, 'TABLESAFE_STACKS')).toThrow(expect.objectContaining({
      code: 'TS_E_STACKS',
      message: 'TABLESAFE_STACKS: "nosuch" is not a stack: the stacks are demo, dev, prod',
    }));
  });

  it('rejects a selection that names no stack', () => {
    expect(() => selectEnvironments([], ENVIRONMENTS, 'TABLESAFE_STACKS')).toThrow(/TABLESAFE_STACKS names no stack: the stacks are demo, dev, prod/);
  });
});

describe('runSynth (main.ts)', () => {
  it('fails for TABLESAFE_STACKS=nosuch, naming the stacks, and leaves cdktf.out untouched', () => {
    const outdir = path.join(tmp(), 'cdktf.out');
    mkdirSync(path.join(outdir, 'stacks', 'demo'), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', 'demo', 'cdk.tf.json'), '{"old":true}');
    const printed: string[] = [];
    expect(runSynth({ ...ENV, CDKTF_OUTDIR: outdir, TABLESAFE_STACKS: 'nosuch' }, (t) => printed.push(t))).toBe(1);
    expect(printed).toEqual(['tablesafe synth: TS_E_STACKS: TABLESAFE_STACKS: "nosuch" is not a stack: the stacks are demo, dev, prod — use a comma-separated list of demo, dev, prod (or unset it for all)']);
    expect(files(outdir)).toEqual(['stacks']);
    expect(readFileSync(path.join(outdir, 'stacks', 'demo', 'cdk.tf.json'), 'utf8')).toBe('{"old":true}');
  });

  it('prints a validation failure once, as one line without stack frames, and exits 1', () => {
    const printed: string[] = [];
    expect(runSynth({ TABLESAFE_BACKEND: 'bogus', CDKTF_OUTDIR: path.join(tmp(), 'out'), TABLESAFE_STACKS: 'demo' }, (t) => printed.push(t))).toBe(1);
    expect(printed).toEqual(['tablesafe synth: TS_E_INVALID_ENV: TABLESAFE_BACKEND: "bogus" is invalid: must be local, s3 or cloud']);
  });

  it('synthesizes the selected stacks into CDKTF_OUTDIR and exits 0', () => {
    const outdir = path.join(tmp(), 'out');
    expect(runSynth({ ...ENV, CDKTF_OUTDIR: outdir, TABLESAFE_STACKS: 'demo' }, () => undefined)).toBe(0);
    expect(files(path.join(outdir, 'stacks'))).toEqual(['demo']);
  });
});

describe('synthErrorText', () => {
  it('never includes stack frames', () => {
    const text = synthErrorText(new TypeError('x is not a function'));
    expect(text).toBe('tablesafe synth: x is not a function');
  });
});

describe('a failed synth leaves no stale generation', () => {
  it('compliance failure: keeps this run\'s compliance report as evidence, removes the earlier cdk.tf.json and contract, keeps state', () => {
    const outdir = tmp();
    const dir = synthDemoOnce(outdir);
    expect(() => synthPlatform({ outdir, stacks: ['demo'], env: ENV, environments: [nonCompliantDemo] })).toThrow(expect.objectContaining({ code: 'TS_E_COMPLIANCE' }));
    expect(files(dir)).toEqual(['tablesafe.compliance.json', 'terraform.demo.tfstate']);
    const report = JSON.parse(readFileSync(path.join(dir, 'tablesafe.compliance.json'), 'utf8'));
    expect(report.violations.map((v: { ruleId: string }) => v.ruleId)).toContain('TS-DDB-003');
  });

  it('invalid configuration: removes the stack\'s earlier generation, keeps state', () => {
    const outdir = tmp();
    const dir = synthDemoOnce(outdir);
    expect(() => synthPlatform({ outdir, stacks: ['demo'], env: { TABLESAFE_BACKEND: 'bogus' } })).toThrow(/TABLESAFE_BACKEND: "bogus" is invalid/);
    expect(files(dir)).toEqual(['terraform.demo.tfstate']);
  });

  it('the compliance Aspect itself removes the earlier cdk.tf.json and contract in any app', () => {
    const outdir = tmp();
    const dir = synthDemoOnce(outdir);
    const app = new App({ outdir });
    new PlatformStack(app, nonCompliantDemo, { env: ENV });
    expect(() => app.synth()).toThrow(/TS_E_COMPLIANCE|violates/);
    expect(files(dir)).toEqual(['tablesafe.compliance.json', 'terraform.demo.tfstate']);
  });

  it('a successful synth writes every file again', () => {
    const outdir = tmp();
    synthDemoOnce(outdir);
    const dir = synthPlatform({ outdir, stacks: ['demo'], env: ENV }).demo;
    expect(existsSync(path.join(dir, 'cdk.tf.json'))).toBe(true);
    expect(files(dir)).toEqual(['cdk.tf.json', 'tablesafe.compliance.json', 'tablesafe.contract.json', 'terraform.demo.tfstate']);
  });
});
