/** A mocked AWS world for restore-drill tests: the backup, point-in-time and DR restores all hold the table at T. */
import { mockClient } from 'aws-sdk-client-mock';
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import type { Contract } from '../../../core/contract';
import { contract, KEY_ARN, TABLE, ACCOUNT } from './fixtures';

export const ddb = mockClient(DynamoDBClient);
export const backup = mockClient(BackupClient);
export const NOW = new Date('2026-11-23T12:00:00Z');
export const T = new Date('2026-11-23T11:00:00Z');
export const RUN = '20261123t120000-abc123';
export const SCRATCH = `tablesafe-drill-${TABLE}-${RUN}`;
export const PITR = `tablesafe-drill-${TABLE}-pitr-${RUN}`;
export const DR = `tablesafe-drill-${TABLE}-dr-${RUN}`;
export const RP = 'arn:aws:backup:us-east-1:123456789012:recovery-point:rp-2';
export const DR_RP = 'arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2-copy';
export const DR_VAULT = 'tablesafe-demo-dr-vault';
export const DR_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/dr-1`;

export type Item = Record<string, { S?: string; N?: string }>;
export const item = (id: string, name = `item ${id}`): Item => ({ ID: { S: id }, name: { S: name } });
/** The table at the recovery point's time T. */
export const atT = ['1', '2', '3', '4'].map((i) => item(i));
/** The live table now: 4 changed, 3 removed, 5 added since T. */
export const live = [item('1'), item('2'), item('4', 'renamed'), item('5')];

export const notFound = () => Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
export const awsError = (name: string, message = `${name} happened`) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

export interface World {
  tables: Record<string, Item[]>;
  deleted: Set<string>;
}

/** A scratch table of any run id by its path: `-pitr-`, `-dr-`, else the backup path's. */
function rowsOf(world: World, name: string): Item[] | undefined {
  if (name in world.tables) return world.tables[name];
  if (!name.startsWith('tablesafe-drill-')) return undefined;
  return world.tables[name.includes('-pitr-') ? PITR : name.includes('-dr-') ? DR : SCRATCH];
}

/** A happy AWS for every path: the backup, point-in-time and DR restores all hold the table at T. */
export function happyAws(over: { backup?: Item[]; pitr?: Item[]; dr?: Item[] } = {}): World {
  const world: World = { tables: { [TABLE]: live, [SCRATCH]: over.backup ?? atT, [PITR]: over.pitr ?? atT, [DR]: over.dr ?? atT }, deleted: new Set() };
  backup.on(ListRecoveryPointsByBackupVaultCommand).callsFake(async (input) => {
    if (input.BackupVaultName === DR_VAULT) return { RecoveryPoints: [{ RecoveryPointArn: DR_RP, Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:20:00Z') }] };
    return {
      RecoveryPoints: [
        { RecoveryPointArn: 'arn:old', Status: 'COMPLETED', CreationDate: new Date('2026-11-23T06:00:00Z') },
        { RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: T },
        { RecoveryPointArn: 'arn:partial', Status: 'PARTIAL', CreationDate: new Date('2026-11-23T11:30:00Z') },
      ],
    };
  });
  backup.on(ListCopyJobsCommand).resolves({
    CopyJobs: [{ CopyJobId: 'cj-1', SourceRecoveryPointArn: RP, DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${DR_VAULT}`, DestinationRecoveryPointArn: DR_RP, State: 'COMPLETED', CreationDate: new Date('2026-11-23T11:20:00Z') }],
  });
  backup.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { originalTableName: TABLE } });
  backup.on(StartRestoreJobCommand).callsFake(async (input) => ({ RestoreJobId: input.RecoveryPointArn === DR_RP ? 'job-dr' : 'job-1' }));
  backup.on(DescribeRestoreJobCommand).callsFake(async (input) => ({ RestoreJobId: input.RestoreJobId, Status: 'COMPLETED' }));
  ddb.on(DescribeContinuousBackupsCommand).resolves({
    ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: new Date('2026-11-20T00:00:00Z'), LatestRestorableDateTime: new Date('2026-11-23T11:55:00Z') } },
  });
  ddb.on(RestoreTableToPointInTimeCommand).callsFake(async (input) => ({ TableDescription: { TableName: input.TargetTableName, TableStatus: 'CREATING' } }));
  ddb.on(DeleteTableCommand).callsFake(async (input) => {
    world.deleted.add(input.TableName);
    return {};
  });
  ddb.on(DescribeTableCommand).callsFake(async (input) => {
    if (world.deleted.has(input.TableName) || !rowsOf(world, input.TableName)) throw notFound();
    const dr = input.TableName.includes('-dr-');
    const region = dr ? 'us-west-2' : 'us-east-1';
    return {
      Table: {
        TableName: input.TableName,
        TableArn: `arn:aws:dynamodb:${region}:123456789012:table/${input.TableName}`,
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
        SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: dr ? DR_KEY : KEY_ARN },
      },
    };
  });
  ddb.on(TagResourceCommand).resolves({});
  ddb.on(ScanCommand).callsFake(async (input) => {
    const rows = rowsOf(world, input.TableName) ?? [];
    const page = input.Segment === 0 || input.Segment === undefined ? rows.slice(0, input.Limit ?? rows.length) : [];
    return { Items: page, Count: page.length };
  });
  ddb.on(GetItemCommand).callsFake(async (input) => ({ Item: (rowsOf(world, input.TableName) ?? []).find((i) => i.ID.S === input.Key.ID.S) }));
  return world;
}

export function withDr(c: Contract = contract()): Contract {
  return { ...c, drRegion: 'us-west-2', backup: { ...c.backup, drCopy: { region: 'us-west-2', vaultName: DR_VAULT } } };
}

