/**
 * `tablesafe demo` (`npm start`): the main job end to end on this machine, against the sandbox.
 * Exit code: verify's (0 passed, 1 a check failed — also a failed disaster recovery — 2 could not run
 * or was interrupted).
 */
import { newRunId } from '../verify/drill/scratch';
import { ensureWritableDir } from '../core/dirs';
import { isTablesafeError, isUsageError } from '../core/errors';
import { DEMO_USAGE, parseDemoArgs, type DemoOptions } from './demo-args';
import { demoItems } from '../demo/items';
import { runMainJob, type DemoServices, type MainJobResult } from '../demo/main-job';
import { createProgress } from '../demo/progress';
import { createDemoServices, lockWorkdir } from '../demo/services';
import { formatKeepHelp, formatSummary, summaryJson } from '../demo/summary';
import { findTerraform } from '../demo/terraform';

export interface DemoIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Registers a SIGINT/SIGTERM handler; returns its removal. @default process signals */
  readonly onSignal?: (handler: (signal: NodeJS.Signals) => void) => () => void;
  /** @default the real services */
  readonly services?: (options: DemoOptions, runId: string) => DemoServices;
}

const processSignals = (handler: (signal: NodeJS.Signals) => void): (() => void) => {
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
};

export async function runDemoCli(argv: string[], io: DemoIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  const err = (line: string) => io.stderr.write(`${line}\n`);
  let options: DemoOptions;
  try {
    const parsed = parseDemoArgs(argv);
    if (parsed.help) {
      io.stdout.write(`${DEMO_USAGE}\n`);
      return 0;
    }
    options = parsed;
  } catch (e) {
    if (isUsageError(e)) {
      err(`tablesafe demo: ${e.message}\n\n${DEMO_USAGE}`);
      return 2;
    }
    throw e;
  }

  let unlock: (() => void) | undefined;
  try {
    if (!io.services) {
      findTerraform(io.env);
      // Directories the run cannot use fail here in one line, not after the run (or never: a
      // recursive mkdir under /proc does not return).
      const workdir = ensureWritableDir(options.workdir, '--workdir', { cwd: io.cwd, create: false });
      ensureWritableDir(options.out, '--out', { cwd: io.cwd, create: false });
      unlock = lockWorkdir(workdir);
    }
  } catch (e) {
    if (isTablesafeError(e)) {
      err(`tablesafe demo: ${e.toLine()}`);
      return 2;
    }
    throw e;
  }

  const runId = newRunId();
  const services = (io.services ?? ((o, id) => createDemoServices({ workdir: o.workdir, timeScale: o.timeScale, runId: id, cwd: io.cwd })))(options, runId);
  // With --json, stdout carries only the summary document.
  const progressStream = options.json ? io.stderr : io.stdout;
  const progress = createProgress({ stream: progressStream, tty: progressStream.isTTY === true && !io.env.CI && io.env.TERM !== 'dumb' });
  const interrupt = new AbortController();
  const teardownInterrupt = new AbortController();
  const removeSignals = (io.onSignal ?? processSignals)((signal) => {
    if (!interrupt.signal.aborted) {
      if (!options.keep) progress.info(`${signal}: stopping the running phase, then tearing down what was started (Ctrl-C again to skip the teardown)`);
      else progress.info(`${signal}: tearing down the sandbox and the stack (Ctrl-C again to skip the teardown)`);
      interrupt.abort();
    } else if (!teardownInterrupt.signal.aborted) {
      progress.info(`${signal}: skipping the rest of the teardown`);
      teardownInterrupt.abort();
    }
  });

  progress.info(`tablesafe demo ${runId}: scenario ${options.scenario}, ${options.items} item(s)${options.keep ? ', --keep' : ''}`);
  let result: MainJobResult;
  try {
    result = await runMainJob(services, {
      scenario: options.scenario,
      items: demoItems(options.items),
      keep: options.keep,
      out: options.out,
      runId,
      progress,
      signal: interrupt.signal,
      teardownSignal: teardownInterrupt.signal,
      onKeep: (info) => progress.info(formatKeepHelp(info)),
    });
  } finally {
    removeSignals();
    progress.close();
    unlock?.();
  }
  if (options.json) {
    io.stderr.write(`${formatSummary(result)}\n`);
    io.stdout.write(`${JSON.stringify(summaryJson(result), null, 2)}\n`);
  } else io.stdout.write(`${formatSummary(result)}\n`);
  return result.exitCode;
}
