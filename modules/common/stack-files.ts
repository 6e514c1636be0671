import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
// Not re-exported from the package root; this is the hook cdktf itself uses for assets.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';

/** File names each stack writes through writeStackFileOnSynth. */
const stackFiles = new WeakMap<TerraformStack, Set<string>>();

/**
 * Writes a JSON file next to the stack's `cdk.tf.json` on every synth
 * (`cdktf.out/stacks/<stack>/<fileName>`). `content` runs at synth time, after the construct tree
 * is complete. `afterWrite` runs once the file is on disk (with the stack's directory), so a check
 * may fail synth and still leave its evidence behind.
 *
 * One synthesis hook fits a construct: pass a construct that carries no other.
 */
export function writeStackFileOnSynth<T>(construct: IConstruct, fileName: string, content: () => T, afterWrite?: (written: T, dir: string) => void): void {
  const stack = TerraformStack.of(construct);
  if (!stackFiles.has(stack)) stackFiles.set(stack, new Set());
  stackFiles.get(stack)!.add(fileName);
  addCustomSynthesis(construct, {
    onSynthesize(session) {
      const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      const value = content();
      // The stack directory exists: cdktf makes it before running synthesis hooks.
      fs.writeFileSync(path.join(dir, fileName), `${JSON.stringify(value, null, 2)}\n`);
      afterWrite?.(value, dir);
    },
  });
}

/**
 * Removes the stack's earlier generation from `dir`: `cdk.tf.json` (or `cdk.tf`) and every file
 * written through writeStackFileOnSynth, except `keep`. For a synth that fails after some files
 * were written, so the folder never mixes this run's files with an earlier run's.
 */
export function removeStackFiles(stack: TerraformStack, dir: string, keep: readonly string[] = []): void {
  for (const name of ['cdk.tf.json', 'cdk.tf', ...(stackFiles.get(stack) ?? [])]) {
    if (!keep.includes(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
