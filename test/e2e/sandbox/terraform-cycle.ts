/**
 * One Terraform life cycle against the sandbox: init from the offline plugin dir, apply, a plan
 * that must show no changes, destroy. Shared by the fixture test and the stack tests.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TerraformRun {
  readonly code: number;
  readonly output: string;
}

/** TF_PLUGIN_DIR, else /opt/tf-plugins when it exists, else undefined (registry download). */
export function pluginDir(): string | undefined {
  if (process.env.TF_PLUGIN_DIR) return process.env.TF_PLUGIN_DIR;
  return existsSync('/opt/tf-plugins') ? '/opt/tf-plugins' : undefined;
}

/** Copies a Terraform JSON configuration to a scratch working dir. */
export function workdirFrom(configFile: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tablesafe-tf-'));
  cpSync(configFile, path.join(dir, path.basename(configFile)));
  return dir;
}

export function terraform(dir: string, args: string[], env: Record<string, string>): Promise<TerraformRun> {
  return new Promise((resolve) => {
    execFile('terraform', [...args, '-no-color', '-input=false'], {
      cwd: dir,
      env: { ...process.env, ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

export function initArgs(): string[] {
  const dir = pluginDir();
  return dir ? ['init', `-plugin-dir=${dir}`] : ['init'];
}

/** Last lines of a run, for a failure message that says what Terraform said. */
export function tail(run: TerraformRun, lines = 40): string {
  return run.output.split('\n').slice(-lines).join('\n');
}
