import { PassThrough } from 'node:stream';
import { demoItems } from '../../../demo/items';
import { changedResources, planDiffLines, runMainJob, terraformLineProgress, type DemoAws, type DemoServices, type MainJobOptions, type TerraformLike, type VerifyArgs, type VerifyOutcome } from '../../../demo/main-job';
import { createProgress } from '../../../demo/progress';
import { contract } from '../verify/fixtures';

/** Fake services that record every call in order; `hooks` make a step hang, fail or differ. */
function fakes(hooks: {
  applyHangs?: boolean;
  verify?: VerifyOutcome;
  planExit?: number;
  drillTables?: string[];
  destroyFails?: boolean;
  onApply?: () => void;
} = {}) {
  const calls: string[] = [];
  const verifyArgs: VerifyArgs[] = [];
  const tf = (label: string, signal: AbortSignal): TerraformLike => ({
    init: async () => (calls.push(`${label}:init`), { exitCode: 0, output: '' }),
    apply: async () => {
      calls.push(`${label}:apply`);
      hooks.onApply?.();
      if (hooks.applyHangs) {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        throw new Error('terraform apply failed: interrupted');
      }
      return { exitCode: 0, output: '  # aws_dynamodb_table.table will be updated in-place\nApply complete!' };
    },
    plan: async () => (calls.push(`${label}:plan`), { exitCode: hooks.planExit ?? 0, output: '' }),
    destroy: async () => {
      calls.push(`${label}:destroy`);
      if (hooks.destroyFails) throw new Error('terraform destroy failed: boom');
      return { exitCode: 0, output: '' };
    },
    outputs: async () => ({ table_name: 'tablesafe-demo-records', table_arn: 'arn:table', backup_vault_name: 'vault', backup_role_arn: 'arn:role', kms_key_arn: 'arn:key', backup_plan_id: 'plan-1', backup_selection_id: 'sel-1' }),
  });
  let left = [...(hooks.drillTables ?? [])];
  const aws: DemoAws = {
    seed: async (_t, items) => (calls.push('seed'), items.length),
    backup: async () => (calls.push('backup'), { backupJobId: 'b-1', recoveryPointArn: 'arn:rp', durationMs: 5 }),
    recover: async () => (calls.push('recover'), { recoveryPointArn: 'arn:rp', restoreJobId: 'r-1', outageSeconds: 1, restoreSeconds: 0.5 }),
    validate: async (_t, items) => (calls.push('validate'), { expected: items.length, found: items.length + 3, matching: items.length, problems: [], others: 3 }),
    startWriter: () => {
      calls.push('writer:start');
      let stopped = false;
      const stats = { puts: 3, updates: 2, deletes: 1, transactions: 1, refused: 0 };
      return { stats: () => stats, stop: async () => (stopped || calls.push('writer:stop'), (stopped = true), stats) };
    },
    drillTables: async () => [...left],
    deleteTables: async (names) => {
      calls.push(`delete:${names.join(',')}`);
      left = [];
    },
    close: () => calls.push('aws:close'),
  };
  const services: DemoServices = {
    freePort: async () => 4567,
    synth: async (endpoint) => (calls.push(`synth:${endpoint}`), { stackDir: '/w/demo', contractFile: '/w/demo/c.json', contract: contract(), tableName: 'tablesafe-demo-records', partitionKey: 'ID' }),
    startSandbox: async (port) => (calls.push(`sandbox:${port}`), { endpoint: `http://127.0.0.1:${port}`, port, env: { AWS_REGION: 'us-east-1' }, stop: async () => void calls.push('sandbox:stop') }),
    terraform: (_dir, _env, _onLine, signal) => tf(signal.aborted ? 'tf?' : 'tf', signal),
    aws: () => aws,
    writeOutputs: () => '/w/outputs.json',
    verify: async (args) => (calls.push('verify'), verifyArgs.push(args), hooks.verify ?? { exitCode: 0, verdict: 'PASSED', passed: 10, failed: 0, reportDir: '/r/x' }),
    waitForStop: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
    cleanWorkdir: () => calls.push('clean'),
  };
  return { services, calls, verifyArgs };
}

function options(extra: Partial<MainJobOptions> = {}): MainJobOptions {
  return {
    scenario: 'drill',
    items: demoItems(5),
    keep: false,
    out: 'reports',
    runId: 'run-1',
    progress: createProgress({ stream: new PassThrough(), tty: false }),
    signal: new AbortController().signal,
    teardownSignal: new AbortController().signal,
    ...extra,
  };
}

describe('runMainJob', () => {
  it('hands verify the contract and the outputs read by the contract\'s output names, in process', async () => {
    const { services, verifyArgs } = fakes();
    await runMainJob(services, options());
    expect(verifyArgs).toHaveLength(1);
    expect(verifyArgs[0].contract).toEqual(contract());
    expect(verifyArgs[0].outputs).toEqual({ tableName: 'tablesafe-demo-records', tableArn: 'arn:table', vaultName: 'vault', backupRoleArn: 'arn:role', keyArn: 'arn:key', planId: 'plan-1', selectionId: 'sel-1' });
    expect(verifyArgs[0].sources).toEqual({ contract: '/w/demo/c.json', outputs: '/w/outputs.json' });
  });

  it('stops at apply when the outputs lack one verify needs, naming it', async () => {
    const { services, calls } = fakes();
    const tf = services.terraform;
    services.terraform = (...a) => ({ ...tf(...a), outputs: async () => ({ table_name: 't', table_arn: 'arn:table' }) });
    const result = await runMainJob(services, options());
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/lacks output\(s\) .*backup_vault_name/);
    expect(calls).not.toContain('verify');
  });

  it('runs the phases of the drill in order and tears down newest first', async () => {
    const { services, calls } = fakes();
    const result = await runMainJob(services, options());
    expect(calls).toEqual(['synth:http://127.0.0.1:4567', 'sandbox:4567', 'tf:init', 'tf:apply', 'seed', 'writer:start', 'backup', 'verify', 'writer:stop', 'tf:destroy', 'sandbox:stop', 'aws:close', 'clean']);
    expect(result.phases.map((p) => p.name)).toEqual(['synth', 'sandbox', 'init', 'apply', 'seed', 'backup', 'verify', 'destroy', 'stop']);
  });

  it('keeps a live writer on the table from before the backup until after the drill, and reports its counts', async () => {
    const { services, calls } = fakes();
    const result = await runMainJob(services, options());
    expect(calls.indexOf('writer:start')).toBeLessThan(calls.indexOf('backup'));
    expect(calls.indexOf('writer:stop')).toBeGreaterThan(calls.indexOf('verify'));
    expect(result.writer).toMatchObject({ puts: 3, transactions: 1 });
  });

  it('stops the writer in the teardown when the run fails before the drill', async () => {
    const { services, calls } = fakes();
    const aws = services.aws;
    services.aws = (s) => ({ ...aws(s), backup: async () => { throw new Error('backup FAILED'); } });
    await runMainJob(services, options());
    expect(calls.indexOf('writer:stop')).toBeLessThan(calls.indexOf('tf:destroy'));
  });

  it('verifies the disaster scenario on a fresh backup of the recovered table', async () => {
    const { services, verifyArgs } = fakes();
    await runMainJob(services, options({ scenario: 'disaster' }));
    expect(verifyArgs[0].fresh).toBe(true);
  });

  it('exits with verify\'s exit code and verdict', async () => {
    const { services } = fakes({ verify: { exitCode: 1, verdict: 'FAILED', passed: 9, failed: 1 } });
    const result = await runMainJob(services, options());
    expect({ exitCode: result.exitCode, verdict: result.verdict }).toEqual({ exitCode: 1, verdict: 'FAILED' });
  });

  it('reports exit 2 with verify\'s reason when verify could not run', async () => {
    const { services } = fakes({ verify: { exitCode: 2, error: 'TS_E_NO_CREDENTIALS: no credentials' } });
    const result = await runMainJob(services, options());
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/TS_E_NO_CREDENTIALS/);
  });

  it('plays the disaster between backup and verify: recover, validate, re-apply, plan', async () => {
    const { services, calls } = fakes();
    const result = await runMainJob(services, options({ scenario: 'disaster' }));
    expect(calls.slice(calls.indexOf('backup'), calls.indexOf('verify') + 1)).toEqual(['backup', 'recover', 'validate', 'tf:apply', 'tf:plan', 'verify']);
    expect(result.disaster).toMatchObject({ ok: true, planExitCode: 0, reapplied: ['aws_dynamodb_table.table'] });
  });

  it('fails the run (exit 1) when the plan after the re-apply is not clean', async () => {
    const { services } = fakes({ planExit: 2 });
    const result = await runMainJob(services, options({ scenario: 'disaster' }));
    expect({ exitCode: result.exitCode, ok: result.disaster?.ok }).toEqual({ exitCode: 1, ok: false });
  });

  it('tears down (destroy, sandbox stop) when interrupted mid-apply and says so', async () => {
    const interrupt = new AbortController();
    const { services, calls } = fakes({ applyHangs: true, onApply: () => setTimeout(() => interrupt.abort(), 5) });
    const result = await runMainJob(services, options({ signal: interrupt.signal }));
    expect(calls.slice(calls.indexOf('tf:apply'))).toEqual(['tf:apply', 'tf:destroy', 'sandbox:stop', 'aws:close', 'clean']);
    expect({ verdict: result.verdict, exitCode: result.exitCode, left: result.leftState }).toEqual({ verdict: 'INTERRUPTED', exitCode: 2, left: [] });
  });

  it('deletes scratch tables a drill left behind before destroying the stack', async () => {
    const { services, calls } = fakes({ drillTables: ['tablesafe-drill-x-run-1'] });
    const result = await runMainJob(services, options());
    expect(result.drillTablesLeft).toEqual(['tablesafe-drill-x-run-1']);
    expect(calls.indexOf('delete:tablesafe-drill-x-run-1')).toBeLessThan(calls.indexOf('tf:destroy'));
  });

  it('lists what is left when a second Ctrl-C skips the teardown', async () => {
    const interrupt = new AbortController();
    const teardown = new AbortController();
    const { services, calls } = fakes({ applyHangs: true, onApply: () => setTimeout(() => (interrupt.abort(), teardown.abort()), 5) });
    const result = await runMainJob(services, options({ signal: interrupt.signal, teardownSignal: teardown.signal }));
    expect(calls).not.toContain('sandbox:stop');
    expect(result.leftState).toEqual([expect.stringMatching(/terraform destroy/), 'sandbox on http://127.0.0.1:4567']);
  });

  it('keeps a failed destroy in the left state and still stops the sandbox', async () => {
    const { services, calls } = fakes({ destroyFails: true });
    const result = await runMainJob(services, options());
    expect(result.leftState).toEqual([expect.stringMatching(/applied stack .*: terraform destroy failed: boom/)]);
    expect(calls).toContain('sandbox:stop');
  });

  it('with --keep waits for Ctrl-C after the reports, then tears down and passes', async () => {
    const interrupt = new AbortController();
    const { services, calls } = fakes();
    const kept: string[] = [];
    const run = runMainJob(services, options({ keep: true, signal: interrupt.signal, onKeep: (k) => kept.push(k.endpoint) }));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).not.toContain('tf:destroy');
    interrupt.abort();
    const result = await run;
    expect({ kept, exitCode: result.exitCode, destroyed: calls.includes('tf:destroy') }).toEqual({ kept: ['http://127.0.0.1:4567'], exitCode: 0, destroyed: true });
  });

  it('with --keep shows the plan\'s scheduled recovery point as it appears in the vault, and when it completes', async () => {
    const interrupt = new AbortController();
    const { services } = fakes();
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:scheduled-1';
    let polls = 0;
    const asked: string[] = [];
    const aws = services.aws({ endpoint: '', port: 0, env: {}, stop: async () => undefined });
    aws.scheduledRecoveryPoints = async (vault) => {
      asked.push(vault);
      polls += 1;
      if (polls < 3) return [];
      return [{ arn, status: polls < 5 ? 'CREATED' : 'COMPLETED', creationDate: new Date('2026-01-01T05:00:00Z'), ruleId: 'daily' }];
    };
    const run = runMainJob(services, options({ keep: true, signal: interrupt.signal, keepPollMs: 2, progress: createProgress({ stream, tty: false }) }));
    for (let i = 0; i < 200 && !lines.some((l) => l.includes('COMPLETED (rule daily)')); i++) await new Promise((r) => setTimeout(r, 5));
    interrupt.abort();
    await run;
    const shown = lines.filter((l) => l.includes(arn)).map((l) => l.replace(/^.*scheduled recovery point/, 'scheduled recovery point'));
    expect({ vault: [...new Set(asked)], shown }).toEqual({
      vault: ['vault'],
      shown: [
        `scheduled recovery point appeared CREATED (rule daily), created 2026-01-01T05:00:00.000Z: ${arn}`,
        `scheduled recovery point COMPLETED (rule daily), created 2026-01-01T05:00:00.000Z: ${arn}`,
      ],
    });
  });

  it('stops before starting anything when synth fails', async () => {
    const { services, calls } = fakes();
    services.synth = async () => {
      throw new Error('compliance: TS-DDB-002 failed');
    };
    const result = await runMainJob(services, options());
    expect({ calls, exitCode: result.exitCode, error: result.error }).toEqual({ calls: [], exitCode: 2, error: 'compliance: TS-DDB-002 failed' });
  });
});

describe('terraform output helpers', () => {
  it('turns apply lines into a fraction of the planned resources', () => {
    const step = terraformLineProgress('apply');
    step('Plan: 3 to add, 1 to change, 0 to destroy.');
    expect(step('aws_kms_key.key: Creation complete after 1s [id=k]')).toEqual({ message: 'aws_kms_key.key creation complete', fraction: 0.25 });
  });

  it('counts destroyed resources against the destroy plan', () => {
    const step = terraformLineProgress('destroy');
    step('Plan: 0 to add, 0 to change, 2 to destroy.');
    expect(step('aws_s3_bucket.b: Destruction complete after 0s')?.fraction).toBe(0.5);
  });

  it('lists the resources an apply changed', () => {
    expect(changedResources('  # aws_dynamodb_table.t will be updated in-place\n  # aws_x.y will be created\n')).toEqual(['aws_dynamodb_table.t', 'aws_x.y']);
  });

  it('extracts the attribute lines of a dirty plan', () => {
    expect(planDiffLines('  # aws_x.y will be updated in-place\n      ~ rotation = 0 -> 365\n   id = "a"\n')).toEqual(['# aws_x.y will be updated in-place', '~ rotation = 0 -> 365']);
  });
});
