import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { BackupPlan as CfnBackupPlan, BackupPlanRule as CfnRule } from '@cdktf/provider-aws/lib/backup-plan';
import { check, checkPositiveInteger } from '../common/validation';
import { cronIntervalMinutes, validateCron } from '../../core/cron';
import { BackupVault } from './vault';

/** Where a rule copies its recovery points: a vault of this app, or any vault by ARN. */
export interface CopyDestination {
  /** A vault created in this app (typically in the DR region, through a provider for that region). */
  readonly vault?: BackupVault;
  /** Any vault's ARN, e.g. in another account. Ignored when `vault` is set. */
  readonly vaultArn?: string;
  /** Region of the destination (must differ from the source for a DR copy). */
  readonly region: string;
  /** @default the rule's deleteAfterDays */
  readonly deleteAfterDays?: number;
  /** @default the rule's moveToColdStorageAfterDays */
  readonly moveToColdStorageAfterDays?: number;
}

export interface BackupRuleProps {
  /** @default the preset's name (`hourly`, `daily`, …) */
  readonly ruleName?: string;
  /** Recovery points are deleted after this many days. */
  readonly deleteAfterDays: number;
  /** Move to cold storage after this many days; delete must then be ≥ cold + 90. @default never */
  readonly moveToColdStorageAfterDays?: number;
  /** Minutes after the scheduled time a job may start before it is cancelled (≥ 60). @default 60 */
  readonly startWindowMinutes?: number;
  /** Minutes a started job may run before it is cancelled. @default 180 */
  readonly completionWindowMinutes?: number;
  /**
   * Continuous backup (point-in-time restore through AWS Backup, retention ≤ 35 days) for the
   * resource types that support it. DynamoDB tables keep their own PITR (Table.pointInTimeRecovery).
   * @default false
   */
  readonly enableContinuousBackup?: boolean;
  /** @default no copies */
  readonly copyTo?: readonly CopyDestination[];
}

export interface BackupRuleSpec extends BackupRuleProps {
  readonly ruleName: string;
  /** AWS Backup cron expression: `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly schedule: string;
}

/** Rule presets, as aws-cdk-lib's `BackupPlanRule.daily()`. Times are UTC. */
export const BackupPlanRule = {
  hourly: (p: BackupRuleProps): BackupRuleSpec => ({ ...p, ruleName: p.ruleName ?? 'hourly', schedule: 'cron(0 * ? * * *)' }),
  daily: (p: BackupRuleProps): BackupRuleSpec => ({ ...p, ruleName: p.ruleName ?? 'daily', schedule: 'cron(0 5 ? * * *)' }),
  weekly: (p: BackupRuleProps): BackupRuleSpec => ({ ...p, ruleName: p.ruleName ?? 'weekly', schedule: 'cron(0 5 ? * SAT *)' }),
  monthly: (p: BackupRuleProps): BackupRuleSpec => ({ ...p, ruleName: p.ruleName ?? 'monthly', schedule: 'cron(0 5 1 * ? *)' }),
  custom: (p: BackupRuleProps & { ruleName: string; schedule: string }): BackupRuleSpec => ({ ...p }),
};

export interface BackupPlanProps {
  readonly planName: string;
  /** The vault every rule writes to. */
  readonly vault: BackupVault;
  readonly rules: readonly BackupRuleSpec[];
  /**
   * Tags AWS Backup puts on every recovery point the plan creates (and its copies), e.g. the
   * table's name, so IAM can tell the platform's AWS Backup-format recovery points from others.
   * @default none
   */
  readonly recoveryPointTags?: Readonly<Record<string, string>>;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A rule as the plan resolved it: defaults applied, with its derived interval. */
export interface ResolvedRule extends BackupRuleSpec {
  readonly intervalMinutes: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  readonly enableContinuousBackup: boolean;
}

const PLAN_NAME = /^[a-zA-Z0-9_.-]{1,50}$/;
const RULE_NAME = /^[a-zA-Z0-9_.-]{1,50}$/;

/**
 * An AWS Backup plan. It states its recovery point objective (`rpoMinutes`): the longest time
 * between two recovery points, derived from the most frequent rule's schedule, so verify can hold
 * the latest recovery point against it.
 */
export class BackupPlan extends Construct {
  readonly plan: CfnBackupPlan;
  readonly planName: string;
  readonly planId: string;
  readonly planArn: string;
  readonly rules: readonly ResolvedRule[];
  readonly rpoMinutes: number;
  /** Shortest retention of any rule, in days. */
  readonly minRetentionDays: number;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    check(PLAN_NAME.test(props.planName), 'BackupPlan.planName', props.planName, 'must be 1-50 characters of [a-zA-Z0-9_.-]');
    check(props.rules.length > 0, 'BackupPlan.rules', props.rules.length, 'a plan needs at least one rule');
    const names = new Set<string>();
    this.rules = props.rules.map((r, i) => {
      const resolved = resolveRule(`BackupPlan.rules[${i}]`, r, props.vault);
      check(!names.has(resolved.ruleName), `BackupPlan.rules[${i}].ruleName`, resolved.ruleName, 'rule names must be unique in a plan');
      names.add(resolved.ruleName);
      return resolved;
    });
    this.planName = props.planName;
    this.rpoMinutes = Math.min(...this.rules.map((r) => r.intervalMinutes));
    this.minRetentionDays = Math.min(...this.rules.map((r) => r.deleteAfterDays));

    this.plan = new CfnBackupPlan(this, 'plan', {
      provider: props.provider,
      name: props.planName,
      rule: this.rules.map((r) => toTerraformRule(r, props.vault, props.recoveryPointTags)),
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.planId = this.plan.id;
    this.planArn = this.plan.arn;
  }
}

function resolveRule(field: string, r: BackupRuleSpec, vault: BackupVault): ResolvedRule {
  check(RULE_NAME.test(r.ruleName), `${field}.ruleName`, r.ruleName, 'must be 1-50 characters of [a-zA-Z0-9_.-]');
  const cronError = validateCron(r.schedule);
  check(cronError === undefined, `${field}.schedule`, r.schedule, cronError ?? '');
  checkRetention(`${field}`, r.deleteAfterDays, r.moveToColdStorageAfterDays);
  checkWithinLock(`${field}.deleteAfterDays`, r.deleteAfterDays, vault);
  const startWindowMinutes = r.startWindowMinutes ?? 60;
  const completionWindowMinutes = r.completionWindowMinutes ?? 180;
  checkPositiveInteger(`${field}.startWindowMinutes`, startWindowMinutes, { min: 60 });
  checkPositiveInteger(`${field}.completionWindowMinutes`, completionWindowMinutes, { min: 60 });
  check(completionWindowMinutes > startWindowMinutes, `${field}.completionWindowMinutes`, completionWindowMinutes, `must exceed startWindowMinutes (${startWindowMinutes})`);
  if (r.enableContinuousBackup) {
    check(r.deleteAfterDays <= 35, `${field}.deleteAfterDays`, r.deleteAfterDays, 'continuous backups are kept at most 35 days');
    check(r.moveToColdStorageAfterDays === undefined, `${field}.moveToColdStorageAfterDays`, r.moveToColdStorageAfterDays, 'continuous backups cannot move to cold storage');
  }
  (r.copyTo ?? []).forEach((c, i) => {
    const f = `${field}.copyTo[${i}]`;
    check(!!c.vault || !!c.vaultArn, f, c, 'needs a vault or a vaultArn');
    check(c.region !== vault.region || (!!c.vaultArn && !c.vault), `${f}.region`, c.region, `a DR copy must go to another region than the source vault (${vault.region})`);
    checkRetention(f, c.deleteAfterDays ?? r.deleteAfterDays, c.moveToColdStorageAfterDays ?? r.moveToColdStorageAfterDays);
    if (c.vault) checkWithinLock(`${f}.deleteAfterDays`, c.deleteAfterDays ?? r.deleteAfterDays, c.vault);
  });
  return { ...r, startWindowMinutes, completionWindowMinutes, enableContinuousBackup: r.enableContinuousBackup ?? false, intervalMinutes: cronIntervalMinutes(r.schedule) };
}

/**
 * AWS Backup fails every backup and copy job whose retention lies outside the destination vault
 * lock's minimum and maximum (rule TS-BAK-007 holds any Terraform JSON to the same).
 */
function checkWithinLock(field: string, deleteAfterDays: number, vault: BackupVault): void {
  const lock = vault.lock;
  if (!lock) return;
  check(
    deleteAfterDays >= lock.minRetentionDays && deleteAfterDays <= lock.maxRetentionDays,
    field,
    deleteAfterDays,
    `must lie within the lock of vault ${vault.vaultName} (${lock.minRetentionDays}..${lock.maxRetentionDays} days): AWS Backup fails every job outside it`,
  );
}

/** AWS Backup requires recovery points to stay in cold storage ≥ 90 days. */
function checkRetention(field: string, deleteAfterDays: number, coldAfterDays?: number): void {
  checkPositiveInteger(`${field}.deleteAfterDays`, deleteAfterDays);
  if (coldAfterDays !== undefined) {
    checkPositiveInteger(`${field}.moveToColdStorageAfterDays`, coldAfterDays);
    check(
      deleteAfterDays >= coldAfterDays + 90,
      `${field}.deleteAfterDays`,
      deleteAfterDays,
      `must be at least moveToColdStorageAfterDays + 90 (${coldAfterDays + 90}): AWS keeps cold storage for 90 days minimum`,
    );
  }
}

function lifecycle(deleteAfter?: number, coldAfter?: number) {
  return deleteAfter === undefined && coldAfter === undefined ? undefined : { deleteAfter, coldStorageAfter: coldAfter };
}

function toTerraformRule(r: ResolvedRule, vault: BackupVault, recoveryPointTags?: Readonly<Record<string, string>>): CfnRule {
  return {
    ruleName: r.ruleName,
    ...(recoveryPointTags ? { recoveryPointTags: { ...recoveryPointTags } } : {}),
    targetVaultName: vault.vault.name,
    schedule: r.schedule,
    startWindow: r.startWindowMinutes,
    completionWindow: r.completionWindowMinutes,
    enableContinuousBackup: r.enableContinuousBackup,
    lifecycle: lifecycle(r.deleteAfterDays, r.moveToColdStorageAfterDays),
    copyAction: (r.copyTo ?? []).map((c) => ({
      destinationVaultArn: c.vault ? c.vault.vaultArn : c.vaultArn!,
      lifecycle: lifecycle(c.deleteAfterDays ?? r.deleteAfterDays, c.moveToColdStorageAfterDays ?? r.moveToColdStorageAfterDays),
    })),
  };
}
