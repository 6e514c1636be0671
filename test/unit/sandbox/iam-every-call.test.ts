/**
 * Every AWS call verify makes as the stack's roles (core/capabilities.ts: the live checks as the
 * auditor, the drill as the restore-drill role, each list kept in step with the code by a scan) is
 * mapped by `--enforce-iam` to at least the authorizations the capability matrix expects: the SDK
 * serializes each command into the HTTP request it would send (captured, never sent), the front
 * door classifies it, and sandbox/iam/requests.ts maps it.
 */
import * as appAutoScaling from '@aws-sdk/client-application-auto-scaling';
import * as backup from '@aws-sdk/client-backup';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as iam from '@aws-sdk/client-iam';
import * as kms from '@aws-sdk/client-kms';
import * as s3 from '@aws-sdk/client-s3';
import * as sts from '@aws-sdk/client-sts';
import { DRILL, LIVE_CHECKS, type Caller } from '../../../core/capabilities';
import { authorizationsOf, type ResourceLookups } from '../../../sandbox/iam/requests';
import { classify } from '../../../sandbox/server';

const ACCOUNT = '123456789012';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const POINT = `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:0b1c2d3e`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111-2222`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/backup`;

/** One input that names every member the commands need (unmodelled members are not serialized). */
const INPUT: Record<string, unknown> = {
  TableName: 'orders', ResourceArn: TABLE, BackupVaultName: 'vault', RecoveryPointArn: POINT, IamRoleArn: ROLE, Metadata: { targetTableName: 'tablesafe-drill-1' },
  SourceBackupVaultName: 'vault', DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:dr`, BackupPlanId: 'plan-1', SelectionId: 'sel-1',
  BackupJobId: 'JOB', RestoreJobId: 'JOB', CopyJobId: 'JOB', KeyId: KEY, Name: 'trail', TrailName: 'trail', trailNameList: ['trail'], Bucket: 'logs',
  RoleName: 'auditor', PolicyName: 'audit-read-only', ServiceNamespace: 'dynamodb', SourceTableName: 'orders', TargetTableName: 'tablesafe-drill-1',
  RestoreDateTime: new Date(0), Key: { ID: { S: '1' } }, Tags: [{ Key: 'k', Value: 'v' }],
};

type SdkClient = new (config: object) => { send(command: object): Promise<unknown>; destroy(): void };
/** The SDK package of each IAM service prefix. */
const PACKAGES: Record<string, Record<string, unknown>> = {
  'application-autoscaling': appAutoScaling, backup, cloudtrail, dynamodb, iam, kms, s3, sts,
};
const clientOf = (pkg: Record<string, unknown>): SdkClient =>
  Object.entries(pkg).find(([k, v]) => /^[A-Z]\w*Client$/.test(k) && typeof v === 'function')![1] as SdkClient;

/** The request the SDK would send for the command, signed with a session key (captured, not sent). */
async function requestOf(command: string, service: string): Promise<ReturnType<typeof classify>> {
  const pkg = PACKAGES[service];
  let captured: { method: string; path: string; query: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown } | undefined;
  const Client = clientOf(pkg);
  const client = new Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4566',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't' },
    requestHandler: { handle: async (req: NonNullable<typeof captured>) => { captured = req; throw Object.assign(new Error('captured'), { name: 'Captured' }); } },
  });
  const Command = pkg[command] as new (input: object) => object;
  await client.send(new Command(INPUT)).catch((e: Error) => { if (e.name !== 'Captured') throw e; });
  client.destroy();
  const c = captured!;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(c.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) query.append(k, x ?? '');
  const qs = query.toString();
  const body = c.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof c.body === 'string' ? c.body : (c.body as Uint8Array));
  const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return classify(c.method, `${c.path}${qs ? `?${qs.replace(/=(&|$)/g, '$1')}` : ''}`, headers, body);
}

const lookups: ResourceLookups = {
  accountId: ACCOUNT,
  keyArn: async () => KEY,
  roleArn: async (name) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
};

describe.each([LIVE_CHECKS, DRILL] as Caller[])('every call of $id is mapped by --enforce-iam', (caller) => {
  it.each(Object.entries(caller.calls))('%s', async (command, capabilities) => {
    // The service the call is for: its capabilities' (GetCallerIdentity needs none: STS).
    const call = await requestOf(command, capabilities[0]?.action.split(':')[0] ?? 'sts');
    const mapping = await authorizationsOf({ ...call, ...call.request }, lookups);
    expect(mapping).not.toHaveProperty('unmapped');
    const actions = 'checks' in mapping ? mapping.checks.map((c) => c.action) : [];
    // Everything the matrix expects the call to need is checked (the sandbox may check more).
    expect(actions).toEqual(expect.arrayContaining([...new Set(capabilities.map((c) => c.action))]));
  });
});
