/** Contract diffs of the key, the audit trail + bucket, and the IAM roles. */
import type { Contract } from '../../core/contract';
import { statementsFromJson } from '../../compliance/facts/policy';
import type { StackOutputs } from '../../core/outputs';
import { check, CheckResult, Diff, difference, fromDiff, readFailure } from './check';
import type { LiveKey, LiveState, Read } from '../../compliance/facts/live-state';

/** Allow statements with a `*` principal and no condition: anyone may use the key. */
export function publicAllowStatements(policy: string | undefined): string[] {
  const statements = statementsFromJson(policy ?? '') ?? [];
  return statements
    .filter((s) => s.effect === 'Allow' && s.principals.some((p) => p === '*' || p === 'AWS:*') && s.conditionKeys.length === 0)
    .map((s) => s.sid ?? `(statement allowing ${s.actions.join(',')})`);
}

/** One key as the contract declares every key of the stack: enabled, customer-managed, rotating, no public principal. */
function keyCheck(id: string, title: string, contract: Contract, key: Read<LiveKey>, label: string): CheckResult {
  if (!key.ok) return readFailure(id, title, label, key.error);
  const { metadata, rotation, policy } = key.value;
  const d = new Diff()
    .eq('key.enabled', true, metadata.Enabled === true)
    .eq('key.keyState', 'Enabled', metadata.KeyState)
    .eq('key.keyManager', 'CUSTOMER', metadata.KeyManager)
    .eq('key.rotation', contract.key.rotation, rotation);
  const open = publicAllowStatements(policy);
  if (policy === undefined) d.add(difference('key.policy', 'a key policy', undefined));
  if (open.length) d.add(difference('key.policy', 'no unconditioned Principal "*"', `Principal "*" in ${open.join(', ')}`));
  return fromDiff(id, title, d, `key ${metadata.KeyId} enabled, rotation on, policy has no public principal`, [`key ${metadata.Arn ?? label}`]);
}

export function keyChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  const results = [keyCheck('KEY', 'KMS key enabled, rotating, policy without public principal', contract, live.key, `key ${outputs.keyArn}`)];
  const dr = contract.backup.drCopy;
  if (dr && live.drKey) results.push(keyCheck('KEY-DR', `DR KMS key (${dr.region}) enabled, rotating, policy without public principal`, contract, live.drKey, `DR key ${outputs.drKeyArn ?? '(no output)'} in ${dr.region}`));
  for (const r of live.replicas ?? []) {
    results.push(keyCheck(`KEY-REPLICA-${r.region}`, `Replica KMS key (${r.region}) enabled, rotating, policy without public principal`, contract, r.key, `replica key in ${r.region}`));
  }
  return results;
}

export function trailChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  const declared = contract.trail;
  if (!declared || !live.trail) return [check('TRAIL', 'CloudTrail audit trail', 'contract', { status: 'skip', message: 'no trail declared in the contract' })];
  const title = 'Trail logging, multi-region, validated, KMS-encrypted, with DynamoDB data events';
  const results: CheckResult[] = [];
  if (!live.trail.ok) results.push(readFailure('TRAIL', title, `trail ${outputs.trailName ?? declared.name}`, live.trail.error));
  else {
    const { trail, logging, selectors } = live.trail.value;
    const d = new Diff()
      .eq('trail.logging', true, logging)
      .eq('trail.multiRegion', declared.multiRegion, trail.IsMultiRegionTrail === true)
      .eq('trail.logFileValidation', declared.logFileValidation, trail.LogFileValidationEnabled === true);
    if (declared.kmsEncrypted && !trail.KmsKeyId) d.add(difference('trail.kmsKeyId', 'a KMS key', undefined));
    if (declared.dynamoDbDataEvents) {
      const tableArn = outputs.tableArn ?? '';
      if (!selectsTableDataEvents(selectors, tableArn)) d.add(difference('trail.dataEvents', `AWS::DynamoDB::Table ${tableArn}`, 'not selected'));
    }
    results.push(fromDiff('TRAIL', title, d, `trail ${trail.Name} logging, multi-region ${trail.IsMultiRegionTrail}, validation on`, [`trail ${trail.TrailARN}`]));
  }
  if (live.bucket) {
    const btitle = 'Trail bucket is not public';
    if (!live.bucket.ok) results.push(readFailure('TRAIL-BUCKET', btitle, `bucket ${outputs.trailBucket}`, live.bucket.error));
    else {
      const b = live.bucket.value;
      const pab = b.publicAccessBlock ?? {};
      const d = new Diff()
        .eq('bucket.blockPublicAcls', true, pab.BlockPublicAcls === true)
        .eq('bucket.blockPublicPolicy', true, pab.BlockPublicPolicy === true)
        .eq('bucket.ignorePublicAcls', true, pab.IgnorePublicAcls === true)
        .eq('bucket.restrictPublicBuckets', true, pab.RestrictPublicBuckets === true)
        .eq('bucket.policyIsPublic', false, b.isPublic);
      results.push(fromDiff('TRAIL-BUCKET', btitle, d, `bucket ${outputs.trailBucket} blocks public access`, [`bucket ${outputs.trailBucket}`]));
    }
  }
  return results;
}

/**
 * The evidence bucket as the stack declares it: write-once (Object Lock in the declared mode, for at
 * least the declared days) and versioned. The evidence rules (TS-S3-004 to 008) judge the rest.
 */
export function evidenceBucketChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  if (!live.evidenceBucket) return [];
  const title = 'Evidence bucket is write-once as declared';
  const what = `bucket ${outputs.evidenceBucket}`;
  if (!live.evidenceBucket.ok) return [readFailure('EVIDENCE-BUCKET', title, what, live.evidenceBucket.error)];
  const { objectLock, versioning } = live.evidenceBucket.value;
  const d = new Diff().eq('evidence.objectLock', true, objectLock.enabled).eq('evidence.versioning', true, versioning);
  const declared = contract.evidence;
  if (declared) {
    d.eq('evidence.lockMode', declared.lockMode, objectLock.mode);
    if ((objectLock.days ?? 0) < declared.retentionDays) d.add(difference('evidence.retentionDays', `at least ${declared.retentionDays}`, objectLock.days));
  }
  return [fromDiff('EVIDENCE-BUCKET', title, d, `${what}: Object Lock ${objectLock.mode} for ${objectLock.days} days, versioned`, [what])];
}

type Selectors = { EventSelectors?: { DataResources?: { Type?: string; Values?: string[] }[] }[]; AdvancedEventSelectors?: { FieldSelectors?: { Field?: string; Equals?: string[]; StartsWith?: string[] }[] }[] };

/**
 * Whether basic or advanced event selectors log data events of `tableArn` (or all tables). A basic
 * selector's value selects every table whose ARN it prefixes, the table's own ARN included.
 */
export function selectsTableDataEvents(s: Selectors, tableArn: string): boolean {
  const basic = (s.EventSelectors ?? []).some((e) =>
    (e.DataResources ?? []).some((r) => r.Type === 'AWS::DynamoDB::Table' && (r.Values ?? []).some((v) => /^arn:[^:]+:dynamodb(:::|:[^:]*:[^:]*:)?table\/?$/.test(v) || tableArn.startsWith(v))),
  );
  const advanced = (s.AdvancedEventSelectors ?? []).some((a) => {
    const fields = a.FieldSelectors ?? [];
    const type = fields.find((f) => f.Field === 'resources.type');
    if (!type?.Equals?.includes('AWS::DynamoDB::Table')) return false;
    const arn = fields.find((f) => f.Field === 'resources.ARN');
    return !arn || (arn.Equals ?? []).includes(tableArn) || (arn.StartsWith ?? []).some((p) => tableArn.startsWith(p));
  });
  return basic || advanced;
}

/**
 * Managed policy ARNs compared without their partition: the contract may carry the partition as an
 * unresolved synth-time token (`arn:${TfToken[…]}:iam::aws:policy/…`), AWS returns `aws`, `aws-cn`, ….
 */
export function withoutPartition(arn: string): string {
  return arn.replace(/^arn:[^:]*:/, 'arn:*:');
}

export function roleChecks(live: LiveState): CheckResult[] {
  return live.roles.map((r, i) => {
    if (!r.ok) return readFailure(`IAM-ROLE-${i}`, 'Role exists with exactly the declared policies, no * actions', 'role', r.error);
    const role = r.value;
    const id = `IAM-ROLE-${role.contractName}`;
    const title = `Role ${role.declared.name} has exactly the declared policies, no * actions`;
    const d = new Diff()
      .eq(`roles.${role.contractName}.inlinePolicies`, [...role.declared.inlinePolicies].sort(), Object.keys(role.inlinePolicies).sort())
      .eq(`roles.${role.contractName}.managedPolicyArns`, role.declared.managedPolicyArns.map(withoutPartition).sort(), role.managedPolicyArns.map(withoutPartition).sort());
    for (const [name, doc] of Object.entries(role.inlinePolicies)) {
      for (const s of statementsFromJson(doc) ?? []) {
        const wild = s.effect === 'Allow' ? s.actions.filter((a) => a === '*' || a.endsWith(':*')) : [];
        if (wild.length) d.add(difference(`roles.${role.contractName}.${name}.actions`, 'no * actions', wild.join(', ')));
      }
    }
    return fromDiff(id, title, d, `${role.declared.name}: ${Object.keys(role.inlinePolicies).length} inline + ${role.managedPolicyArns.length} managed policies as declared`, [`role ${role.role?.Arn ?? role.arn}`]);
  });
}
