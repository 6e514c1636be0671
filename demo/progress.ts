/**
 * Progress for long phases: a spinner line (with a bar when the fraction is known) on a TTY, plain
 * timestamped lines everywhere else (CI logs, pipes, `--json` on stderr). The formatting functions
 * are pure so both renderings are tested without a terminal.
 */

export interface PhaseProgress {
  /** What the phase is doing now; `fraction` (0–1) draws a bar on a TTY and a percent in plain lines. */
  update(message: string, fraction?: number): void;
  /** A line worth keeping in the log (plain: printed; TTY: printed above the spinner). */
  log(line: string): void;
  /** The phase finished; `summary` is shown on its final line. */
  done(summary?: string): void;
  /** The phase failed or was interrupted. */
  fail(reason: string): void;
}

export interface Progress {
  phase(name: string): PhaseProgress;
  /** A line outside any phase. */
  info(line: string): void;
  /** Stops timers; leaves the cursor on a fresh line. */
  close(): void;
}

export interface ProgressOptions {
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /**
   * Spinner rendering.
   * @default stream.isTTY and not CI
   */
  readonly tty?: boolean;
  /** @default () => Date.now() */
  readonly now?: () => number;
  /**
   * Plain mode prints an unchanged-phase update at most this often (a changed percent decade or
   * message always prints).
   * @default 5000
   */
  readonly plainIntervalMs?: number;
}

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

export function renderBar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** `2024-05-01T10:00:00.000Z apply     message` */
export function formatPlainLine(nowMs: number, phase: string | undefined, message: string): string {
  const stamp = new Date(nowMs).toISOString();
  return phase ? `${stamp} ${phase.padEnd(8)} ${message}` : `${stamp} ${message}`;
}

/** Plain update: the message plus a percent when known. */
export function formatPlainUpdate(message: string, fraction?: number): string {
  return fraction === undefined ? message : `${message} (${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%)`;
}

/** One spinner line, cut to the terminal width. */
export function formatTtyLine(frame: number, phase: string, elapsedMs: number, message: string, fraction: number | undefined, columns: number): string {
  const head = `${SPINNER_FRAMES[frame % SPINNER_FRAMES.length]} ${phase.padEnd(8)} ${formatDuration(elapsedMs).padStart(6)}  `;
  const bar = fraction === undefined ? '' : `${renderBar(fraction)}  `;
  return truncate(`${head}${bar}${message}`, columns);
}

export function formatTtyDone(phase: string, elapsedMs: number, summary: string | undefined, ok: boolean): string {
  return `${ok ? '✔' : '✖'} ${phase.padEnd(8)} ${formatDuration(elapsedMs).padStart(6)}${summary ? `  ${summary}` : ''}`;
}

function truncate(line: string, columns: number): string {
  const max = Math.max(20, columns - 1);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function isInteractive(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
}

export function createProgress(options: ProgressOptions): Progress {
  return (options.tty ?? isInteractive(options.stream)) ? new TtyProgress(options) : new PlainProgress(options);
}

class PlainProgress implements Progress {
  private readonly now: () => number;
  private readonly interval: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.interval = options.plainIntervalMs ?? 5000;
  }

  private write(phase: string | undefined, message: string): void {
    this.options.stream.write(`${formatPlainLine(this.now(), phase, message)}\n`);
  }

  phase(name: string): PhaseProgress {
    const started = this.now();
    let lastMessage = '';
    let lastDecade = -1;
    let lastAt = 0;
    this.write(name, 'started');
    return {
      update: (message, fraction) => {
        const decade = fraction === undefined ? -1 : Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
        const at = this.now();
        if (message === lastMessage && decade === lastDecade && at - lastAt < this.interval) return;
        if (message !== lastMessage || decade !== lastDecade || at - lastAt >= this.interval) {
          lastMessage = message;
          lastDecade = decade;
          lastAt = at;
          this.write(name, formatPlainUpdate(message, fraction));
        }
      },
      log: (line) => this.write(name, line),
      done: (summary) => this.write(name, `done in ${formatDuration(this.now() - started)}${summary ? ` — ${summary}` : ''}`),
      fail: (reason) => this.write(name, `FAILED after ${formatDuration(this.now() - started)}: ${reason}`),
    };
  }

  info(line: string): void {
    this.write(undefined, line);
  }

  close(): void {
    // nothing buffered
  }
}

class TtyProgress implements Progress {
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private current?: { name: string; started: number; message: string; fraction?: number };

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
  }

  private get columns(): number {
    return this.options.stream.columns ?? 100;
  }

  private clearLine(): void {
    this.options.stream.write('\r\x1b[2K');
  }

  private render(): void {
    const c = this.current;
    if (!c) return;
    this.clearLine();
    this.options.stream.write(formatTtyLine(this.frame, c.name, this.now() - c.started, c.message, c.fraction, this.columns));
  }

  private finish(line: string): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.current = undefined;
    this.clearLine();
    this.options.stream.write(`${line}\n`);
  }

  phase(name: string): PhaseProgress {
    if (this.current) this.finish(formatTtyDone(this.current.name, this.now() - this.current.started, 'superseded', false));
    const state = { name, started: this.now(), message: 'starting', fraction: undefined as number | undefined };
    this.current = state;
    this.timer = setInterval(() => {
      this.frame++;
      this.render();
    }, 100);
    this.timer.unref();
    this.render();
    const active = () => this.current === state;
    return {
      update: (message, fraction) => {
        state.message = message;
        state.fraction = fraction;
        if (active()) this.render();
      },
      log: (line) => {
        this.clearLine();
        this.options.stream.write(`  ${truncate(line, this.columns - 2)}\n`);
        if (active()) this.render();
      },
      done: (summary) => {
        if (active()) this.finish(formatTtyDone(name, this.now() - state.started, summary, true));
      },
      fail: (reason) => {
        if (active()) this.finish(formatTtyDone(name, this.now() - state.started, reason, false));
      },
    };
  }

  info(line: string): void {
    this.clearLine();
    this.options.stream.write(`${line}\n`);
    this.render();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.current) this.clearLine();
    this.current = undefined;
  }
}
