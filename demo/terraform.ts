import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { TablesafeError } from '../core/errors';
import { findTerraform, terraformErrorSummary } from '../core/terraform';

/**
 * A thin, honest wrapper around the `terraform` binary for a synthesized stack directory
 * (`cdktf.out/stacks/<stack>`): init (offline from a plugin mirror when configured), validate,
 * plan, apply, destroy and output. Every command runs non-interactively, without colour or
 * phone-home, and streams its lines to `onLine` so long applies show progress.
 */
export interface TerraformOptions {
  /** The stack directory holding `cdk.tf.json`. */
  readonly cwd: string;
  /** Environment for terraform (credentials, endpoints). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Local provider mirror for offline machines (`terraform init -plugin-dir`).
   * @default env.TF_PLUGIN_DIR, else the registry
   */
  readonly pluginDir?: string;
  /** Receives each output line as it arrives. @default lines are kept, not printed */
  readonly onLine?: (line: string) => void;
  /** Aborts the running command (terraform gets SIGINT, then SIGKILL after 10 s). */
  readonly signal?: AbortSignal;
  /** @default 'terraform' found on PATH (env.TABLESAFE_TERRAFORM overrides) */
  readonly binary?: string;
}

export interface TerraformResult {
  readonly exitCode: number;
  /** stdout and stderr interleaved, as a person would have seen them. */
  readonly output: string;
  /** stdout alone: machine-readable output (`-json`) without the warnings terraform prints to stderr. */
  readonly stdout: string;
  readonly durationMs: number;
}

/** Finds terraform (TABLESAFE_TERRAFORM, else PATH), or fails with what to install; shared with verify's `--stack`. */
export { findTerraform } from '../core/terraform';

export class Terraform {
  private readonly binary: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: TerraformOptions) {
    this.env = { ...(options.env ?? process.env), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    this.binary = options.binary ?? findTerraform(this.env);
    const configs = fs.existsSync(options.cwd) ? fs.readdirSync(options.cwd).filter((f) => f.endsWith('.tf.json') || f.endsWith('.tf')) : [];
    if (configs.length === 0) {
      throw new TablesafeError('TS_E_NOT_SYNTHESIZED', `no Terraform configuration (cdk.tf.json) in ${options.cwd}`, 'run `npx cdktf synth` first');
    }
  }

  init(): Promise<TerraformResult> {
    const pluginDir = this.options.pluginDir ?? this.env.TF_PLUGIN_DIR;
    return this.must('init', ['init', '-input=false', '-no-color', ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])]);
  }

  validate(): Promise<TerraformResult> {
    return this.must('validate', ['validate', '-no-color']);
  }

  /** `plan -detailed-exitcode`: exitCode 0 = no changes, 2 = changes; 1 throws. */
  async plan(extra: readonly string[] = []): Promise<TerraformResult> {
    const result = await this.run(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-lock-timeout=60s', ...extra]);
    if (result.exitCode === 1) throw this.failure('plan', result);
    return result;
  }

  apply(extra: readonly string[] = []): Promise<TerraformResult> {
    return this.must('apply', ['apply', '-input=false', '-no-color', '-auto-approve', '-lock-timeout=60s', ...extra]);
  }

  destroy(extra: readonly string[] = []): Promise<TerraformResult> {
    return this.must('destroy', ['destroy', '-input=false', '-no-color', '-auto-approve', '-lock-timeout=60s', ...extra]);
  }

  /** `terraform output -json` as { name: value }. */
  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.must('output', ['output', '-json', '-no-color'], false);
    // stdout only: terraform warns on stderr (a missing CLI config file, say) even with -json.
    let parsed: Record<string, { value: unknown }>;
    try {
      parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    } catch (e) {
      throw new TablesafeError('TS_E_TERRAFORM_OUTPUT', `terraform output -json in ${this.options.cwd} printed no JSON: ${(e as Error).message}`, 'run `terraform output -json` there to see what it prints', { cause: e });
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  private async must(name: string, args: string[], stream = true): Promise<TerraformResult> {
    const result = await this.run(args, stream);
    if (result.exitCode !== 0) throw this.failure(name, result);
    return result;
  }

  private failure(name: string, result: TerraformResult): TablesafeError {
    const cause = terraformErrorSummary(result.output, `exit code ${result.exitCode}`);
    return new TablesafeError(`TS_E_TERRAFORM_${name.toUpperCase()}`, `terraform ${name} failed in ${this.options.cwd}: ${cause}`, 'read the terraform output above; fix the cause and run again', {
      cause: result.output,
    });
  }

  /** Any terraform command; resolves with its exit code and output, never rejects on a non-zero exit. */
  run(args: readonly string[], stream = true): Promise<TerraformResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { cwd: this.options.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let stdout = '';
      let pending = '';
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        if (!stream || !this.options.onLine) return;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.options.onLine(line);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        onData(chunk);
      });
      child.stderr.on('data', onData);
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        killTimer.unref();
      };
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => reject(new TablesafeError('TS_E_TERRAFORM_SPAWN', `could not run ${this.binary}: ${e.message}`, 'check that terraform is installed and executable', { cause: e })));
      child.on('close', (code, signal) => {
        this.options.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        if (stream && pending.trim() && this.options.onLine) this.options.onLine(pending);
        resolve({ exitCode: code ?? (signal ? 130 : 1), output, stdout, durationMs: Date.now() - started });
      });
    });
  }
}
