/**
 * Seed 000 played literally: "Deleted original DynamoDB table … Validated backup availability …
 * Confirmed recoverable state". The source table is deleted, the latest COMPLETED recovery point is
 * restored under the ORIGINAL name with the stack's key, and every written item is compared
 * attribute by attribute with what the restored table holds. Re-applying what a restore drops
 * (PITR, TTL, tags) is terraform's job and happens in the main job right after.
 */
import { BackupClient, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand, type RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { latestCompleted, listTableRecoveryPoints } from '../core/aws/recovery-points';
import { TablesafeError } from '../core/errors';
import type { PollOutcome, PollProgress } from '../core/poller';
import { waitForRestoreJob, waitForTableActive, waitForTableDeleted } from '../core/waiters';
import { differingAttributes, type Item } from '../verify/drill/digest';

export interface RecoverOptions {
  readonly dynamodb: DynamoDBClient;
  readonly backup: BackupClient;
  readonly tableName: string;
  readonly tableArn: string;
  readonly vaultName: string;
  readonly keyArn: string;
  /** Role AWS Backup assumes to create and fill the table (the `backup_role_arn` output). */
  readonly backupRoleArn: string;
  /** @default never aborted */
  readonly signal?: AbortSignal;
  /** @default silent */
  readonly log?: (line: string) => void;
  /** @default silent */
  readonly onProgress?: (what: string, p: PollProgress) => void;
  /** Deadline of each wait. @default 15 minutes */
  readonly maxWaitMs?: number;
  /** @default 250 ms min, 5 s max */
  readonly poll?: { readonly minDelayMs?: number; readonly maxDelayMs?: number };
}

export interface RecoverResult {
  readonly recoveryPointArn: string;
  readonly restoreJobId: string;
  /** From DeleteTable to the restored table ACTIVE: the outage the disaster caused. */
  readonly outageSeconds: number;
  /** From StartRestoreJob to the restored table ACTIVE. */
  readonly restoreSeconds: number;
}

export interface ItemValidation {
  readonly expected: number;
  /** Items in the table (the expected ones and any other). */
  readonly found: number;
  readonly matching: number;
  /** Items of other writers (the demo's live traffic) in the table: not compared, not problems. */
  readonly others?: number;
  /** One line per missing, extra or differing item (capped). */
  readonly problems: readonly string[];
}

const PROBLEM_CAP = 20;

export async function deleteAndRecover(o: RecoverOptions): Promise<RecoverResult> {
  const log = o.log ?? (() => undefined);
  const pollBase = { minDelayMs: o.poll?.minDelayMs ?? 250, maxDelayMs: o.poll?.maxDelayMs ?? 5_000, signal: o.signal, maxWaitMs: o.maxWaitMs ?? 15 * 60_000 };
  const outageStart = Date.now();
  await o.dynamodb.send(new DeleteTableCommand({ TableName: o.tableName }));
  log(`deleted table ${o.tableName}`);
  must(await waitForTableDeleted(o.dynamodb, o.tableName, { ...pollBase, onProgress: (p) => o.onProgress?.('deleting table', p) }), `table ${o.tableName} to be gone`);
  log(`confirmed ${o.tableName} is gone`);

  const point = await latestRecoveryPoint(o);
  log(`latest COMPLETED recovery point ${point.RecoveryPointArn} (${point.CreationDate?.toISOString() ?? 'no date'})`);
  const meta = await o.backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: o.vaultName, RecoveryPointArn: point.RecoveryPointArn }));
  const restoreStart = Date.now();
  const job = await o.backup.send(new StartRestoreJobCommand({
    RecoveryPointArn: point.RecoveryPointArn,
    IamRoleArn: o.backupRoleArn,
    ResourceType: 'DynamoDB',
    Metadata: { ...(meta.RestoreMetadata ?? {}), targetTableName: o.tableName, encryptionType: 'KMS', kmsMasterKeyArn: o.keyArn },
  }));
  const jobId = job.RestoreJobId ?? '';
  log(`restore job ${jobId} started into ${o.tableName}`);
  must(await waitForRestoreJob(o.backup, jobId, { ...pollBase, onProgress: (p) => o.onProgress?.('restoring', p) }), `restore job ${jobId}`);
  must(await waitForTableActive(o.dynamodb, o.tableName, { ...pollBase, onProgress: (p) => o.onProgress?.('waiting for ACTIVE', p) }), `restored table ${o.tableName} to be ACTIVE`);
  const end = Date.now();
  return {
    recoveryPointArn: point.RecoveryPointArn ?? '',
    restoreJobId: jobId,
    outageSeconds: Math.round((end - outageStart) / 100) / 10,
    restoreSeconds: Math.round((end - restoreStart) / 100) / 10,
  };
}

async function latestRecoveryPoint(o: RecoverOptions): Promise<RecoveryPointByBackupVault> {
  const points = await listTableRecoveryPoints(o.backup, o.vaultName, o.tableArn);
  const latest = latestCompleted(points);
  if (!latest?.RecoveryPointArn) {
    throw new TablesafeError('TS_E_NO_RECOVERY_POINT', `no COMPLETED recovery point of ${o.tableArn} in vault ${o.vaultName}`, 'the backup phase must complete before the table is deleted');
  }
  return latest;
}

function must(o: PollOutcome<unknown>, what: string): void {
  if (o.state === 'SUCCESS') return;
  if (o.state === 'ABORTED') throw new TablesafeError('TS_E_ABORTED', `interrupted while waiting for ${what}`, 'run the demo again');
  throw new TablesafeError(o.state === 'TIMEOUT' ? 'TS_E_RESTORE_TIMEOUT' : 'TS_E_RESTORE_FAILED', `waiting for ${what}: ${o.state} (${o.reason ?? 'no reason given'})`, 'check the sandbox log; run the demo again');
}

/**
 * Full scan of the restored table compared with every written item, attribute by attribute.
 * Keys `otherWriter` accepts belong to other writers (the demo's live traffic): counted, not compared.
 */
export async function validateItems(client: DynamoDBClient, tableName: string, expected: readonly Item[], keyName: string, signal?: AbortSignal, otherWriter?: (key: string) => boolean): Promise<ItemValidation> {
  const found = new Map<string, Item>();
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }), { abortSignal: signal as never });
    for (const item of page.Items ?? []) found.set(keyOf(item, keyName), item);
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return compareItems(expected, found, keyName, otherWriter);
}

export function compareItems(expected: readonly Item[], found: ReadonlyMap<string, Item>, keyName: string, otherWriter: (key: string) => boolean = () => false): ItemValidation {
  const problems: string[] = [];
  const note = (line: string) => {
    if (problems.length < PROBLEM_CAP) problems.push(line);
  };
  let matching = 0;
  const seen = new Set<string>();
  for (const item of expected) {
    const key = keyOf(item, keyName);
    seen.add(key);
    const actual = found.get(key);
    if (!actual) {
      note(`${keyName}=${key}: missing`);
      continue;
    }
    const diff = differingAttributes(item, actual);
    if (diff.length === 0) matching++;
    else note(`${keyName}=${key}: differs in ${diff.join(', ')}`);
  }
  let others = 0;
  for (const key of found.keys()) {
    if (seen.has(key)) continue;
    if (otherWriter(key)) others += 1;
    else note(`${keyName}=${key}: not written by the demo`);
  }
  return { expected: expected.length, found: found.size, matching, problems, ...(others ? { others } : {}) };
}

function keyOf(item: Item, keyName: string): string {
  const v = item[keyName];
  return v?.S ?? v?.N ?? (v ? JSON.stringify(v) : '(no key)');
}
