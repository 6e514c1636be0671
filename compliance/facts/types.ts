/**
 * Normalized facts: what the compliance rules look at. Two producers fill them —
 * `from-terraform.ts` (synthesized Terraform JSON, at synth or `tablesafe check`) and
 * `from-aws.ts` (SDK v3 describe calls after apply) — and a rule never knows which one did.
 *
 * Conventions:
 * - `id` identifies the resource in findings: the Terraform address (`aws_dynamodb_table.orders`)
 *   or construct path at synth, the ARN (or name where AWS has no ARN) live.
 * - `refs` are other names the resource may be referred to by (ARN, name, Terraform expression
 *   such as `${aws_kms_key.k.arn}`), so cross-resource rules can match either source.
 * - A value that a source cannot know is `undefined` (e.g. an ARN at synth); rules treat
 *   `undefined` as "not known", never as "off".
 * - A setting the source cannot determine (`${var.enabled}` at synth, a value known only after
 *   apply in a plan) is listed in `unknown`, with the expression in `unknownExpressions`; rules
 *   judge it `unknown` (never compliant, never a violation).
 * - References to other resources are exact: `${aws_kms_key.k.arn}`, `${aws_s3_bucket.logs[0].id}`
 *   (canonical text of a parsed reference), never a prefix of another address.
 */
import type { CapabilityMatrix } from '../iam/matrix';

export type FactSource = 'terraform' | 'aws';

export interface FactBase {
  readonly id: string;
  /** Human name (table name, key alias, vault name, …). */
  readonly name: string;
  readonly refs: readonly string[];
  /** Construct path at synth (for suppressions and messages); undefined live. */
  readonly path?: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Fields the source could not determine (e.g. a `${var.x}` expression at synth, an AccessDenied
   * live). A rule that needs one of them returns not-applicable saying so, never a guess.
   * @default [] (everything known)
   */
  readonly unknown?: readonly string[];
  /**
   * For each field in `unknown`, what the input says instead of a value, for messages:
   * `point_in_time_recovery.enabled = var.pitr`.
   * @default none
   */
  readonly unknownExpressions?: Readonly<Record<string, string>>;
  /** The region the resource lives in, when the source states it. @default unknown */
  readonly region?: string;
}

export type KeyType = 'AWS_OWNED' | 'AWS_MANAGED' | 'CUSTOMER_MANAGED';

export interface TableFact extends FactBase {
  readonly kind: 'table';
  readonly pitrEnabled: boolean;
  readonly sse: { readonly keyType: KeyType; readonly kmsKeyRef?: string };
  readonly deletionProtection: boolean;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** For provisioned tables: whether read/write capacity of the table (and each GSI) has an autoscaling target + policy. */
  readonly autoscaling: {
    readonly read: boolean;
    readonly write: boolean;
    /** GSI names lacking read or write autoscaling. */
    readonly indexesWithout: readonly string[];
  };
  readonly replicaRegions: readonly string[];
}

export interface KeyPolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Principals flattened to strings: `*`, `AWS:arn:...`, `Service:backup.amazonaws.com`. */
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources: readonly string[];
  readonly hasCondition: boolean;
  readonly conditionKeys: readonly string[];
  /** Allow/Deny to everyone but these (`NotPrincipal`). @default none */
  readonly notPrincipals?: readonly string[];
  /** Fields with a value not known from the source (`principals`, `actions`, `effect`, …). @default none */
  readonly unknown?: readonly string[];
}

export interface KeyFact extends FactBase {
  readonly kind: 'key';
  readonly rotationEnabled: boolean;
  readonly enabled: boolean;
  /** `SYMMETRIC_DEFAULT`, `RSA_2048`, …; rotation applies to symmetric keys only. @default SYMMETRIC_DEFAULT when undefined */
  readonly keySpec?: string;
  /** undefined when the policy is not known (e.g. an unresolvable reference at synth). */
  readonly policy?: readonly KeyPolicyStatement[];
}

export interface VaultFact extends FactBase {
  readonly kind: 'vault';
  readonly region?: string;
  /** Key reference (ARN or Terraform expression); undefined = AWS Backup's default key. */
  readonly kmsKeyRef?: string;
  readonly kmsKeyType: KeyType;
  readonly accessPolicy?: readonly PolicyStatement[];
  readonly lock?: {
    readonly minRetentionDays?: number;
    readonly maxRetentionDays?: number;
    /** Compliance mode when set; governance otherwise. */
    readonly changeableForDays?: number;
  };
  /** Whether this vault is a DR copy destination (in another region than the primary). */
  readonly isDrVault: boolean;
}

export interface PlanRuleFact {
  readonly name: string;
  readonly schedule?: string;
  readonly targetVaultRef: string;
  readonly startWindowMinutes?: number;
  readonly completionWindowMinutes?: number;
  readonly deleteAfterDays?: number;
  readonly coldStorageAfterDays?: number;
  readonly continuousBackup: boolean;
  readonly copyActions: readonly { readonly destinationVaultRef: string; readonly deleteAfterDays?: number; readonly coldStorageAfterDays?: number }[];
}

export interface PlanFact extends FactBase {
  readonly kind: 'plan';
  readonly rules: readonly PlanRuleFact[];
}

export interface SelectionFact extends FactBase {
  readonly kind: 'selection';
  readonly planRef: string;
  /** Resource ARNs or references (wildcards allowed as in AWS). */
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Tag conditions: the resource is selected when it has tag key = value. */
  readonly tagConditions: readonly { readonly key: string; readonly value: string }[];
}

export interface TrailFact extends FactBase {
  readonly kind: 'trail';
  readonly multiRegion: boolean;
  readonly logFileValidation: boolean;
  readonly kmsKeyRef?: string;
  /** Live only: IsLogging; undefined at synth (CloudTrail starts logging on create). */
  readonly logging?: boolean;
  readonly bucketRef: string;
  readonly managementEvents: boolean;
  /** Table references (ARNs / prefixes / expressions) whose data events are selected; `*` = all tables. */
  readonly dynamoDbDataEventTables: readonly string[];
}

export interface BucketFact extends FactBase {
  readonly kind: 'bucket';
  readonly publicAccessBlocked: {
    readonly blockPublicAcls: boolean;
    readonly blockPublicPolicy: boolean;
    readonly ignorePublicAcls: boolean;
    readonly restrictPublicBuckets: boolean;
  };
  readonly versioning: boolean;
  readonly tlsOnly: boolean;
  readonly sseKmsKeyRef?: string;
  readonly policy?: readonly PolicyStatement[];
  /**
   * S3 Object Lock: whether the bucket has it, and its default retention when one is set.
   * @default unknown to the source (live facts read it for the evidence bucket only)
   */
  readonly objectLock?: {
    readonly enabled: boolean;
    /** `GOVERNANCE` or `COMPLIANCE`. @default no default retention */
    readonly mode?: string;
    /** Default retention in days (years are counted as 365 days). @default no default retention */
    readonly days?: number;
  };
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditionKeys: readonly string[];
  /** Raw condition block, for rules that need the values (e.g. `aws:SecureTransport`). */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Allow/Deny to everyone but these (`NotPrincipal`). @default none */
  readonly notPrincipals?: readonly string[];
  /**
   * Fields with a value not known from the source (`principals`, `actions`, `effect`,
   * `condition`, …): a rule that needs one of them judges the statement unknown.
   * @default none
   */
  readonly unknown?: readonly string[];
}

export interface RoleFact extends FactBase {
  readonly kind: 'role';
  /** Statements of every inline and customer-managed policy attached (AWS managed policies listed by ARN only). */
  readonly statements: readonly (PolicyStatement & { readonly policyName: string })[];
  readonly managedPolicyArns: readonly string[];
  readonly trustedServices: readonly string[];
  /** The tablesafe role kind when known (tag `tablesafe:role`). */
  readonly roleKind?: 'app-reader' | 'app-writer' | 'backup' | 'restore-drill' | 'auditor';
}

/**
 * A change a Terraform plan makes to a resource whose loss loses data or recovery points (a
 * DynamoDB table, a backup vault, a KMS key). Only plans have them.
 */
export interface ChangeFact extends FactBase {
  readonly kind: 'change';
  /** The Terraform resource type (`aws_dynamodb_table`). */
  readonly resourceType: string;
  /** Terraform's actions: `["create"]`, `["delete"]`, `["delete", "create"]` (replace), `["no-op"]`, … */
  readonly actions: readonly string[];
  /** Why Terraform replaces it (`action_reason`), when the plan says. @default none */
  readonly reason?: string;
  /** Attributes that force the replacement (`replace_paths`), as `a.b[0]`. @default none */
  readonly replacePaths?: readonly string[];
}

export type Fact = TableFact | KeyFact | VaultFact | PlanFact | SelectionFact | TrailFact | BucketFact | RoleFact | ChangeFact;
export type FactKind = Fact['kind'];

/** Everything known about one stack / account, grouped by kind. */
export interface FactSet {
  readonly source: FactSource;
  /** Stack name or account/region description. */
  readonly scope: string;
  readonly tables: readonly TableFact[];
  readonly keys: readonly KeyFact[];
  readonly vaults: readonly VaultFact[];
  readonly plans: readonly PlanFact[];
  readonly selections: readonly SelectionFact[];
  readonly trails: readonly TrailFact[];
  readonly buckets: readonly BucketFact[];
  readonly roles: readonly RoleFact[];
  /** Planned changes to tables, vaults and keys (plans only). @default none */
  readonly changes?: readonly ChangeFact[];
  /**
   * What the source skipped or could not read, in words (`module calls are not followed`,
   * `resource.aws_s3_bucket.x is a number, not a block: skipped`). @default none
   */
  readonly notes?: readonly string[];
  /** Environment requirements the rules hold facts against (`requirementsFromContract`, or given explicitly). */
  readonly requirements: Requirements;
  /**
   * The platform roles' capability matrix, simulated over the same input (TS-IAM-005 reads it).
   * @default none (the rule reports unknown)
   */
  readonly iamMatrix?: CapabilityMatrix;
}

export interface Requirements {
  /** The environment requires a vault lock. */
  readonly vaultLock: boolean;
  /** The environment requires a copy to a DR region. */
  readonly drCopy: boolean;
  /** Maximum allowed RPO in minutes (plan frequency must be at least this often). */
  readonly rpoMinutes: number;
  /** Minimum retention in days for recovery points. */
  readonly minRetentionDays: number;
  /** Tag keys every table must carry. */
  readonly requiredTags: readonly string[];
  /** Platform table names whose data events the trail must select. */
  readonly platformTables: readonly string[];
  /** The vault access policy must deny manual deletion of recovery points. */
  readonly denyManualDeletion: boolean;
  /**
   * The evidence bucket's declared Object Lock (buckets tagged `tablesafe:purpose = evidence`).
   * @default none: evidence buckets are held to Object Lock with any mode and retention
   */
  readonly evidence?: { readonly lockMode: string; readonly retentionDays: number };
}

export const DEFAULT_REQUIREMENTS: Requirements = {
  vaultLock: false,
  drCopy: false,
  rpoMinutes: 24 * 60,
  minRetentionDays: 7,
  requiredTags: [],
  platformTables: [],
  denyManualDeletion: true,
};

export function emptyFactSet(source: FactSource, scope: string, requirements: Requirements = DEFAULT_REQUIREMENTS): FactSet {
  return { source, scope, tables: [], keys: [], vaults: [], plans: [], selections: [], trails: [], buckets: [], roles: [], requirements };
}
