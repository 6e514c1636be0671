import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
// Not re-exported from the package root; this is the hook cdktf itself uses for assets.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';

/**
 * Writes a JSON file next to the stack's `cdk.tf.json` on every synth
 * (`cdktf.out/stacks/<stack>/<fileName>`). `content` runs at synth time, after the construct tree
 * is complete. `afterWrite` runs once the file is on disk, so a check may fail synth and still
 * leave its evidence behind.
 *
 * One synthesis hook fits a construct: pass a construct that carries no other.
 */
export function writeStackFileOnSynth<T>(construct: IConstruct, fileName: string, content: () => T, afterWrite?: (written: T) => void): void {
  const stack = TerraformStack.of(construct);
  addCustomSynthesis(construct, {
    onSynthesize(session) {
      const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      const value = content();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, fileName), `${JSON.stringify(value, null, 2)}\n`);
      afterWrite?.(value);
    },
  });
}
