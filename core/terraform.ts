/**
 * What every caller of the `terraform` binary shares: where it is, and the one line that says why
 * it failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TablesafeError } from './errors';

/**
 * The terraform to run: `env.TABLESAFE_TERRAFORM` when set, else `terraform` on `env.PATH`;
 * fails with what to install.
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TABLESAFE_TERRAFORM) return env.TABLESAFE_TERRAFORM;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'terraform');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  throw new TablesafeError(
    'TS_E_NO_TERRAFORM',
    'terraform was not found on PATH',
    'install Terraform 1.5 or newer (https://developer.hashicorp.com/terraform/install) or set TABLESAFE_TERRAFORM to its path',
  );
}

const BOX = /^[│╷╵]\s?/;

/**
 * The cause of a failed terraform command, from its output: its `Error:` lines (joined with "; "),
 * never a warning printed before them (terraform warns on stderr about, say, a missing CLI config
 * file before the error that matters). Without an `Error:` line, the first line outside a warning;
 * `fallback` when there is none.
 */
export function terraformErrorSummary(output: string, fallback = 'no output'): string {
  const lines = output.replace(/\r/g, '').split('\n');
  const errors = [...new Set(lines.map((l) => l.trim().replace(BOX, '').trim()).filter((l) => /^Error:/.test(l)))];
  if (errors.length) return errors.join('; ');
  // No Error: line: drop warning blocks (╷ … │ Warning: … ╵) and the sentence that introduces them.
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.startsWith('╷')) {
      let end = i;
      while (end < lines.length && !lines[end].trim().startsWith('╵')) end++;
      const block = lines.slice(i, end + 1).map((l) => l.trim().replace(BOX, '').trim()).filter(Boolean);
      if (block[0]?.startsWith('Warning:')) {
        if (kept.length && kept[kept.length - 1].endsWith(':')) kept.pop();
        i = end;
        continue;
      }
      kept.push(...block);
      i = end;
      continue;
    }
    const text = line.replace(BOX, '').trim();
    if (text) kept.push(text);
  }
  return kept.find((l) => !/^Warning:/.test(l)) ?? fallback;
}
