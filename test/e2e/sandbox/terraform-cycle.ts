/**
 * One Terraform life cycle against the sandbox: init from the offline plugin dir, apply, a plan
 * that must show no changes, destroy. Shared by the fixture test and the stack tests.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Terraform } from '../../../demo/terraform';

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

export async function terraform(dir: string, args: string[], env: Record<string, string>): Promise<TerraformRun> {
  const run = await new Terraform({ cwd: dir, env: { ...process.env, ...env } }).run([...args, '-no-color', '-input=false'], false);
  return { code: run.exitCode, output: run.output };
}

export function initArgs(): string[] {
  const dir = pluginDir();
  return dir ? ['init', `-plugin-dir=${dir}`] : ['init'];
}

/** Last lines of a run, for a failure message that says what Terraform said. */
export function tail(run: TerraformRun, lines = 40): string {
  return run.output.split('\n').slice(-lines).join('\n');
}
