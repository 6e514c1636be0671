import { PassThrough } from 'node:stream';
import { createProgress, formatDuration, formatPlainLine, formatPlainUpdate, formatTtyDone, formatTtyLine, isInteractive, renderBar } from '../../../demo/progress';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

function capture(tty: boolean, clock: { t: number }) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.columns = 80;
  let text = '';
  stream.on('data', (c) => (text += String(c)));
  const progress = createProgress({ stream, tty, now: () => clock.t, plainIntervalMs: 5000 });
  return { progress, text: () => text };
}

describe('formatting', () => {
  it('prints seconds with one decimal under a minute and m/s above', () => {
    expect([formatDuration(1234), formatDuration(125_000)]).toEqual(['1.2s', '2m05s']);
  });

  it('draws a bar proportional to the fraction, clamped to 0–100 %', () => {
    expect(renderBar(0.5, 10)).toBe('[█████░░░░░]  50%');
    expect(renderBar(7, 4)).toBe('[████] 100%');
  });

  it('stamps plain lines with an ISO time and the padded phase name', () => {
    expect(formatPlainLine(T0, 'apply', 'started')).toBe('2024-05-01T10:00:00.000Z apply    started');
  });

  it('adds a whole percent to plain updates when the fraction is known', () => {
    expect(formatPlainUpdate('3/5 items written', 0.6)).toBe('3/5 items written (60%)');
  });

  it('renders a spinner line with elapsed time and bar', () => {
    expect(formatTtyLine(1, 'seed', 2500, '10/20 items', 0.5, 120)).toMatch(/^⠙ seed\s+2\.5s {2}\[█{10}░{10}\] {2}50% {2}10\/20 items$/);
  });

  it('cuts spinner lines to the terminal width', () => {
    const line = formatTtyLine(0, 'apply', 0, 'x'.repeat(300), undefined, 60);
    expect(line.length).toBe(59);
    expect(line.endsWith('…')).toBe(true);
  });

  it('marks finished phases with a tick and failed ones with a cross', () => {
    expect(formatTtyDone('verify', 3000, 'PASSED', true)).toMatch(/^✔ verify\s+3\.0s {2}PASSED$/);
    expect(formatTtyDone('apply', 3000, 'boom', false)).toMatch(/^✖ apply/);
  });

  it('treats CI as non-interactive even on a TTY', () => {
    expect(isInteractive({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: true }, {})).toBe(true);
  });
});

describe('plain progress', () => {
  it('writes start, update and done lines with timestamps and no escape codes', () => {
    const clock = { t: T0 };
    const { progress, text } = capture(false, clock);
    const p = progress.phase('seed');
    p.update('5/5 items written', 1);
    clock.t += 1500;
    p.done('5 items');
    expect(text().split('\n').filter(Boolean)).toEqual([
      '2024-05-01T10:00:00.000Z seed     started',
      '2024-05-01T10:00:00.000Z seed     5/5 items written (100%)',
      '2024-05-01T10:00:01.500Z seed     done in 1.5s — 5 items',
    ]);
  });

  it('drops repeated identical updates inside the interval', () => {
    const clock = { t: T0 };
    const { progress, text } = capture(false, clock);
    const p = progress.phase('backup');
    p.update('RUNNING', 0.41);
    clock.t += 1000;
    p.update('RUNNING', 0.45);
    expect(text().match(/RUNNING/g)).toHaveLength(1);
  });

  it('repeats an unchanged update once the interval has passed', () => {
    const clock = { t: T0 };
    const { progress, text } = capture(false, clock);
    const p = progress.phase('backup');
    p.update('RUNNING');
    clock.t += 6000;
    p.update('RUNNING');
    expect(text().match(/RUNNING/g)).toHaveLength(2);
  });

  it('says FAILED with the reason when a phase fails', () => {
    const { progress, text } = capture(false, { t: T0 });
    progress.phase('apply').fail('terraform apply failed');
    expect(text()).toMatch(/apply {4}FAILED after 0\.0s: terraform apply failed/);
  });
});

describe('TTY progress', () => {
  it('rewrites one line in place and ends the phase with a tick line', () => {
    const clock = { t: T0 };
    const { progress, text } = capture(true, clock);
    const p = progress.phase('seed');
    p.update('1/2 items written', 0.5);
    clock.t += 2000;
    p.done('2 items');
    progress.close();
    expect(text()).toContain('\r\x1b[2K');
    expect(text()).toMatch(/✔ seed\s+2\.0s {2}2 items\n$/);
  });

  it('prints log lines above the spinner', () => {
    const { progress, text } = capture(true, { t: T0 });
    const p = progress.phase('disaster');
    p.log('deleted table t');
    p.done();
    progress.close();
    expect(text()).toMatch(/ {2}deleted table t\n/);
  });
});
