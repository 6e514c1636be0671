/** writeReport on directories it cannot use: one TablesafeError line, no hang, no partial report. */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeReport } from '../../../verify/report/writers';
import { sampleReport } from './report-fixture';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-writer-'));

describe('writeReport', () => {
  it('writes the four renderings and SHA256SUMS into a new nested directory', () => {
    const dir = path.join(tmp(), 'reports', 'run-1');
    expect(writeReport(sampleReport(), dir).map((f) => path.basename(f))).toEqual(['report.json', 'junit.xml', 'report.md', 'report.html', 'SHA256SUMS']);
    expect(readdirSync(dir).sort()).toEqual(['SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.md']);
  });

  it('fails at once under /proc with TS_E_OUT_DIR naming the path', () => {
    const started = Date.now();
    expect(() => writeReport(sampleReport(), '/proc/x/run-1')).toThrow(expect.objectContaining({
      code: 'TS_E_OUT_DIR',
      message: expect.stringMatching(/^--out \/proc\/x\/run-1: cannot create \/proc\/x: .*\(ENOENT\)$/),
    }));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails with TS_E_OUT_DIR when --out is an existing file, writing nothing', () => {
    const root = tmp();
    const file = path.join(root, 'out.txt');
    writeFileSync(file, 'keep me');
    expect(() => writeReport(sampleReport(), path.join(file, 'run-1'))).toThrow(expect.objectContaining({
      code: 'TS_E_OUT_DIR',
      message: expect.stringMatching(/out.txt is a file, not a directory$/),
      remedy: expect.stringMatching(/pass a directory path/),
    }));
    expect(readdirSync(root)).toEqual(['out.txt']);
  });

  it('removes what it wrote when a later file cannot be written', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'report.md')); // a directory where a file must go
    expect(() => writeReport(sampleReport(), dir)).toThrow(expect.objectContaining({
      code: 'TS_E_OUT_DIR',
      message: expect.stringMatching(/cannot write .*report\.md: is a directory \(EISDIR\)$/),
    }));
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});
