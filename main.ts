/**
 * `cdktf synth` / `cdktf deploy` entry: one PlatformStack per environment (stacks/synth.ts).
 * Select a subset with TABLESAFE_STACKS=demo,prod (all by default); an unknown name fails and
 * names the stacks. A failure prints its message once, without stack frames, and exits 1.
 */
import { runSynth } from './stacks/synth';

process.exitCode = runSynth(process.env);
