/**
 * `tablesafe evidence verify | list | show | report`. Exit codes: 0 every pack intact (and, for
 * list/report, no gap against the drill cadence), 1 a pack fails verification or a gap, 2 the
 * command could not run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { durationOption, invalid, isUsageError, pathOption, readCommandLine, usageError, type CommandLine } from '../core/args';
import { createClients, type AwsClients } from '../core/aws/clients';
import { isTablesafeError, TablesafeError } from '../core/errors';
import { formatPackVerification, verifyPack } from '../verify/evidence/check';
import { buildHistory, findPackDirs, historyLines, renderHistoryHtml, renderHistoryMarkdown, type History } from '../verify/evidence/history';
import { MANIFEST_FILE, parseManifest } from '../verify/evidence/manifest';
import { downloadPacks } from '../verify/evidence/store';

const USAGE = `usage:
  tablesafe evidence verify DIR [--offline] [--region R] [--endpoint URL]
  tablesafe evidence list   [--since 90d] [--dir reports | --bucket NAME] [--stack S] [--offline]
  tablesafe evidence show   RUN-ID [--dir reports | --bucket NAME] [--offline]
  tablesafe evidence report [--since 90d] [--dir reports | --bucket NAME] [--stack S] [--out DIR] [--cadence 30d] [--offline]

verify checks one pack: the manifest's signature by KMS Verify and offline with signing-key.pem,
every file's SHA-256, that no file was added, and the link to the previous pack beside it.
list, show and report read every pack (verifying each) and render the drill history.

options:
  --offline           check signatures with signing-key.pem only (no KMS call)
  --region R          region of KMS and S3 calls (default: the signing key's region, else AWS_REGION)
  --endpoint URL      endpoint for KMS and S3, e.g. the sandbox (default: AWS_ENDPOINT_URL)
  --dir DIR           reports directory holding the packs (default: reports)
  --bucket NAME       read the packs from the evidence bucket instead (output evidence_bucket_name)
  --stack S           only this stack's packs
  --since DUR         only runs started within this duration, e.g. 90d (default: every run)
  --cadence DUR       days expected between passing drills (default: what the packs state, else 30d)
  --out DIR           report: where history.md and history.html go (default: DIR/history)

exit: 0 every pack intact (list/report: and no gap), 1 a pack fails verification (or a gap), 2 could not run`;

const OPTIONS = {
  '--offline': 'switch', '--region': 'value', '--endpoint': 'value', '--dir': 'value', '--bucket': 'value',
  '--stack': 'value', '--since': 'value', '--cadence': 'value', '--out': 'value',
} as const;

const ONLY_FOR: Readonly<Record<string, readonly string[]>> = {
  '--dir': ['list', 'show', 'report'], '--bucket': ['list', 'show', 'report'], '--stack': ['list', 'report'],
  '--since': ['list', 'report'], '--cadence': ['list', 'report'], '--out': ['report'],
};

export interface EvidenceIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

const SUBCOMMANDS = ['verify', 'list', 'show', 'report'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

export async function runEvidenceCli(argv: string[], io: EvidenceIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const [sub, ...rest] = argv;
  const err = (line: string) => io.stderr.write(`${line}\n`);
  try {
    if (sub === '--help' || sub === '-h' || sub === undefined) {
      io.stdout.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new TablesafeError('TS_E_USAGE', `unknown subcommand "${sub}"`, `use one of ${SUBCOMMANDS.join(', ')} (tablesafe evidence --help)`);
    const args = readCommandLine(rest, { command: `tablesafe evidence ${sub}`, options: OPTIONS, maxPositionals: sub === 'verify' || sub === 'show' ? 1 : 0 });
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    for (const name of [...args.values.keys(), ...args.switches]) {
      const allowed = ONLY_FOR[name];
      if (allowed && !allowed.includes(sub)) throw usageError(`${name}: not an option of tablesafe evidence ${sub} (see tablesafe evidence --help)`);
    }
    if (args.values.has('--dir') && args.values.has('--bucket')) throw invalid('--bucket', args.values.get('--bucket')!, 'give --dir or --bucket, not both');
    return await run(sub as Subcommand, args, io);
  } catch (e) {
    if (isUsageError(e) && !e.remedy) err(`tablesafe evidence ${sub}: ${e.message}`);
    else if (isTablesafeError(e)) err(`tablesafe evidence ${sub}: ${e.toLine()}`);
    else throw e;
    return 2;
  }
}

async function run(sub: Subcommand, args: CommandLine, io: EvidenceIo): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const offline = args.switches.has('--offline');
  let clients: AwsClients | undefined;
  const clientsFor = (keyArn?: string): AwsClients | undefined => {
    if (offline && !args.values.has('--bucket')) return undefined;
    const region = args.values.get('--region') ?? regionOfArn(keyArn) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    clients ??= createClients({ region, endpoint: args.values.get('--endpoint') });
    return clients;
  };
  const kmsFor = (keyArn?: string) => (offline ? undefined : clientsFor(keyArn)?.kms);
  try {
    if (sub === 'verify') {
      const dir = path.resolve(io.cwd, args.positionals[0] ?? usageMissing('DIR'));
      if (!existsSync(dir)) throw new TablesafeError('TS_E_USAGE', `${dir}: no such directory`, 'name a pack directory, e.g. reports/<run id>');
      const keyArn = signingKeyOf(dir);
      const v = await verifyPack(dir, { kms: kmsFor(keyArn) });
      for (const line of formatPackVerification(v)) out(line);
      return v.valid ? 0 : 1;
    }

    // list / show / report: the packs, local or downloaded from the bucket.
    const bucket = args.values.get('--bucket');
    let root = path.resolve(io.cwd, pathOption(args, '--dir') ?? 'reports');
    let temp: string | undefined;
    if (bucket) {
      temp = mkdtempSync(path.join(tmpdir(), 'tablesafe-evidence-'));
      await downloadPacks(clientsFor()!.s3, bucket, temp, { stack: args.values.get('--stack') });
      root = temp;
    }
    try {
      let dirs = findPackDirs(root);
      const stack = args.values.get('--stack');
      if (sub === 'show') {
        const runId = args.positionals[0] ?? usageMissing('RUN-ID');
        const dir = dirs.find((d) => path.basename(d) === runId);
        if (!dir) throw new TablesafeError('TS_E_USAGE', `no pack of run ${runId} in ${bucket ? `s3://${bucket}` : root}`, 'list the runs with tablesafe evidence list');
        const v = await verifyPack(dir, { kms: kmsFor(signingKeyOf(dir)) });
        const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
        out(`run ${runId} · stack ${String(report.stack)} · ${String(report.verdict)} · started ${String(report.startedAt)}`);
        for (const c of (report.checks as { id: string; status: string; message: string }[]) ?? []) out(`  ${c.status.toUpperCase().padEnd(4)} ${c.id}: ${c.message}`);
        for (const line of formatPackVerification(v)) out(line);
        return v.valid ? 0 : 1;
      }
      if (stack) dirs = dirs.filter((d) => readStack(d) === stack);
      const sinceMs = durationOption(args, '--since');
      const cadenceMs = durationOption(args, '--cadence');
      const firstKey = dirs.map(signingKeyOf).find(Boolean);
      const history = await buildHistory({
        dirs,
        kms: kmsFor(firstKey),
        since: sinceMs !== undefined ? new Date(Date.now() - sinceMs) : undefined,
        cadenceDays: cadenceMs !== undefined ? Math.max(1, Math.round(cadenceMs / 86_400_000)) : undefined,
        source: bucket ? `s3://${bucket}` : root,
      });
      if (sub === 'list') {
        for (const line of historyLines(history)) out(line);
        for (const g of history.gaps) out(`GAP ${g}`);
        out(`${history.runs.length} run(s); ${history.runs.filter((r) => r.signature === 'INVALID').length} fail verification; ${history.gaps.length} gap(s)`);
      } else {
        const outDir = path.resolve(io.cwd, pathOption(args, '--out') ?? path.join(bucket ? 'reports' : root, 'history'));
        writeHistory(history, outDir);
        for (const g of history.gaps) out(`GAP ${g}`);
        out(`history: ${history.runs.length} run(s) → ${path.join(outDir, 'history.html')} and history.md`);
      }
      return history.runs.some((r) => r.signature === 'INVALID') || history.gaps.length ? 1 : 0;
    } finally {
      if (temp) rmSync(temp, { recursive: true, force: true });
    }
  } finally {
    clients?.destroy();
  }
}

/** Writes history.md and history.html into `dir`; returns their paths. */
export function writeHistory(h: History, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['history.md', renderHistoryMarkdown(h)],
    ['history.html', renderHistoryHtml(h)],
  ];
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}

function usageMissing(what: string): never {
  throw usageError(`${what} is required (see tablesafe evidence --help)`);
}

function signingKeyOf(dir: string): string | undefined {
  try {
    return parseManifest(readFileSync(path.join(dir, MANIFEST_FILE)), dir).signing?.keyArn;
  } catch {
    return undefined;
  }
}

function readStack(dir: string): string | undefined {
  try {
    return String((JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { stack?: unknown }).stack);
  } catch {
    return undefined;
  }
}
