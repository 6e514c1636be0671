/**
 * Live facts: the snapshot verify read from the AWS APIs (checks/live-state.ts) normalized into the
 * same FactSet the rules see at synth, so one rule set judges both moments. Values the APIs did not
 * return (a read failed) leave the fact out; the contract checks report the failed read itself.
 */
import type { Contract } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import type { DescribeBackupVaultCommandOutput } from '@aws-sdk/client-backup';
import type { LiveBucket, LiveKey, LiveState, Read } from './live-state';
import { EVIDENCE_PURPOSE, EVIDENCE_PURPOSE_TAG } from './evidence-purpose';
import { statementsFromJson, toKeyPolicyStatement } from './policy';
import type { BucketFact, FactSet, KeyFact, KeyType, PlanFact, RoleFact, SelectionFact, TableFact, TrailFact, VaultFact } from './types';
import { deniesInsecureTransport } from './policy';
import { requirementsFromContract } from './requirements';

/** `{ unknown: [...] }` naming the fields flagged true, or nothing when all are known. */
function unknownOf(flags: Record<string, boolean>): { unknown?: string[] } {
  const unknown = Object.keys(flags).filter((k) => flags[k]);
  return unknown.length ? { unknown } : {};
}

/** One capacity dimension of one resource: `table/orders dynamodb:table:ReadCapacityUnits`. */
const dimensionKey = (resourceId: string | undefined, dimension: string | undefined) => `${resourceId} ${dimension}`;

/**
 * Which capacity dimensions autoscale: a scalable target with at least one scaling policy, the
 * same pairing the Terraform facts use (aws_appautoscaling_target + aws_appautoscaling_policy).
 * undefined when the targets or the policies could not be read.
 */
function autoscaledDimensions(live: LiveState): Set<string> | undefined {
  if (!live.scalableTargets.ok || !live.scalingPolicies?.ok) return undefined;
  const targets = new Set(live.scalableTargets.value.map((t) => dimensionKey(t.ResourceId, t.ScalableDimension)));
  return new Set(live.scalingPolicies.value.map((p) => dimensionKey(p.ResourceId, p.ScalableDimension)).filter((k) => targets.has(k)));
}

/**
 * Who manages the key `arn`: from its metadata as read (KeyManager AWS = AWS managed). undefined
 * when its metadata could not be read. Without metadata at all (a snapshot that did not read it),
 * an `alias/aws/…` reference is AWS's and any other ARN the customer's.
 */
function keyTypeOf(live: LiveState, arn: string, awsAlias: RegExp): KeyType | undefined {
  const read = live.keyMetadata?.[arn];
  if (read === undefined) return awsAlias.test(arn) ? 'AWS_MANAGED' : 'CUSTOMER_MANAGED';
  if (!read.ok) return undefined;
  return read.value.KeyManager === 'AWS' ? 'AWS_MANAGED' : 'CUSTOMER_MANAGED';
}

function keyFact(key: LiveKey, name: string, extraRefs: readonly (string | undefined)[] = []): KeyFact {
  const m = key.metadata;
  return {
    kind: 'key',
    id: m.Arn ?? m.KeyId ?? name,
    name,
    refs: [m.Arn, m.KeyId, ...(key.aliases ?? []), ...extraRefs].filter((x): x is string => Boolean(x)),
    tags: {},
    rotationEnabled: key.rotation,
    enabled: m.Enabled === true,
    keySpec: m.KeySpec,
    policy: statementsFromJson(key.policy)?.map(toKeyPolicyStatement),
  };
}

function vaultFact(
  contract: Contract,
  live: LiveState,
  vault: DescribeBackupVaultCommandOutput,
  policy: Read<string | undefined> | undefined,
  o: { readonly name: string; readonly arn?: string; readonly region: string; readonly isDrVault: boolean },
): VaultFact {
  const keyArn = vault.EncryptionKeyArn;
  const policyKnown = policy?.ok === true;
  // No key ARN: AWS Backup's default key, AWS managed.
  const keyType = keyArn ? keyTypeOf(live, keyArn, /alias\/aws\/backup$/) : 'AWS_MANAGED';
  const unknown = [...(policyKnown ? [] : ['accessPolicy']), ...(keyType ? [] : ['kmsKeyType'])];
  return {
    kind: 'vault',
    id: vault.BackupVaultArn ?? o.arn ?? o.name,
    name: vault.BackupVaultName ?? o.name,
    refs: [vault.BackupVaultArn, vault.BackupVaultName].filter((x): x is string => Boolean(x)),
    tags: {},
    region: o.region,
    kmsKeyRef: keyArn,
    kmsKeyType: keyType ?? 'CUSTOMER_MANAGED',
    accessPolicy: policy?.ok ? statementsFromJson(policy.value) : undefined,
    lock: vault.Locked ? { minRetentionDays: vault.MinRetentionDays, maxRetentionDays: vault.MaxRetentionDays, ...(contract.backup.lock?.mode === 'compliance' ? { changeableForDays: contract.backup.lock.changeableForDays ?? 3 } : {}) } : undefined,
    isDrVault: o.isDrVault,
    // What could not be read is not known; the contract checks report the failed reads.
    ...(unknown.length ? { unknown } : {}),
  };
}

export function factsFromAws(contract: Contract, outputs: StackOutputs, live: LiveState): FactSet {
  const tables: TableFact[] = [];
  if (live.table.ok) {
    const t = live.table.value;
    const autoscaled = autoscaledDimensions(live);
    const has = (resource: string, dim: string) => autoscaled?.has(dimensionKey(resource, dim)) === true;
    const tableRes = `table/${t.TableName}`;
    const sseOn = t.SSEDescription?.Status === 'ENABLED' || t.SSEDescription?.Status === 'UPDATING';
    const kmsArn = t.SSEDescription?.KMSMasterKeyArn;
    const sseKeyType = sseOn && kmsArn ? keyTypeOf(live, kmsArn, /alias\/aws\/dynamodb$/) : 'AWS_OWNED';
    const billingMode = t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
    tables.push({
      kind: 'table',
      id: t.TableArn ?? outputs.tableArn ?? contract.table.name,
      name: t.TableName ?? contract.table.name,
      refs: [t.TableArn, t.TableName].filter((x): x is string => Boolean(x)),
      tags: live.tags.ok ? live.tags.value : {},
      pitrEnabled: live.pitr.ok && live.pitr.value?.PointInTimeRecoveryStatus === 'ENABLED',
      // DynamoDB reports the AWS managed key by its key ARN, so the key's own metadata says whose it is.
      sse: sseOn && kmsArn ? { keyType: sseKeyType ?? 'CUSTOMER_MANAGED', kmsKeyRef: kmsArn } : { keyType: 'AWS_OWNED' },
      deletionProtection: t.DeletionProtectionEnabled === true,
      billingMode,
      autoscaling: {
        read: has(tableRes, 'dynamodb:table:ReadCapacityUnits'),
        write: has(tableRes, 'dynamodb:table:WriteCapacityUnits'),
        indexesWithout: (t.GlobalSecondaryIndexes ?? [])
          .map((g) => g.IndexName ?? '')
          .filter((n) => !(has(`${tableRes}/index/${n}`, 'dynamodb:index:ReadCapacityUnits') && has(`${tableRes}/index/${n}`, 'dynamodb:index:WriteCapacityUnits'))),
      },
      replicaRegions: (t.Replicas ?? []).map((r) => r.RegionName ?? '').filter(Boolean),
      ...(unknownOf({ autoscaling: billingMode === 'PROVISIONED' && !autoscaled, sse: sseKeyType === undefined })),
    });
  }

  const keys: KeyFact[] = [];
  if (live.key.ok) keys.push(keyFact(live.key.value, outputs.keyAlias ?? contract.key.alias, [outputs.keyArn, outputs.keyAlias]));
  const drCopy = contract.backup.drCopy;
  if (drCopy && live.drKey?.ok) {
    const k = live.drKey.value;
    keys.push(keyFact(k, k.aliases?.[0] ?? k.metadata.Arn ?? outputs.drKeyArn ?? 'DR key', [outputs.drKeyArn]));
  }
  for (const r of live.replicas ?? []) {
    if (!r.key.ok) continue;
    const k = r.key.value;
    keys.push(keyFact(k, `${k.aliases?.[0] ?? k.metadata.Arn ?? 'replica key'} (${r.region})`));
  }

  const vaults: VaultFact[] = [];
  if (live.vault.ok) {
    vaults.push(vaultFact(contract, live, live.vault.value, live.vaultPolicy, { name: contract.backup.vaultName, arn: outputs.vaultArn, region: contract.region, isDrVault: false }));
  }
  if (drCopy && live.drVault?.ok) {
    vaults.push(vaultFact(contract, live, live.drVault.value, live.drVaultPolicy, { name: outputs.drVaultName ?? drCopy.vaultName, arn: outputs.drVaultArn, region: drCopy.region, isDrVault: true }));
  }

  const plans: PlanFact[] = [];
  if (live.plan.ok) {
    const p = live.plan.value;
    plans.push({
      kind: 'plan',
      id: p.BackupPlanArn ?? outputs.planArn ?? '',
      name: p.BackupPlan?.BackupPlanName ?? contract.backup.planName,
      refs: [p.BackupPlanArn, p.BackupPlanId].filter((x): x is string => Boolean(x)),
      tags: {},
      rules: (p.BackupPlan?.Rules ?? []).map((r) => ({
        name: r.RuleName ?? '',
        schedule: r.ScheduleExpression,
        targetVaultRef: r.TargetBackupVaultName ?? '',
        startWindowMinutes: r.StartWindowMinutes,
        completionWindowMinutes: r.CompletionWindowMinutes,
        deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
        coldStorageAfterDays: r.Lifecycle?.MoveToColdStorageAfterDays,
        continuousBackup: r.EnableContinuousBackup === true,
        copyActions: (r.CopyActions ?? []).map((c) => ({ destinationVaultRef: c.DestinationBackupVaultArn ?? '', deleteAfterDays: c.Lifecycle?.DeleteAfterDays, coldStorageAfterDays: c.Lifecycle?.MoveToColdStorageAfterDays })),
      })),
    });
  }

  const selections: SelectionFact[] = [];
  if (live.selection.ok) {
    const s = live.selection.value;
    selections.push({
      kind: 'selection',
      id: s.SelectionId ?? outputs.selectionId ?? '',
      name: s.BackupSelection?.SelectionName ?? contract.backup.selectionName,
      refs: [s.SelectionId].filter((x): x is string => Boolean(x)),
      tags: {},
      planRef: s.BackupPlanId ?? outputs.planId ?? '',
      resources: s.BackupSelection?.Resources ?? [],
      notResources: s.BackupSelection?.NotResources ?? [],
      tagConditions: (s.BackupSelection?.ListOfTags ?? []).map((t) => ({ key: t.ConditionKey ?? '', value: t.ConditionValue ?? '' })),
    });
  }

  const trails: TrailFact[] = [];
  if (live.trail?.ok) {
    const { trail, logging, selectors } = live.trail.value;
    const tablesFromBasic = (selectors.EventSelectors ?? []).flatMap((e) => (e.DataResources ?? []).filter((r) => r.Type === 'AWS::DynamoDB::Table').flatMap((r) => r.Values ?? []));
    const tablesFromAdvanced = (selectors.AdvancedEventSelectors ?? []).flatMap((a) => {
      const f = a.FieldSelectors ?? [];
      if (!f.some((x) => x.Field === 'resources.type' && x.Equals?.includes('AWS::DynamoDB::Table'))) return [];
      const arn = f.find((x) => x.Field === 'resources.ARN');
      return arn ? [...(arn.Equals ?? []), ...(arn.StartsWith ?? [])] : ['*'];
    });
    trails.push({
      kind: 'trail',
      id: trail.TrailARN ?? '',
      name: trail.Name ?? '',
      refs: [trail.TrailARN, trail.Name].filter((x): x is string => Boolean(x)),
      tags: {},
      multiRegion: trail.IsMultiRegionTrail === true,
      logFileValidation: trail.LogFileValidationEnabled === true,
      kmsKeyRef: trail.KmsKeyId,
      logging,
      bucketRef: trail.S3BucketName ?? '',
      managementEvents: (selectors.EventSelectors ?? []).some((e) => e.IncludeManagementEvents !== false) || (selectors.AdvancedEventSelectors ?? []).some((a) => (a.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Management'))),
      dynamoDbDataEventTables: [...tablesFromBasic, ...tablesFromAdvanced],
    });
  }

  const buckets: BucketFact[] = [];
  if (live.bucket?.ok && outputs.trailBucket) buckets.push(bucketFact(outputs.trailBucket, live.bucket.value));
  if (live.evidenceBucket?.ok && outputs.evidenceBucket) {
    const b = live.evidenceBucket.value;
    // The default encryption names a customer-managed key unless it names none or AWS's own (alias/aws/s3).
    const customerKey = b.sseAlgorithm?.startsWith('aws:kms') && b.sseKmsKeyId && !b.sseKmsKeyId.includes('alias/aws/') ? b.sseKmsKeyId : undefined;
    buckets.push({
      ...bucketFact(outputs.evidenceBucket, b),
      // The stack names it its evidence store (output evidence_bucket_name): the evidence rules hold it, whatever its tags say.
      tags: { [EVIDENCE_PURPOSE_TAG]: EVIDENCE_PURPOSE },
      objectLock: b.objectLock,
      ...(customerKey ? { sseKmsKeyRef: customerKey } : {}),
    });
  }

  const KINDS = { backup: 'backup', restoreDrill: 'restore-drill', appReader: 'app-reader', appWriter: 'app-writer', auditor: 'auditor' } as const;
  const roles: RoleFact[] = live.roles.flatMap((r) => {
    if (!r.ok) return [];
    const role = r.value;
    const iam = role.role;
    if (!iam) return [];
    const trust = statementsFromJson(decodeURIComponent(iam.AssumeRolePolicyDocument ?? '')) ?? [];
    return [
      {
        kind: 'role' as const,
        id: iam.Arn ?? role.arn ?? '',
        name: iam.RoleName ?? role.declared.name,
        refs: [iam.Arn, iam.RoleName].filter((x): x is string => Boolean(x)),
        tags: Object.fromEntries((iam.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        statements: Object.entries(role.inlinePolicies).flatMap(([policyName, doc]) => (statementsFromJson(doc) ?? []).map((s) => ({ ...s, policyName }))),
        managedPolicyArns: role.managedPolicyArns,
        trustedServices: trust.flatMap((s) => s.principals.filter((p) => p.startsWith('Service:')).map((p) => p.slice('Service:'.length))),
        roleKind: KINDS[role.contractName],
      },
    ];
  });

  return { source: 'aws', scope: `${contract.stack} (${contract.region})`, tables, keys, vaults, plans, selections, trails, buckets, roles, requirements: requirementsFromContract(contract) };
}

/** A bucket's access facts as verify reads them live. */
function bucketFact(name: string, b: LiveBucket): BucketFact {
  const pab = b.publicAccessBlock ?? {};
  const policy = statementsFromJson(b.policy);
  return {
    kind: 'bucket',
    id: `arn:aws:s3:::${name}`,
    name,
    refs: [name, `arn:aws:s3:::${name}`],
    tags: {},
    publicAccessBlocked: { blockPublicAcls: pab.BlockPublicAcls === true, blockPublicPolicy: pab.BlockPublicPolicy === true, ignorePublicAcls: pab.IgnorePublicAcls === true, restrictPublicBuckets: pab.RestrictPublicBuckets === true },
    versioning: b.versioning,
    tlsOnly: policy ? deniesInsecureTransport(policy) : false,
    policy,
  };
}
