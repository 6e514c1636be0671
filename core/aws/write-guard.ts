/**
 * The write guard: verify may change only its own scratch tables (`tablesafe-drill-*`). Installed as
 * middleware on every DynamoDB and AWS Backup client verify creates, it sees every command before
 * it is serialized; a command that is not on the read-only list must name only scratch tables, or
 * it is refused without reaching the network. Refusal is a TablesafeError (TS_E_WRITE_GUARD).
 */
import type { Pluggable } from '@smithy/types';
import { DRILL_TABLE_PREFIX } from '../contract';
import { TablesafeError } from '../errors';

/** DynamoDB commands that read only; everything else counts as a write. */
export const DYNAMODB_READ_COMMANDS: ReadonlySet<string> = new Set([
  'BatchGetItemCommand',
  'DescribeContinuousBackupsCommand',
  'DescribeContributorInsightsCommand',
  'DescribeEndpointsCommand',
  'DescribeKinesisStreamingDestinationCommand',
  'DescribeLimitsCommand',
  'DescribeTableCommand',
  'DescribeTableReplicaAutoScalingCommand',
  'DescribeTimeToLiveCommand',
  'GetItemCommand',
  'GetResourcePolicyCommand',
  'ListBackupsCommand',
  'ListTablesCommand',
  'ListTagsOfResourceCommand',
  'QueryCommand',
  'ScanCommand',
]);

/**
 * AWS Backup commands that change state: StartBackupJob only reads the source, StartCopyJob only
 * copies a recovery point into another vault (the DR one, for `--fresh`); StartRestoreJob must
 * target a scratch table.
 */
const BACKUP_ALLOWED_WRITES = new Set(['StartBackupJobCommand', 'StartCopyJobCommand', 'StartRestoreJobCommand']);

export function isScratchTableName(name: string): boolean {
  return name.startsWith(DRILL_TABLE_PREFIX) && name.length > DRILL_TABLE_PREFIX.length;
}

/** Table name from a table ARN (`arn:aws:dynamodb:r:a:table/NAME[/…]`) or a plain name. */
export function tableNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/**
 * Every table a DynamoDB command's input names as a target. RestoreTableToPointInTime's source
 * (SourceTableName/SourceTableArn) is only read, so its target alone counts.
 */
export function tablesNamedBy(input: Record<string, unknown>): string[] {
  const names: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') names.push(tableNameOf(v));
  };
  add(input.TableName);
  add(input.TargetTableName);
  add(input.ResourceArn);
  add(input.TableArn);
  if (input.RequestItems && typeof input.RequestItems === 'object') Object.keys(input.RequestItems).forEach(add);
  if (Array.isArray(input.TransactItems)) {
    for (const item of input.TransactItems as Record<string, { TableName?: unknown }>[]) {
      for (const op of Object.values(item)) add(op?.TableName);
    }
  }
  return names;
}

/**
 * Throws unless `commandName` with `input` is a read or touches scratch tables only.
 * This is the single decision point; the middleware below only calls it.
 */
export function assertAllowedDynamoDbCommand(commandName: string, input: Record<string, unknown>): void {
  if (DYNAMODB_READ_COMMANDS.has(commandName)) return;
  const op = commandName.replace(/Command$/, '');
  if (/^(Execute|BatchExecute)Statement$|^ExecuteTransaction$/.test(op)) {
    throw refusal(op, '(PartiQL statement)', 'PartiQL statements are never issued by verify');
  }
  const tables = tablesNamedBy(input);
  if (tables.length === 0) throw refusal(op, '(no table named)', 'a write must name its scratch table');
  const foreign = tables.find((t) => !isScratchTableName(t));
  if (foreign !== undefined) throw refusal(op, foreign, `only tables starting with "${DRILL_TABLE_PREFIX}" may be changed`);
}

export function assertAllowedBackupCommand(commandName: string, input: Record<string, unknown>): void {
  if (/^(Describe|Get|List)/.test(commandName)) return;
  const op = commandName.replace(/Command$/, '');
  if (!BACKUP_ALLOWED_WRITES.has(commandName)) throw refusal(op, '(backup resource)', 'verify only starts backup, copy and restore jobs');
  if (commandName === 'StartRestoreJobCommand') {
    const meta = (input.Metadata ?? {}) as Record<string, unknown>;
    const target = typeof meta.targetTableName === 'string' ? meta.targetTableName : '(no targetTableName)';
    if (!isScratchTableName(target)) throw refusal(op, target, `a restore must target a table starting with "${DRILL_TABLE_PREFIX}"`);
  }
}

function refusal(op: string, table: string, rule: string): TablesafeError {
  return new TablesafeError(
    'TS_E_WRITE_GUARD',
    `refused ${op} on ${table}: ${rule}`,
    'this is a bug in tablesafe: verify never writes outside its scratch tables; please report it',
  );
}

type Guard = (commandName: string, input: Record<string, unknown>) => void;

function guardPlugin<I extends object, O extends object>(name: string, guard: Guard): Pluggable<I, O> {
  return {
    applyToStack: (stack) => {
      stack.add(
        (next, context) => async (args) => {
          guard(String((context as { commandName?: string }).commandName ?? ''), (args.input ?? {}) as Record<string, unknown>);
          return next(args);
        },
        { step: 'initialize', name, priority: 'high' },
      );
    },
  };
}

export const dynamoDbWriteGuard = <I extends object, O extends object>(): Pluggable<I, O> =>
  guardPlugin<I, O>('tablesafeDynamoDbWriteGuard', assertAllowedDynamoDbCommand);
export const backupWriteGuard = <I extends object, O extends object>(): Pluggable<I, O> =>
  guardPlugin<I, O>('tablesafeBackupWriteGuard', assertAllowedBackupCommand);
