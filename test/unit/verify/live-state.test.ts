import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient, DescribeBackupVaultCommand, GetBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { createClients } from '../../../core/aws/clients';
import { complianceChecks } from '../../../verify/checks';
import { gatherLiveState } from '../../../compliance/facts/live-state';
import { contract, outputs, TABLE, TABLE_ARN, VAULT } from './fixtures';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const kms = mockClient(KMSClient);
const iam = mockClient(IAMClient);

beforeEach(() => {
  ddb.reset();
  backup.reset();
  kms.reset();
  iam.reset();
});

const clients = () => createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });

describe('gatherLiveState', () => {
  it('records a read error per section instead of throwing', async () => {
    ddb.on(DescribeTableCommand).rejects(Object.assign(new Error('User is not authorized to perform: dynamodb:DescribeTable'), { name: 'AccessDeniedException' }));
    const live = await gatherLiveState(contract(), outputs(), clients());
    expect(live.table).toEqual({ ok: false, error: 'AccessDeniedException: User is not authorized to perform: dynamodb:DescribeTable' });
  });

  it('reads the table by the name output', async () => {
    ddb.on(DescribeTableCommand, { TableName: TABLE }).resolves({ Table: { TableName: TABLE, TableArn: TABLE_ARN, TableStatus: 'ACTIVE' } });
    const live = await gatherLiveState(contract(), outputs(), clients());
    expect(live.table.ok && live.table.value.TableStatus).toBe('ACTIVE');
  });

  it('treats a vault without an access policy as no policy, not an error', async () => {
    backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: VAULT });
    backup.on(GetBackupVaultAccessPolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'ResourceNotFoundException' }));
    const live = await gatherLiveState(contract(), outputs(), clients());
    expect(live.vaultPolicy).toEqual({ ok: true, value: undefined });
  });
});

describe('complianceChecks on live facts', () => {
  it('runs the contract pack and fails the PITR rule on a live table without PITR', async () => {
    const { DescribeContinuousBackupsCommand } = await import('@aws-sdk/client-dynamodb');
    ddb.onAnyCommand().resolves({});
    backup.onAnyCommand().resolves({});
    kms.onAnyCommand().resolves({});
    iam.onAnyCommand().resolves({});
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: TABLE, TableArn: TABLE_ARN, TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } });
    ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'DISABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
    const c = contract({ compliance: { pack: 'tablesafe-strict' } });
    const live = await gatherLiveState(c, outputs(), clients());
    const pitr = complianceChecks(c, outputs(), live).find((x) => x.id === `TS-DDB-001:${TABLE}`);
    expect(pitr).toMatchObject({ status: 'fail', category: 'compliance' });
  });
});

describe('the trail reader', () => {
  it('reads the trail it was asked for when DescribeTrails lists others too', async () => {
    const { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, GetEventSelectorsCommand } = await import('@aws-sdk/client-cloudtrail');
    const trails = mockClient(CloudTrailClient);
    const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`;
    trails.on(DescribeTrailsCommand).resolves({ trailList: ['other-a', 'platform', 'other-b'].map((Name) => ({ Name, TrailARN: arn(Name), IsMultiRegionTrail: true })) });
    trails.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    trails.on(GetEventSelectorsCommand).resolves({});
    ddb.onAnyCommand().resolves({});
    backup.onAnyCommand().resolves({});
    kms.onAnyCommand().resolves({});
    iam.onAnyCommand().resolves({});
    const c = contract({ trail: { name: 'platform', multiRegion: true, logFileValidation: true, kmsEncrypted: true, dynamoDbDataEvents: false } });
    const live = await gatherLiveState(c, outputs({ trailArn: arn('platform') }), clients());
    trails.restore();
    expect(live.trail?.ok && live.trail.value.trail.Name).toBe('platform');
  });
});
