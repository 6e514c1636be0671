/** Small builders of compliant facts; each test overrides only what it is about. */
import type {
  BucketFact, FactSet, KeyFact, PlanFact, PlanRuleFact, PolicyStatement, Requirements, RoleFact, SelectionFact, TableFact, TrailFact, VaultFact,
} from '../../../compliance/facts/types';
import { DEFAULT_REQUIREMENTS } from '../../../compliance/facts/types';

export const table = (o: Partial<TableFact> = {}): TableFact => ({
  kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders', refs: ['orders'], tags: { owner: 'data' },
  pitrEnabled: true, sse: { keyType: 'CUSTOMER_MANAGED', kmsKeyRef: '${aws_kms_key.data.arn}' }, deletionProtection: true,
  billingMode: 'PAY_PER_REQUEST', autoscaling: { read: false, write: false, indexesWithout: [] }, replicaRegions: [], ...o,
});

export const statement = (o: Partial<PolicyStatement> = {}): PolicyStatement => ({
  effect: 'Allow', principals: [], actions: ['dynamodb:GetItem'], resources: ['${aws_dynamodb_table.orders.arn}'], conditionKeys: [], ...o,
});

export const key = (o: Partial<KeyFact> = {}): KeyFact => ({
  kind: 'key', id: 'aws_kms_key.data', name: 'alias/data', refs: ['alias/data'], tags: {}, rotationEnabled: true, enabled: true,
  policy: [{ sid: 'Root', effect: 'Allow', principals: ['AWS:arn:aws:iam::111122223333:root'], actions: ['kms:*'], resources: ['*'], hasCondition: false, conditionKeys: [] }],
  ...o,
});

export const denyDeletion = statement({ sid: 'DenyDelete', effect: 'Deny', principals: ['AWS:*'], actions: ['backup:DeleteRecoveryPoint'], resources: ['*'] });

export const vault = (o: Partial<VaultFact> = {}): VaultFact => ({
  kind: 'vault', id: 'aws_backup_vault.main', name: 'main', refs: ['main'], tags: {}, region: 'us-east-1',
  kmsKeyRef: '${aws_kms_key.data.arn}', kmsKeyType: 'CUSTOMER_MANAGED', accessPolicy: [denyDeletion], isDrVault: false, ...o,
});

export const planRule = (o: Partial<PlanRuleFact> = {}): PlanRuleFact => ({
  name: 'daily', schedule: 'cron(0 5 ? * * *)', targetVaultRef: 'main', deleteAfterDays: 35, continuousBackup: false, copyActions: [], ...o,
});

export const plan = (o: Partial<PlanFact> = {}): PlanFact => ({
  kind: 'plan', id: 'aws_backup_plan.daily', name: 'daily', refs: ['daily'], tags: {}, rules: [planRule()], ...o,
});

export const selection = (o: Partial<SelectionFact> = {}): SelectionFact => ({
  kind: 'selection', id: 'aws_backup_selection.orders', name: 'orders-selection', refs: [], tags: {}, planRef: '${aws_backup_plan.daily.id}',
  resources: ['${aws_dynamodb_table.orders.arn}'], notResources: [], tagConditions: [], ...o,
});

export const trail = (o: Partial<TrailFact> = {}): TrailFact => ({
  kind: 'trail', id: 'aws_cloudtrail.audit', name: 'audit', refs: ['audit'], tags: {}, multiRegion: true, logFileValidation: true,
  kmsKeyRef: '${aws_kms_key.data.arn}', bucketRef: 'audit-logs', managementEvents: true, dynamoDbDataEventTables: ['${aws_dynamodb_table.orders.arn}'], ...o,
});

export const tlsOnlyStatement = statement({
  sid: 'TlsOnly', effect: 'Deny', principals: ['*'], actions: ['s3:*'], resources: ['arn:aws:s3:::audit-logs/*'],
  conditionKeys: ['aws:SecureTransport'], condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

export const bucket = (o: Partial<BucketFact> = {}): BucketFact => ({
  kind: 'bucket', id: 'aws_s3_bucket.audit', name: 'audit-logs', refs: ['audit-logs'], tags: {},
  publicAccessBlocked: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  versioning: true, tlsOnly: true, policy: [tlsOnlyStatement], ...o,
});

export const role = (o: Partial<RoleFact> = {}): RoleFact => ({
  kind: 'role', id: 'aws_iam_role.reader', name: 'reader', refs: ['reader'], tags: {},
  statements: [{ ...statement(), policyName: 'read' }], managedPolicyArns: [], trustedServices: [], ...o,
});

export const requirements = (o: Partial<Requirements> = {}): Requirements => ({ ...DEFAULT_REQUIREMENTS, ...o });

type FactLists = Partial<Omit<FactSet, 'source' | 'scope' | 'requirements'>> & { requirements?: Partial<Requirements> };

export const factSet = (o: FactLists = {}): FactSet => ({
  source: 'terraform', scope: 'test', tables: [], keys: [], vaults: [], plans: [], selections: [], trails: [], buckets: [], roles: [],
  ...o,
  requirements: requirements(o.requirements),
});
