/**
 * `startSandbox(options)`: moto server + the front door on one loopback port, with state that
 * survives restarts. Used by `tablesafe sandbox start`, the main job and the tests.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ensureWritableDir } from '../core/dirs';
import { TablesafeError } from '../core/errors';
import { acquirePidLock } from '../core/pid-lock';
import type { BackupService } from './types';
import { createBackupService } from './backup';
import { FaultRegistry } from './faults';
import { newFixState } from './fixes';
import { MotoLink } from './forward';
import { compactJournalFile } from './compact';
import { Journal } from './journal';
import { startMoto, type MotoProcess } from './moto';
import { DEFAULT_TRAIL_EVENT_LIMIT, TrailEvents } from './trail-events';
import { readTrails, TrailDelivery } from './trail-delivery';
import { PointInTime } from './pitr';
import { FrontDoor, SANDBOX_ACCOUNT_ID } from './server';
import { TableExports } from './exports';
import { IamEnforcer } from './iam/enforcer';
import { loadPolicySimulator } from './iam/simulator';
import type { KeyPair } from './sigv4';

export { FaultRegistry } from './faults';
export type { KeyPair } from './sigv4';

export const DEFAULT_STATE_DIR = path.join('.tablesafe', 'sandbox');
/**
 * Who the operator's credentials (`test`, or `--strict-auth`'s) are to IAM: moto's default user. A
 * stack deployed to the sandbox names it in `trustedPrincipals` for verify to assume its roles.
 */
export const SANDBOX_OPERATOR_ARN = 'arn:aws:iam::123456789012:user/moto';
export const SANDBOX_REGION = 'us-east-1';

export interface SandboxOptions {
  /** Public port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Where the journal, Backup state and lock file live. @default `.tablesafe/sandbox` (under the cwd) */
  readonly stateDir?: string;
  /**
   * Backup/restore/copy job durations are divided by this, and plan schedules on the system clock
   * run this much faster (3600: an hour of hourly and daily rules passes in a second).
   * @default 1
   */
  readonly timeScale?: number;
  /** Only requests signed with this key pair are accepted. @default any credentials are accepted */
  readonly strictAuth?: KeyPair;
  /** Clock of the Backup service's records and schedules, not sped up (tests). @default the system clock */
  readonly clock?: { now(): Date };
  /**
   * Run Backup plan rules on their schedules (`tablesafe sandbox start` and the main job do).
   * @default false: a library caller's sandbox starts no job it did not ask for
   */
  readonly runSchedules?: boolean;
  /** Suppress progress lines (replay, warnings). @default false */
  readonly quiet?: boolean;
  /** moto_server executable. @default env TABLESAFE_MOTO_SERVER, else PATH */
  readonly motoBinary?: string;
  /**
   * CloudTrail event history (LookupEvents): how many management events are kept, newest first;
   * 0 records none. @default 10000
   */
  readonly trailEventLimit?: number;
  /**
   * Enforce IAM for calls made with assumed-role (STS session) credentials: each is authorized
   * against its role's policies as the sandbox holds them (IAM, KMS key policies, vault and bucket
   * policies), with the IAM policy evaluator `@cloud-copilot/iam-simulate`, which must be installed.
   * The operator's credentials stay unrestricted.
   * @default false
   */
  readonly enforceIam?: boolean;
}

export interface Sandbox {
  readonly endpoint: string;
  readonly port: number;
  readonly stateDir: string;
  /** Environment a client needs: endpoint, region, credentials. */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: FaultRegistry;
  /** Journal entries replayed at start (0 on a fresh state dir). */
  readonly replayed: number;
  /** moto's own endpoint behind the front door, for benchmarks and debugging; not for clients. */
  readonly motoEndpoint: string;
  /** Process group of moto and its guard (tests use it to simulate moto dying). */
  readonly motoProcessGroup: number;
  stop(): Promise<void>;
}

function validate(options: SandboxOptions): void {
  const { port, timeScale } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new TablesafeError('TS_E_SANDBOX_OPTION', `port: ${port} is invalid: must be an integer 0-65535 (0 picks a free port)`);
  }
  if (timeScale !== undefined && !(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new TablesafeError('TS_E_SANDBOX_OPTION', `timeScale: ${timeScale} is invalid: must be a number > 0 (1 = AWS-like durations)`);
  }
  const limit = options.trailEventLimit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new TablesafeError('TS_E_SANDBOX_OPTION', `trailEventLimit: ${limit} is invalid: must be an integer >= 0 (0 records no CloudTrail events)`);
  }
  const auth = options.strictAuth;
  if (auth && (!auth.accessKeyId || !auth.secretAccessKey)) {
    throw new TablesafeError('TS_E_SANDBOX_OPTION', 'strictAuth: accessKeyId and secretAccessKey must both be non-empty');
  }
}

/** One sandbox per state dir: two journals appending to one file would corrupt it. */
function lockStateDir(stateDir: string): () => void {
  return acquirePidLock(path.join(stateDir, 'sandbox.pid'), (pid) =>
    new TablesafeError('TS_E_SANDBOX_BUSY', `state dir ${stateDir} is in use by sandbox process ${pid}`, 'stop that sandbox, or pass another --state-dir'));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  validate(options);
  // Before anything starts: without the evaluator, enforcement cannot run and says what to install.
  const simulator = options.enforceIam ? await loadPolicySimulator() : undefined;
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  const log = options.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
  // Before moto starts: a state dir that cannot be made or written fails at once, one line.
  ensureWritableDir(stateDir, 'sandbox state dir', { code: 'TS_E_STATE_DIR' });
  const unlock = lockStateDir(stateDir);
  let moto: MotoProcess | undefined;
  let link: MotoLink | undefined;
  let journal: Journal | undefined;
  let backupService: BackupService | undefined;
  let pitr: PointInTime | undefined;
  let trailDelivery: TrailDelivery | undefined;
  try {
    moto = await startMoto({ binary: options.motoBinary });
    link = new MotoLink(moto.port);
    const journalFile = path.join(stateDir, 'journal.jsonl');
    const compacted = await compactJournalFile(journalFile, options.clock ? options.clock.now().getTime() : Date.now());
    if (compacted.after < compacted.before) {
      log(`sandbox: journal compacted from ${compacted.before} to ${compacted.after} entries (each item's writes folded into its final state; writes to tables deleted since dropped)`);
    }
    const opened = await Journal.open(journalFile);
    journal = opened.journal;
    const faults = new FaultRegistry();
    const trail = new TrailEvents(options.trailEventLimit ?? DEFAULT_TRAIL_EVENT_LIMIT, path.join(stateDir, 'cloudtrail-events.jsonl'));
    const timeScale = options.timeScale ?? 1;
    const now = () => (options.clock ? options.clock.now().getTime() : Date.now());
    pitr = new PointInTime({ now, timeScale, faults, log });
    const motoLink = link;
    const enforcer = simulator && new IamEnforcer({
      accountId: SANDBOX_ACCOUNT_ID,
      simulator,
      moto: (request) => motoLink.sendBuffered(request),
      vaultPolicy: async (_region, resourceArn) => backupService?.vaultPolicyOf?.(resourceArn),
      backupTags: (resourceArn) => backupService?.tagsOf?.(resourceArn),
    });
    const door = new FrontDoor({ moto: link, faults, fixState: newFixState(), journal, strictAuth: options.strictAuth, trail, pitr, enforcer, log });
    const history = pitr;
    history.attach(door.dynamodb);
    history.attachExports(new TableExports({
      now,
      timeScale,
      account: SANDBOX_ACCOUNT_ID,
      describeTable: async (region, table) => {
        try {
          return ((await door.dynamodb(region, 'DescribeTable', { TableName: table })).Table ?? undefined) as Record<string, unknown> | undefined;
        } catch (e) {
          if ((e as Error).name === 'ResourceNotFoundException') return undefined;
          throw e;
        }
      },
      window: (region, table) => history.window(region, table),
      itemsAt: (region, table, at) => history.itemsAt(region, table, at),
      putObject: door.putObject,
    }, path.join(stateDir, 'exports.json')));
    if (opened.entries.length > 0) {
      log(`sandbox: replaying ${opened.entries.length} journaled requests from ${stateDir}`);
      const { failed } = await door.replay(opened.entries, (done, total) => log(`sandbox: replayed ${done}/${total}`));
      if (failed > 0) log(`sandbox: ${failed} journaled requests failed on replay (see above)`);
    }
    const delivery = new TrailDelivery({
      account: SANDBOX_ACCOUNT_ID,
      timeScale,
      limit: options.trailEventLimit ?? DEFAULT_TRAIL_EVENT_LIMIT,
      now,
      trails: (regions) => readTrails(door, regions),
      putObject: door.putObject,
      keyFile: path.join(stateDir, 'cloudtrail-digest-key.pem'),
      log,
    });
    trail.deliverTo(delivery);
    await delivery.start();
    trailDelivery = delivery;

    const backup = await createBackupService({
      stateDir: path.join(stateDir, 'backup'),
      timeScale,
      dynamodb: door.dynamodb,
      account: door.account,
      faults,
      clock: options.clock,
      runSchedules: options.runSchedules,
      tableAt: (region, table, at) => history.tableAt(region, table, at),
    });
    backupService = backup;
    door.backup = backup;

    const server = http.createServer({ keepAliveTimeout: 30_000 }, door.listener);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(
        err.code === 'EADDRINUSE'
          ? new TablesafeError('TS_E_SANDBOX_PORT', `port: ${options.port} is already in use on 127.0.0.1`, 'pick another --port, or 0 for a free one')
          : err,
      ));
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const endpoint = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: endpoint,
      TABLESAFE_ENDPOINT: endpoint,
      AWS_REGION: SANDBOX_REGION,
      AWS_DEFAULT_REGION: SANDBOX_REGION,
      AWS_ACCESS_KEY_ID: options.strictAuth?.accessKeyId ?? 'test',
      AWS_SECRET_ACCESS_KEY: options.strictAuth?.secretAccessKey ?? 'test',
    };
    const running = { moto, link, journal };
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await delivery.close();
        await backup.close();
        await history.close();
        await running.journal.close();
        running.link.close();
        await running.moto.stop();
        unlock();
      })();
      return stopping;
    };
    return { endpoint, port, stateDir, env, faults, replayed: opened.entries.length, motoEndpoint: moto.url, motoProcessGroup: moto.pid, stop };
  } catch (err) {
    // Nothing may outlive a failed start: the Backup service (its timers and state file), the
    // journal, moto and the lock.
    await trailDelivery?.close().catch(() => undefined);
    await backupService?.close().catch(() => undefined);
    await pitr?.close();
    link?.close();
    await journal?.close();
    await moto?.stop();
    unlock();
    throw err;
  }
}
