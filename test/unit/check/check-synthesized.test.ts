/**
 * `tablesafe check` on a stack dir synth wrote holds the stack to what synth held it to: the
 * stack's own pack and the reasoned suppressions synth recorded. The demo stack has one
 * (TS-DDB-003: no deletion protection, so the demo can be destroyed): synth passes, so check
 * must too; without the recorded suppression the same Terraform fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCheckInput, runCheck } from '../../../compliance/check';
import { synthPlatform } from '../../../stacks/synth';

const ENV = { TABLESAFE_OFFLINE: '1', TABLESAFE_ACCOUNT_ID: '123456789012' };

describe('check on a synthesized stack', () => {
  const dir = synthPlatform({ outdir: mkdtempSync(path.join(tmpdir(), 'ts-check-synth-')), stacks: ['demo'], env: ENV }).demo;

  it('reads the suppressions synth recorded and passes, as synth did', () => {
    const input = loadCheckInput(dir);
    expect(input.suppressions?.map((s) => s.ruleId)).toContain('TS-DDB-003');
    const report = runCheck(input);
    expect(report.exitCode).toBe(0);
    expect(report.compliance.suppressed.map((f) => f.ruleId)).toContain('TS-DDB-003');
  });

  it('fails the same Terraform without them, naming the rule', () => {
    const report = runCheck({ ...loadCheckInput(dir), suppressions: [] });
    expect(report.exitCode).toBe(1);
    expect(report.compliance.violations.map((f) => f.ruleId)).toEqual(['TS-DDB-003']);
  });

  it('uses the stack\'s own pack unless one is given', () => {
    const input = loadCheckInput(dir);
    expect(runCheck(input).compliance.pack).toBe(input.contract?.compliance.pack);
    expect(runCheck(input, { pack: 'tablesafe-baseline' }).compliance.pack).toBe('tablesafe-baseline');
  });
});
