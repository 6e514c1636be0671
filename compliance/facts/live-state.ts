/**
 * One read of everything verify checks, gathered once per run with SDK v3 describe/list calls.
 * Each section records either its data or the error that prevented reading it, so a missing
 * permission or a deleted resource becomes a failed check with the AWS error — never a crash.
 * Checks (and facts/from-aws.ts) are pure functions over this snapshot.
 */
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, ScalableTarget, ScalingPolicy } from '@aws-sdk/client-application-auto-scaling';
import {
  BackupClient,
  BackupJob,
  DescribeBackupVaultCommand,
  DescribeBackupVaultCommandOutput,
  GetBackupPlanCommand,
  GetBackupPlanCommandOutput,
  GetBackupSelectionCommand,
  GetBackupSelectionCommandOutput,
  GetBackupVaultAccessPolicyCommand,
  ListBackupJobsCommand,
  RecoveryPointByBackupVault,
  DescribeRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetEventSelectorsCommandOutput, GetTrailStatusCommand, Trail } from '@aws-sdk/client-cloudtrail';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  PointInTimeRecoveryDescription,
  TableDescription,
  TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, Role } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KeyMetadata, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import type { Contract, ContractRole, OutputKey } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import type { AwsClients } from '../../core/aws/clients';
import { describeError, isNotFound } from '../../core/aws/errors';
import { listTableRecoveryPoints } from '../../core/aws/recovery-points';

/** Data, or the error that prevented reading it. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface LiveRole {
  readonly contractName: keyof Contract['roles'];
  readonly declared: ContractRole;
  readonly arn?: string;
  readonly role?: Role;
  readonly inlinePolicies: Readonly<Record<string, string>>;
  readonly managedPolicyArns: readonly string[];
}

/** A KMS key as read in its own region. */
export interface LiveKey {
  readonly metadata: KeyMetadata;
  readonly rotation: boolean;
  readonly policy?: string;
  /** The key's aliases (`alias/…`); undefined when they could not be listed. */
  readonly aliases?: readonly string[];
}

/** A declared global-table replica, read in its own region. */
export interface LiveReplica {
  readonly region: string;
  readonly table: Read<TableDescription>;
  /** The key the replica is encrypted with. */
  readonly key: Read<LiveKey>;
}

/** What verify reads of a bucket's access settings. */
export interface LiveBucket {
  /** undefined when the bucket has no public access block. */
  readonly publicAccessBlock?: PublicAccessBlockConfiguration;
  readonly isPublic: boolean;
  readonly versioning: boolean;
  /** The bucket policy (JSON); undefined when it has none. */
  readonly policy?: string;
}

/** The evidence bucket: its access settings, Object Lock and default encryption. */
export interface LiveEvidenceBucket extends LiveBucket {
  readonly objectLock: { readonly enabled: boolean; readonly mode?: string; readonly days?: number };
  /** The default encryption's algorithm (`aws:kms`, `AES256`); undefined when none is configured. */
  readonly sseAlgorithm?: string;
  /** The KMS key of the default encryption, when it names one. */
  readonly sseKmsKeyId?: string;
}

export interface LiveState {
  readonly readAt: Date;
  readonly table: Read<TableDescription>;
  readonly pitr: Read<PointInTimeRecoveryDescription | undefined>;
  readonly ttl: Read<TimeToLiveDescription | undefined>;
  readonly tags: Read<Record<string, string>>;
  /** Application Auto Scaling targets of the table and of each of its GSIs (provisioned tables; [] otherwise). */
  readonly scalableTargets: Read<ScalableTarget[]>;
  /**
   * Scaling policies of the table and of each of its GSIs (provisioned tables; [] otherwise).
   * undefined: not read (a hand-made snapshot); autoscaling is then not known.
   */
  readonly scalingPolicies?: Read<ScalingPolicy[]>;
  readonly key: Read<LiveKey>;
  readonly vault: Read<DescribeBackupVaultCommandOutput>;
  /** undefined value: no access policy set. */
  readonly vaultPolicy: Read<string | undefined>;
  /** The DR vault, read in the DR region; undefined when the contract declares no DR copy. */
  readonly drVault?: Read<DescribeBackupVaultCommandOutput>;
  /** The DR vault's access policy (undefined value: none set); undefined when no DR copy is declared. */
  readonly drVaultPolicy?: Read<string | undefined>;
  /** The DR key (the `drKeyArn` output, else the DR vault's key), read in the DR region. */
  readonly drKey?: Read<LiveKey>;
  /** Each replica region the contract declares; undefined or [] when it declares none. */
  readonly replicas?: readonly LiveReplica[];
  /**
   * Metadata of every key the table and the vaults are encrypted with, by key ARN, read in the
   * key's region: who manages it (`KeyManager`) decides customer-managed vs AWS managed.
   * undefined: not read (a hand-made snapshot).
   */
  readonly keyMetadata?: Readonly<Record<string, Read<KeyMetadata>>>;
  readonly plan: Read<GetBackupPlanCommandOutput>;
  readonly selection: Read<GetBackupSelectionCommandOutput>;
  /** The table's recovery points in the contract's vault. */
  readonly recoveryPoints: Read<RecoveryPointByBackupVault[]>;
  /** The table's backup jobs created within the RPO window. */
  readonly recentBackupJobs: Read<BackupJob[]>;
  /** Recovery points of the table in the DR vault; undefined when no DR copy is declared. */
  readonly drRecoveryPoints?: Read<RecoveryPointByBackupVault[]>;
  /** undefined when the contract declares no trail. */
  readonly trail?: Read<{ trail: Trail; logging: boolean; selectors: GetEventSelectorsCommandOutput }>;
  /** The trail's log bucket; undefined when the contract declares no trail. */
  readonly bucket?: Read<LiveBucket>;
  /** The evidence bucket; undefined when the stack has none (output evidence_bucket_name empty). */
  readonly evidenceBucket?: Read<LiveEvidenceBucket>;
  readonly roles: readonly Read<LiveRole>[];
  /** DynamoDB entries of the region's AWS Backup settings; undefined when the contract does not opt in. */
  readonly regionSettings?: Read<{ optIn?: boolean; advancedFeatures?: boolean }>;
}

async function read<T>(fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}


async function paginate<T>(fetch: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return all;
}

export function listRecoveryPoints(clients: AwsClients, vaultName: string, tableArn: string, region?: string): Promise<RecoveryPointByBackupVault[]> {
  return listTableRecoveryPoints(region ? clients.backupIn(region) : clients.backup, vaultName, tableArn);
}

export async function gatherLiveState(contract: Contract, outputs: StackOutputs, clients: AwsClients, now: Date = new Date()): Promise<LiveState> {
  const tableName = outputs.tableName ?? contract.table.name;
  const tableArn = outputs.tableArn ?? '';
  const vaultName = outputs.vaultName ?? contract.backup.vaultName;
  const rpoStart = new Date(now.getTime() - contract.backup.rpoMinutes * 60_000);

  const [table, pitr, ttl, tags, key, vault, vaultPolicy, plan, selection, recoveryPoints, recentBackupJobs] = await Promise.all([
    read(async () => (await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? {}),
    read(async () => (await clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: tableName }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription),
    read(async () => (await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription),
    read(async () => {
      const tags = await paginate(async (NextToken) => {
        const out = await clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn, NextToken }));
        return { items: out.Tags, next: out.NextToken };
      });
      return Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
    }),
    read(() => readKey(clients.kms, outputs.keyArn ?? contract.key.alias)),
    read(() => clients.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vaultName }))),
    read(() => readVaultPolicy(clients.backup, vaultName)),
    read(() => clients.backup.send(new GetBackupPlanCommand({ BackupPlanId: outputs.planId }))),
    read(() => clients.backup.send(new GetBackupSelectionCommand({ BackupPlanId: outputs.planId, SelectionId: outputs.selectionId }))),
    read(() => listRecoveryPoints(clients, vaultName, tableArn)),
    read(() =>
      paginate(async (NextToken) => {
        const out = await clients.backup.send(new ListBackupJobsCommand({ ByResourceArn: tableArn, ByCreatedAfter: rpoStart, NextToken }));
        return { items: out.BackupJobs, next: out.NextToken };
      }),
    ),
  ]);

  // Autoscaling of the table and of every GSI, declared or live: `table/<name>` and `table/<name>/index/<gsi>`.
  const provisioned = contract.table.billingMode === 'PROVISIONED' || (table.ok && table.value.BillingModeSummary?.BillingMode === 'PROVISIONED');
  const indexNames = [...new Set([...contract.table.globalSecondaryIndexes.map((g) => g.name), ...(table.ok ? (table.value.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '') : [])].filter(Boolean))];
  const resourceIds = [`table/${tableName}`, ...indexNames.map((i) => `table/${tableName}/index/${i}`)];
  const [scalableTargets, scalingPolicies] = await Promise.all([
    read(() => (provisioned ? readScalableTargets(clients.autoscaling, resourceIds) : Promise.resolve([]))),
    read(() => (provisioned ? readScalingPolicies(clients.autoscaling, resourceIds) : Promise.resolve([]))),
  ]);

  const drCopy = contract.backup.drCopy;
  let dr: Pick<LiveState, 'drVault' | 'drVaultPolicy' | 'drKey' | 'drRecoveryPoints'> = {};
  if (drCopy) {
    const drBackup = clients.backupIn(drCopy.region);
    const drVaultName = outputs.drVaultName ?? drCopy.vaultName;
    const [drVault, drVaultPolicy, drRecoveryPoints] = await Promise.all([
      read(() => drBackup.send(new DescribeBackupVaultCommand({ BackupVaultName: drVaultName }))),
      read(() => readVaultPolicy(drBackup, drVaultName)),
      read(() => listRecoveryPoints(clients, drVaultName, tableArn, drCopy.region)),
    ]);
    const drKeyId = outputs.drKeyArn ?? (drVault.ok ? drVault.value?.EncryptionKeyArn : undefined);
    const drKey = await read(() => {
      if (!drKeyId) throw new Error(`no DR key to read: no ${contract.outputs.drKeyArn} output and the DR vault ${drVaultName} could not be read`);
      return readKey(clients.kmsIn(drCopy.region), drKeyId);
    });
    dr = { drVault, drVaultPolicy, drKey, drRecoveryPoints };
  }
  const replicas = await Promise.all(contract.table.replicaRegions.map((region) => readReplica(clients, region, tableName, table)));
  const keyMetadata = await readKeyMetadata(clients, [key, dr.drKey, ...replicas.map((r) => r.key)], [
    table.ok ? table.value.SSEDescription?.KMSMasterKeyArn : undefined,
    vault.ok ? vault.value?.EncryptionKeyArn : undefined,
    dr.drVault?.ok ? dr.drVault.value?.EncryptionKeyArn : undefined,
  ]);
  const trail = contract.trail ? await read(() => readTrail(clients, outputs.trailArn ?? outputs.trailName ?? contract.trail!.name)) : undefined;
  const bucketName = outputs.trailBucket;
  const bucket = contract.trail && bucketName ? await read(() => readBucket(clients, bucketName)) : undefined;
  const evidenceBucketName = outputs.evidenceBucket;
  const evidenceBucket = evidenceBucketName ? await read(() => readEvidenceBucket(clients, evidenceBucketName)) : undefined;
  const roles = await Promise.all(
    (Object.entries(contract.roles) as [keyof Contract['roles'], ContractRole][]).map(([contractName, declared]) => read(() => readRole(clients, contractName, declared, outputs))),
  );
  const regionSettings = contract.backup.advancedDynamoDbBackup
    ? await read(async () => {
        const out = await clients.backup.send(new DescribeRegionSettingsCommand({}));
        return { optIn: out.ResourceTypeOptInPreference?.DynamoDB, advancedFeatures: out.ResourceTypeManagementPreference?.DynamoDB };
      })
    : undefined;
  return { readAt: now, table, pitr, ttl, tags, scalableTargets, scalingPolicies, key, vault, vaultPolicy, plan, selection, recoveryPoints, recentBackupJobs, ...dr, replicas, keyMetadata, trail, bucket, evidenceBucket, roles, regionSettings };
}

/** A key's metadata, rotation, policy and aliases, with the KMS client of the key's region. */
export async function readKey(kms: KMSClient, keyId: string): Promise<LiveKey> {
  const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata ?? ({} as KeyMetadata);
  const id = metadata.KeyId ?? keyId;
  const [rotation, policy, aliases] = await Promise.all([
    kms.send(new GetKeyRotationStatusCommand({ KeyId: id })),
    kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' })),
    // Names the key in findings; a caller without kms:ListAliases still gets every other fact.
    paginate(async (Marker) => {
      const out = await kms.send(new ListAliasesCommand({ KeyId: id, Marker }));
      return { items: out.Aliases, next: out.Truncated ? out.NextMarker : undefined };
    }).then(
      (list) => list.filter((a) => a.TargetKeyId === undefined || a.TargetKeyId === id).map((a) => a.AliasName ?? '').filter(Boolean),
      () => undefined,
    ),
  ]);
  return { metadata, rotation: rotation.KeyRotationEnabled === true, policy: policy.Policy, aliases };
}

/**
 * Metadata of the keys `arns` name, by ARN: from the keys already read, else DescribeKey in the
 * region of the ARN.
 */
async function readKeyMetadata(clients: AwsClients, known: readonly (Read<LiveKey> | undefined)[], arns: readonly (string | undefined)[]): Promise<Record<string, Read<KeyMetadata>>> {
  const out: Record<string, Read<KeyMetadata>> = {};
  for (const k of known) if (k?.ok && k.value.metadata.Arn) out[k.value.metadata.Arn] = { ok: true, value: k.value.metadata };
  const missing = [...new Set(arns.filter((a): a is string => Boolean(a) && !(a! in out)))];
  await Promise.all(
    missing.map(async (arn) => {
      const region = arn.split(':')[3] || clients.region;
      out[arn] = await read(async () => (await clients.kmsIn(region).send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata ?? ({} as KeyMetadata));
    }),
  );
  return out;
}

async function readVaultPolicy(backup: BackupClient, vaultName: string): Promise<string | undefined> {
  try {
    return (await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName }))).Policy;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function readScalableTargets(autoscaling: ApplicationAutoScalingClient, resourceIds: readonly string[]): Promise<ScalableTarget[]> {
  const all: ScalableTarget[] = [];
  // DescribeScalableTargets takes at most 50 resource ids a call.
  for (let i = 0; i < resourceIds.length; i += 50) {
    const ResourceIds = resourceIds.slice(i, i + 50);
    all.push(
      ...(await paginate(async (NextToken) => {
        const out = await autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds, NextToken }));
        return { items: out.ScalableTargets, next: out.NextToken };
      })),
    );
  }
  return all.filter((t) => t.ResourceId !== undefined && resourceIds.includes(t.ResourceId));
}

async function readScalingPolicies(autoscaling: ApplicationAutoScalingClient, resourceIds: readonly string[]): Promise<ScalingPolicy[]> {
  const lists = await Promise.all(
    resourceIds.map((ResourceId) =>
      paginate(async (NextToken) => {
        const out = await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId, NextToken }));
        return { items: out.ScalingPolicies, next: out.NextToken };
      }),
    ),
  );
  return lists.flat().filter((p) => p.ResourceId !== undefined && resourceIds.includes(p.ResourceId));
}

/** A replica in its region: the table there and the key it is encrypted with. */
async function readReplica(clients: AwsClients, region: string, tableName: string, primary: Read<TableDescription>): Promise<LiveReplica> {
  const table = await read(async () => (await clients.dynamodbIn(region).send(new DescribeTableCommand({ TableName: tableName }))).Table ?? {});
  const declared = primary.ok ? (primary.value.Replicas ?? []).find((r) => r.RegionName === region)?.KMSMasterKeyId : undefined;
  const keyId = (table.ok ? table.value.SSEDescription?.KMSMasterKeyArn : undefined) ?? declared;
  const key = await read(() => {
    if (!keyId) throw new Error(`replica ${tableName} in ${region} reports no KMS key`);
    return readKey(clients.kmsIn(region), keyId);
  });
  return { region, table, key };
}

async function readTrail(clients: AwsClients, nameOrArn: string) {
  const trails = (await clients.cloudtrail.send(new DescribeTrailsCommand({ trailNameList: [nameOrArn], includeShadowTrails: true }))).trailList ?? [];
  // The trail asked for, by ARN or name, not merely the first one listed.
  const trail = trails.find((t) => t.TrailARN === nameOrArn || t.Name === nameOrArn || (t.TrailARN !== undefined && nameOrArn === t.TrailARN.split(':trail/')[1]));
  if (!trail) throw Object.assign(new Error(`trail ${nameOrArn} not found`), { name: 'TrailNotFoundException' });
  const [status, selectors] = await Promise.all([
    clients.cloudtrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? nameOrArn })),
    clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN ?? nameOrArn })),
  ]);
  return { trail, logging: status.IsLogging === true, selectors };
}

/** `fn`'s answer, or undefined when S3 says the bucket has no such configuration (`NoSuch…`, `…NotFoundError`). */
async function orUndefined<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (/NoSuch|NotFound/.test((e as Error).name)) return undefined;
    throw e;
  }
}

async function readBucket(clients: AwsClients, bucket: string): Promise<LiveBucket> {
  const [pab, status, versioning, policy] = await Promise.all([
    orUndefined(() => clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
    orUndefined(() => clients.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))),
    clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    orUndefined(() => clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
  ]);
  return {
    publicAccessBlock: pab?.PublicAccessBlockConfiguration,
    isPublic: status?.PolicyStatus?.IsPublic === true,
    versioning: versioning.Status === 'Enabled',
    policy: policy?.Policy,
  };
}

async function readEvidenceBucket(clients: AwsClients, bucket: string): Promise<LiveEvidenceBucket> {
  const [access, lock, encryption] = await Promise.all([
    readBucket(clients, bucket),
    orUndefined(() => clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))),
    orUndefined(() => clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
  ]);
  const retention = lock?.ObjectLockConfiguration?.Rule?.DefaultRetention;
  const days = retention?.Days ?? (retention?.Years !== undefined ? retention.Years * 365 : undefined);
  const sse = encryption?.ServerSideEncryptionConfiguration?.Rules?.find((r) => r.ApplyServerSideEncryptionByDefault)?.ApplyServerSideEncryptionByDefault;
  return {
    ...access,
    objectLock: {
      enabled: lock?.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled',
      ...(retention?.Mode ? { mode: retention.Mode } : {}),
      ...(days !== undefined ? { days } : {}),
    },
    ...(sse?.SSEAlgorithm ? { sseAlgorithm: sse.SSEAlgorithm } : {}),
    ...(sse?.KMSMasterKeyID ? { sseKmsKeyId: sse.KMSMasterKeyID } : {}),
  };
}

/** The output carrying each contract role's ARN. */
const ROLE_OUTPUTS: Record<keyof Contract['roles'], OutputKey> = {
  backup: 'backupRoleArn',
  restoreDrill: 'drillRoleArn',
  appReader: 'appReaderRoleArn',
  appWriter: 'appWriterRoleArn',
  auditor: 'auditorRoleArn',
};

async function readRole(clients: AwsClients, contractName: keyof Contract['roles'], declared: ContractRole, outputs: StackOutputs): Promise<LiveRole> {
  const arn = outputs[ROLE_OUTPUTS[contractName]];
  const roleName = arn ? arn.split('/').pop()! : declared.name;
  const role = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  const names = await paginate(async (Marker) => {
    const out = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker }));
    return { items: out.PolicyNames, next: out.IsTruncated ? out.Marker : undefined };
  });
  const attached = await paginate(async (Marker) => {
    const out = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker }));
    return { items: out.AttachedPolicies, next: out.IsTruncated ? out.Marker : undefined };
  });
  const inlinePolicies: Record<string, string> = {};
  for (const name of names) {
    const doc = (await clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument ?? '';
    inlinePolicies[name] = decodeURIComponentSafe(doc);
  }
  return { contractName, declared, arn, role, inlinePolicies, managedPolicyArns: attached.map((p) => p.PolicyArn ?? '') };
}

/** IAM returns policy documents URL-encoded. */
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
