/**
 * What AWS authorizes for a request: each (IAM action, resource ARN, context keys, resource policy)
 * it checks before it acts, read from the request as the front door received it. One request may
 * need several (RestoreTableToPointInTime: the source, the new table and, for a customer managed
 * key, the key; StartRestoreJob: the recovery point and passing the role). A request this file
 * cannot map is refused by the enforcer, never let through.
 */
import { matchRoute } from '../backup/routes';

/** The resource policy AWS evaluates with the identity policies, when the resource has one. */
export type ResourcePolicyRef =
  | { readonly kind: 'key'; readonly keyArn: string }
  | { readonly kind: 'vault'; readonly region: string; readonly resourceArn: string }
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'trust'; readonly roleArn: string };

export interface Authorization {
  readonly action: string;
  /** The resource ARN; `*` when the action has no resource-level permissions. */
  readonly resource: string;
  /** Where the resource's tags are kept, for `aws:ResourceTag/*` conditions. @default the resource has none the sandbox evaluates */
  readonly tagged?: 'backup';
  /** Keys this request sets beyond the global ones (`iam:PassedToService`, `kms:ViaService`, …). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  readonly policy?: ResourcePolicyRef;
}

export type Mapping = { readonly checks: readonly Authorization[] } | { readonly unmapped: string };

/** The request as the enforcer hands it over (see sandbox/server.ts `Call`). */
export interface MappedRequest {
  readonly service: string;
  readonly region: string;
  readonly operation?: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Account state the mapping needs to name a resource (moto's IAM and KMS). */
export interface ResourceLookups {
  readonly accountId: string;
  /** The key's ARN for a key id, key ARN, alias name or alias ARN in `region`; undefined when no such key. */
  keyArn(region: string, keyId: string): Promise<string | undefined>;
  /** The role's ARN (with its path) by name; undefined when no such role. */
  roleArn(roleName: string): Promise<string | undefined>;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function jsonBody(body: Buffer): Json {
  if (!body.length) return {};
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : {};
}

const only = (...checks: Authorization[]): Mapping => ({ checks });
const unmapped = (reason: string): Mapping => ({ unmapped: reason });

// --- DynamoDB --------------------------------------------------------------------------------

const tableArn = (region: string, account: string, nameOrArn: string): string =>
  nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:dynamodb:${region}:${account}:table/${nameOrArn}`;

/** Operations authorized on the table their `TableName` names (with `/index/<IndexName>` for Query and Scan of an index). */
const TABLE_OPERATIONS = new Set([
  'DescribeTable', 'Scan', 'Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'DeleteTable', 'CreateTable', 'UpdateTable',
  'DescribeContinuousBackups', 'UpdateContinuousBackups', 'DescribeTimeToLive', 'UpdateTimeToLive', 'DescribeContributorInsights',
  'UpdateContributorInsights', 'DescribeKinesisStreamingDestination', 'DescribeTableReplicaAutoScaling', 'CreateBackup',
  'UpdateTableReplicaAutoScaling',
]);
/** Operations authorized on the ARN their `ResourceArn` names (a table, or a stream or index of it). */
const RESOURCE_ARN_OPERATIONS = new Set(['ListTagsOfResource', 'TagResource', 'UntagResource', 'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy']);
const ACCOUNT_OPERATIONS = new Set(['ListTables', 'ListBackups', 'DescribeLimits', 'DescribeEndpoints', 'ListGlobalTables', 'ListExports', 'ListImports']);
/** Per the DynamoDB developer guide: a point-in-time or backup restore writes the new table with these. */
const RESTORE_TARGET_ACTIONS = ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'];

/**
 * A restore into a table encrypted with a customer managed key: DynamoDB describes the key and
 * creates a grant on it for the new table, with the caller's permissions, through DynamoDB.
 */
function restoreKeyChecks(region: string, account: string, keyArn: string | undefined): Authorization[] {
  if (!keyArn) return [];
  const via = { 'kms:ViaService': `dynamodb.${region}.amazonaws.com`, 'kms:CallerAccount': account };
  return [
    { action: 'kms:DescribeKey', resource: keyArn, context: via, policy: { kind: 'key', keyArn } },
    { action: 'kms:CreateGrant', resource: keyArn, context: { ...via, 'kms:GrantIsForAWSResource': 'true' }, policy: { kind: 'key', keyArn } },
  ];
}

async function dynamodb(req: MappedRequest, op: string, input: Json, lookups: ResourceLookups): Promise<Mapping> {
  const { region } = req;
  const account = lookups.accountId;
  const act = (name: string) => `dynamodb:${name}`;
  if (ACCOUNT_OPERATIONS.has(op)) return only({ action: act(op), resource: '*' });
  if (TABLE_OPERATIONS.has(op)) {
    const name = str(input.TableName);
    if (!name) return unmapped(`${op} without a TableName`);
    const table = tableArn(region, account, name);
    const index = (op === 'Query' || op === 'Scan') && str(input.IndexName);
    const checks: Authorization[] = [{ action: act(op), resource: index ? `${table}/index/${index}` : table }];
    const sse = input.SSESpecification as Json | undefined;
    if (op === 'CreateTable' && str(sse?.KMSMasterKeyId)) checks.push(...restoreKeyChecks(region, account, await lookups.keyArn(region, String(sse?.KMSMasterKeyId)) ?? String(sse?.KMSMasterKeyId)));
    return { checks };
  }
  if (RESOURCE_ARN_OPERATIONS.has(op)) {
    const arn = str(input.ResourceArn);
    return arn ? only({ action: act(op), resource: arn }) : unmapped(`${op} without a ResourceArn`);
  }
  if (op === 'DescribeBackup' || op === 'DeleteBackup') {
    const arn = str(input.BackupArn);
    return arn ? only({ action: act(op), resource: arn }) : unmapped(`${op} without a BackupArn`);
  }
  if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
    const tables = Object.keys((input.RequestItems ?? {}) as Json);
    if (!tables.length) return unmapped(`${op} without RequestItems`);
    return { checks: tables.map((t) => ({ action: act(op), resource: tableArn(region, account, t) })) };
  }
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
    const kinds: Record<string, string> = { ConditionCheck: 'ConditionCheckItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Get: 'GetItem' };
    const checks: Authorization[] = [];
    for (const item of (input.TransactItems ?? []) as Json[]) {
      for (const [kind, spec] of Object.entries(item ?? {})) {
        const name = str((spec as Json | undefined)?.TableName);
        if (!kinds[kind] || !name) return unmapped(`${op} item ${kind} without a TableName`);
        checks.push({ action: act(kinds[kind]), resource: tableArn(region, account, name) });
      }
    }
    return checks.length ? { checks } : unmapped(`${op} without TransactItems`);
  }
  if (op === 'RestoreTableToPointInTime' || op === 'RestoreTableFromBackup') {
    const target = str(input.TargetTableName);
    const source = op === 'RestoreTableFromBackup' ? str(input.BackupArn) : str(input.SourceTableArn) ?? (str(input.SourceTableName) && tableArn(region, account, String(input.SourceTableName)));
    if (!target || !source) return unmapped(`${op} without its source and TargetTableName`);
    const targetArn = tableArn(region, account, target);
    const sse = input.SSESpecificationOverride as Json | undefined;
    const keyId = str(sse?.KMSMasterKeyId);
    return only(
      { action: act(op), resource: source },
      ...RESTORE_TARGET_ACTIONS.map((a) => ({ action: act(a), resource: targetArn })),
      ...(keyId ? restoreKeyChecks(region, account, (await lookups.keyArn(region, keyId)) ?? keyId) : []),
    );
  }
  return unmapped(`DynamoDB ${op} has no IAM mapping in the sandbox`);
}

// --- KMS -------------------------------------------------------------------------------------

const KMS_ACCOUNT_OPERATIONS = new Set(['ListKeys', 'ListAliases', 'CreateKey', 'GenerateRandom', 'ConnectCustomKeyStore', 'DescribeCustomKeyStores']);

async function kms(req: MappedRequest, op: string, input: Json, lookups: ResourceLookups): Promise<Mapping> {
  const action = `kms:${op}`;
  if (KMS_ACCOUNT_OPERATIONS.has(op) && !(op === 'ListAliases' && str(input.KeyId))) return only({ action, resource: '*' });
  const keyId = str(input.KeyId) ?? str(input.TargetKeyId) ?? str(input.DestinationKeyId);
  if (!keyId) return unmapped(`KMS ${op} without a KeyId (the sandbox cannot tell which key's policy applies)`);
  const keyArn = await lookups.keyArn(req.region, keyId);
  // No such key: KMS answers NotFound for it, and the caller learns nothing by it.
  if (!keyArn) return { checks: [] };
  const context: Record<string, string> = { 'kms:CallerAccount': lookups.accountId };
  return only({ action, resource: keyArn, context, policy: { kind: 'key', keyArn } });
}

// --- AWS Backup ------------------------------------------------------------------------------

const backupVaultArn = (region: string, account: string, name: string): string => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
const backupPlanArn = (region: string, account: string, id: string): string => `arn:aws:backup:${region}:${account}:backup-plan:${id}`;

function passRole(roleArn: string | undefined): Authorization[] {
  return roleArn ? [{ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'backup.amazonaws.com' } }] : [];
}

function backup(req: MappedRequest, lookups: ResourceLookups): Mapping {
  const path = req.url.split('?')[0];
  const matched = matchRoute(req.method.toUpperCase(), path);
  if (!matched) return unmapped(`AWS Backup ${req.method} ${path} has no IAM mapping in the sandbox`);
  const { operation: op, params } = matched;
  const { region } = req;
  const account = lookups.accountId;
  const action = `backup:${op}`;
  const input = req.method === 'GET' || req.method === 'DELETE' ? {} : jsonBody(req.body);
  const vault = params.BackupVaultName ? backupVaultArn(region, account, params.BackupVaultName) : undefined;
  const vaultPolicy = (resourceArn: string): ResourcePolicyRef => ({ kind: 'vault', region, resourceArn });
  switch (op) {
    case 'DescribeRecoveryPoint':
    case 'GetRecoveryPointRestoreMetadata':
    case 'DeleteRecoveryPoint':
    case 'UpdateRecoveryPointLifecycle':
      return only({ action, resource: params.RecoveryPointArn, policy: vaultPolicy(params.RecoveryPointArn), tagged: 'backup' });
    case 'ListTags':
    case 'TagResource':
    case 'UntagResource':
      return only({ action, resource: params.ResourceArn });
    case 'GetBackupPlan':
    case 'UpdateBackupPlan':
    case 'DeleteBackupPlan':
    case 'ListBackupPlanVersions':
    case 'GetBackupSelection':
    case 'DeleteBackupSelection':
    case 'ListBackupSelections':
      return only({ action, resource: backupPlanArn(region, account, params.BackupPlanId) });
    case 'CreateBackupSelection':
      return only({ action, resource: backupPlanArn(region, account, params.BackupPlanId) }, ...passRole(str((input.BackupSelection as Json | undefined)?.IamRoleArn)));
    case 'StartBackupJob': {
      const name = str(input.BackupVaultName);
      if (!name) return unmapped('StartBackupJob without a BackupVaultName');
      const target = backupVaultArn(region, account, name);
      return only({ action, resource: target, policy: vaultPolicy(target), tagged: 'backup' }, ...passRole(str(input.IamRoleArn)));
    }
    case 'StartCopyJob':
    case 'StartRestoreJob': {
      const point = str(input.RecoveryPointArn);
      if (!point) return unmapped(`${op} without a RecoveryPointArn`);
      return only({ action, resource: point, policy: vaultPolicy(point), tagged: 'backup' }, ...passRole(str(input.IamRoleArn)));
    }
    case 'ListRecoveryPointsByResource':
      return only({ action, resource: params.ResourceArn });
    default:
      // Vault operations name the vault; the rest (jobs, lists, settings) have no resource-level permissions.
      return vault ? only({ action, resource: vault, policy: vaultPolicy(vault), tagged: 'backup' }) : only({ action, resource: '*' });
  }
}

// --- IAM, STS --------------------------------------------------------------------------------

function queryParams(req: MappedRequest): URLSearchParams {
  const q = req.url.indexOf('?');
  const fromBody = new URLSearchParams(req.body.toString('utf8'));
  if (q >= 0) for (const [k, v] of new URLSearchParams(req.url.slice(q + 1))) if (!fromBody.has(k)) fromBody.set(k, v);
  return fromBody;
}

const IAM_ROLE_OPERATIONS = new Set([
  'GetRole', 'GetRolePolicy', 'ListRolePolicies', 'ListAttachedRolePolicies', 'PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy',
  'DetachRolePolicy', 'UpdateAssumeRolePolicy', 'DeleteRole', 'UpdateRole', 'TagRole', 'UntagRole', 'ListRoleTags',
  'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'ListInstanceProfilesForRole',
]);
const IAM_POLICY_OPERATIONS = new Set(['GetPolicy', 'GetPolicyVersion', 'ListPolicyVersions', 'CreatePolicyVersion', 'DeletePolicyVersion', 'DeletePolicy', 'ListEntitiesForPolicy', 'ListPolicyTags']);
const IAM_ACCOUNT_OPERATIONS = new Set(['ListRoles', 'ListPolicies', 'GetAccountSummary', 'ListAccountAliases', 'GetAccountAuthorizationDetails']);

async function iam(req: MappedRequest, op: string, lookups: ResourceLookups): Promise<Mapping> {
  const p = queryParams(req);
  const action = `iam:${op}`;
  if (IAM_ACCOUNT_OPERATIONS.has(op)) return only({ action, resource: '*' });
  if (IAM_ROLE_OPERATIONS.has(op) || op === 'CreateRole') {
    const name = p.get('RoleName');
    if (!name) return unmapped(`IAM ${op} without a RoleName`);
    const arn = op === 'CreateRole' ? undefined : await lookups.roleArn(name);
    const path = p.get('Path') ?? '/';
    return only({ action, resource: arn ?? `arn:aws:iam::${lookups.accountId}:role${path}${name}` });
  }
  if (IAM_POLICY_OPERATIONS.has(op)) {
    const arn = p.get('PolicyArn');
    return arn ? only({ action, resource: arn }) : unmapped(`IAM ${op} without a PolicyArn`);
  }
  return unmapped(`IAM ${op} has no IAM mapping in the sandbox`);
}

function sts(req: MappedRequest, op: string): Mapping {
  // AWS answers GetCallerIdentity for any valid credentials; no policy can deny it.
  if (op === 'GetCallerIdentity') return { checks: [] };
  if (op === 'AssumeRole') {
    const roleArn = queryParams(req).get('RoleArn');
    return roleArn ? only({ action: 'sts:AssumeRole', resource: roleArn, policy: { kind: 'trust', roleArn } }) : unmapped('AssumeRole without a RoleArn');
  }
  return unmapped(`STS ${op} has no IAM mapping in the sandbox`);
}

// --- CloudTrail ------------------------------------------------------------------------------

function cloudtrail(req: MappedRequest, op: string, input: Json, lookups: ResourceLookups): Mapping {
  const action = `cloudtrail:${op}`;
  const trailArn = (nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:cloudtrail:${req.region}:${lookups.accountId}:trail/${nameOrArn}`);
  if (op === 'DescribeTrails' || op === 'LookupEvents' || op === 'ListTrails' || op === 'CreateTrail') return only({ action, resource: op === 'CreateTrail' ? trailArn(String(input.Name ?? '')) : '*' });
  if (op === 'ListTags') {
    const ids = (input.ResourceIdList ?? []) as unknown[];
    return ids.length ? { checks: ids.map((id) => ({ action, resource: trailArn(String(id)) })) } : unmapped('ListTags without a ResourceIdList');
  }
  const name = str(input.Name) ?? str(input.TrailName) ?? str(input.ResourceId);
  return name ? only({ action, resource: trailArn(name) }) : unmapped(`CloudTrail ${op} without a trail name`);
}

// --- S3 --------------------------------------------------------------------------------------

/** S3 operation (as the front door names it) → IAM action, where the two differ. */
const S3_ACTIONS: Record<string, string> = {
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetBucketReplication: 'GetReplicationConfiguration',
  GetBucketOwnershipControls: 'GetBucketOwnershipControls',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  HeadBucket: 'ListBucket',
  HeadObject: 'GetObject',
  ListBuckets: 'ListAllMyBuckets',
  CreateBucket: 'CreateBucket',
  GetBucketTagging: 'GetBucketTagging',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  DeleteObjects: 'DeleteObject',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  AbortMultipartUpload: 'AbortMultipartUpload',
};
const S3_OBJECT_OPERATIONS = new Set(['GetObject', 'HeadObject', 'PutObject', 'DeleteObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'GetObjectTagging', 'PutObjectTagging', 'GetObjectAcl']);

function s3(req: MappedRequest, op: string): Mapping {
  if (op === 'ListBuckets') return only({ action: 's3:ListAllMyBuckets', resource: '*' });
  const path = req.url.split('?')[0];
  const [bucketPart, ...keyParts] = path.split('/').filter(Boolean);
  if (!bucketPart) return unmapped(`S3 ${op} without a bucket`);
  const bucket = decodeURIComponent(bucketPart);
  const object = S3_OBJECT_OPERATIONS.has(op);
  const resource = object ? `arn:aws:s3:::${bucket}/${decodeURIComponent(keyParts.join('/'))}` : `arn:aws:s3:::${bucket}`;
  // A listing sends its prefix as `s3:prefix` (a policy may allow listing one prefix only); AWS sets it, empty, when none is given.
  const listing = op === 'ListObjects' || op === 'ListObjectsV2' || op === 'ListObjectVersions';
  const context = listing ? { 's3:prefix': new URLSearchParams(req.url.split('?')[1] ?? '').get('prefix') ?? '' } : undefined;
  return only({ action: `s3:${S3_ACTIONS[op] ?? op}`, resource, policy: { kind: 'bucket', bucket }, ...(context ? { context } : {}) });
}

// --- Application Auto Scaling ----------------------------------------------------------------

function autoscaling(op: string): Mapping {
  // Describe calls have no resource-level permissions; the sandbox maps no write (our roles make none).
  if (op.startsWith('Describe')) return only({ action: `application-autoscaling:${op}`, resource: '*' });
  return unmapped(`Application Auto Scaling ${op} has no IAM mapping in the sandbox`);
}

/** What AWS authorizes for `req`; `{ unmapped }` when the sandbox cannot say (the enforcer then refuses it). */
export async function authorizationsOf(req: MappedRequest, lookups: ResourceLookups): Promise<Mapping> {
  const op = req.operation;
  try {
    switch (req.service) {
      case 'backup':
        return backup(req, lookups);
      case 's3':
        return op ? s3(req, op) : unmapped('S3 request without an operation');
      case 'iam':
        return op ? await iam(req, op, lookups) : unmapped('IAM request without an Action');
      case 'sts':
        return op ? sts(req, op) : unmapped('STS request without an Action');
    }
    if (!op) return unmapped(`${req.service} request without an operation`);
    const input = jsonBody(req.body);
    switch (req.service) {
      case 'dynamodb':
        return await dynamodb(req, op, input, lookups);
      case 'kms':
        return await kms(req, op, input, lookups);
      case 'cloudtrail':
        return cloudtrail(req, op, input, lookups);
      case 'application-autoscaling':
        return autoscaling(op);
      default:
        return unmapped(`service ${req.service} has no IAM mapping in the sandbox`);
    }
  } catch (err) {
    return unmapped(`${req.service} ${op ?? req.method}: the request could not be read (${(err as Error).message})`);
  }
}
