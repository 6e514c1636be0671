import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `npm start` end to end: the real `tablesafe demo` command in a child process, as CI runs it
 * (CI=true → plain progress lines), against the sandbox and real terraform (TF_PLUGIN_DIR from the
 * environment for offline provider installs), with the demo's live writer busy on the table from
 * before the backup until after the drill.
 *
 * "No drill tables left" is checked where it can be observed: the sandbox lives only as long as
 * the run, so the demo lists `tablesafe-drill-*` tables in the live sandbox right after verify and
 * before its own teardown, and reports them in its `--json` summary (`drillTablesLeft`); the test
 * requires that list to be empty (the drill cleaned up after itself) and report.json's
 * DRILL-CLEANUP check to have passed (DescribeTable on the scratch table returned ResourceNotFound).
 * `leftState` empty proves the teardown (terraform destroy, sandbox stop) completed.
 *
 * The demo's sandbox enforces IAM, and verify runs its live checks as the stack's auditor role and
 * its drill as the restore-drill role: a PASSED verdict proves those roles suffice.
 */
const root = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-npm-start-'));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemo(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/tablesafe.js', 'demo', '--json', '--workdir', path.join(work, 'demo'), '--out', path.join(work, 'reports'), ...args], {
      cwd: root,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.each(['drill', 'disaster'])('npm start --scenario %s', (scenario) => {
  let run: Run;
  let summary: Record<string, any>;

  beforeAll(async () => {
    run = await runDemo(['--scenario', scenario]);
    try {
      summary = JSON.parse(run.stdout);
    } catch {
      summary = {};
    }
  }, 240_000);

  it('exits 0 with a PASSED verdict', () => {
    expect({ code: run.code, verdict: summary.verdict, error: summary.error, tail: run.code === 0 ? '' : run.stderr.slice(-3000) }).toEqual({ code: 0, verdict: 'PASSED', error: undefined, tail: '' });
  });

  it("ran the live checks as the stack's auditor role and the drill as its restore-drill role, under IAM enforcement", () => {
    const report = JSON.parse(fs.readFileSync(path.join(summary.reportDir, 'report.json'), 'utf8'));
    expect(report.identities).toEqual({
      liveChecks: `arn:aws:sts::123456789012:assumed-role/tablesafe-demo-auditor/tablesafe-audit-${report.runId}`,
      drill: `arn:aws:sts::123456789012:assumed-role/tablesafe-demo-restore-drill/tablesafe-drill-${report.runId}`,
    });
  });

  it('writes every report into its run directory', () => {
    const files = fs.readdirSync(summary.reportDir).sort();
    expect(files).toEqual(['SHA256SUMS', 'junit.xml', 'manifest.json', 'manifest.sig', 'report.html', 'report.json', 'report.md', 'signing-key.pem']);
  });

  it('signs the pack, uploads it to the Object Lock bucket and prints the command that verifies it', () => {
    expect(summary.evidence).toMatchObject({ signed: true, valid: true, problems: [], uploadedTo: expect.stringMatching(/^s3:\/\/tablesafe-demo-evidence-\d{12}\/packs\/demo\/[0-9a-z-]+\/$/) });
    expect(summary.evidence.verifyCommand).toBe(`npx tablesafe evidence verify ${path.relative(root, summary.reportDir)} --offline`);
    const manifest = JSON.parse(fs.readFileSync(path.join(summary.reportDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ runId: path.basename(summary.reportDir), stack: 'demo', signing: { algorithm: 'ECDSA_SHA_256', messageType: 'RAW' } });
  });

  it('verifies offline after the sandbox is gone (tablesafe evidence verify --offline)', () => {
    const r = spawnSync(process.execPath, ['bin/tablesafe.js', 'evidence', 'verify', summary.reportDir, '--offline'], { cwd: root, encoding: 'utf8' });
    expect({ code: r.status, last: r.stdout.trim().split('\n').pop() }).toEqual({ code: 0, last: expect.stringMatching(/^VALID: /) });
  });

  it('shows this run in the history next to the runs before it on the same reports directory, chained to the previous one', () => {
    const history = summary.evidence.history as { runId: string }[];
    expect(history[history.length - 1].runId).toBe(path.basename(summary.reportDir));
    const manifest = JSON.parse(fs.readFileSync(path.join(summary.reportDir, 'manifest.json'), 'utf8'));
    if (scenario === 'disaster') {
      expect(history).toHaveLength(2);
      expect(manifest.previous).toMatchObject({ runId: history[0].runId, source: 'local' });
    } else {
      expect(manifest.previous).toBeNull();
    }
  });

  it('has SHA256SUMS matching every report file', () => {
    const sums = fs.readFileSync(path.join(summary.reportDir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const listed = sums.map((line) => {
      const [hash, name] = line.split(/\s+\*?/);
      const actual = createHash('sha256').update(fs.readFileSync(path.join(summary.reportDir, name))).digest('hex');
      return { name, matches: actual === hash };
    });
    expect(listed.map((l) => l.name).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(listed.every((l) => l.matches)).toBe(true);
  });

  it('leaves no restore-drill scratch table behind', () => {
    const report = JSON.parse(fs.readFileSync(path.join(summary.reportDir, 'report.json'), 'utf8'));
    const cleanup = report.checks.find((c: { id: string }) => c.id === 'DRILL-CLEANUP');
    expect({ left: summary.drillTablesLeft, cleanup: cleanup?.status }).toEqual({ left: [], cleanup: 'pass' });
  });

  it('tears down everything it started', () => {
    expect(summary.leftState).toEqual([]);
    expect(summary.phases.destroy?.ok && summary.phases.stop?.ok).toBe(true);
  });

  it('measured RTO and RPO and restored at least every seeded item', () => {
    expect(summary.rto.measuredSeconds).toEqual(expect.any(Number));
    expect(summary.rpo.measuredMinutes).toEqual(expect.any(Number));
    expect(summary.items.written).toBe(5);
    expect(summary.items.restored).toBeGreaterThanOrEqual(5);
  });

  it('kept a live writer on the table through the backup and the drill, and the restore paths agree exactly', () => {
    const w = summary.writer;
    expect(w.puts + w.updates + w.deletes + w.transactions).toBeGreaterThan(0);
    expect(summary.paths).toEqual([expect.objectContaining({ path: 'backup', status: 'passed' }), expect.objectContaining({ path: 'pitr', status: 'passed', agrees: true })]);
    expect(summary.dataAtRisk).toEqual({ total: expect.any(Number), added: expect.any(Number), changed: expect.any(Number), removed: expect.any(Number) });
  });

  if (scenario === 'disaster') {
    it('recovered the deleted table with every item it wrote before the backup identical and a clean plan after the re-apply', () => {
      expect(summary.disaster).toMatchObject({ ok: true, planExitCode: 0, validation: { expected: 5, matching: 5, problems: [] } });
    });
  }
});
