/** Progress of long waits: one rewritten line on a TTY, plain lines (at most every 15 s) in CI and pipes. */
import type { PollProgress } from '../../core/poller';

const fmt = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${Math.round(ms / 1000)}s`);

export function progressLine(what: string, p: PollProgress, now: number): string {
  const pct = p.percent !== undefined ? `${p.percent.toFixed(0)}%` : 'running';
  const eta = p.expectedCompletionAt !== undefined ? `, expected done in ~${fmt(Math.max(0, p.expectedCompletionAt - now))}` : '';
  return `${what}: ${pct}, elapsed ${fmt(p.elapsedMs)}${eta}, deadline in ${fmt(Math.max(0, p.deadlineAt - now))}`;
}

export function progressReporter(
  stream: NodeJS.WriteStream,
  now: () => number = Date.now,
  env: NodeJS.ProcessEnv = process.env,
): { report: (what: string, p: PollProgress) => void; done: () => void } {
  // CI logs keep every carriage return; a TTY under CI still gets plain lines.
  const interactive = Boolean(stream.isTTY) && !env.CI;
  let lastPlain = 0;
  let dirty = false;
  return {
    report: (what, p) => {
      const line = progressLine(what, p, now());
      if (interactive) {
        stream.write(`\r\x1b[2K${line}`);
        dirty = true;
      } else if (now() - lastPlain >= 15_000 || p.attempt === 1) {
        stream.write(`${line}\n`);
        lastPlain = now();
      }
    },
    done: () => {
      if (dirty) stream.write('\n');
      dirty = false;
    },
  };
}
