import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { EncryptionKey } from '../modules/kms/encryption-key';
import { Billing, ResolvedSecondaryIndex, Table } from '../modules/table/table';
import { BackupVault } from '../modules/backup/vault';
import { BackupPlan, BackupPlanRule, BackupRuleSpec } from '../modules/backup/plan';
import { BackupSelection } from '../modules/backup/selection';
import { DynamoDbAdvancedBackup } from '../modules/backup/region-settings';
import { AuditTrail, trailLogGroupName } from '../modules/audit-trail/audit-trail';
import { RoleTrust } from '../modules/iam/trust';
import { appRole, auditorRole, backupServiceRole, restoreDrillRole } from '../modules/iam/roles';
import { Role } from '../modules/iam/role';
import { ACCOUNT_ID_CONTEXT, awsEnvironment } from '../modules/common/environment';
import { writeStackFileOnSynth } from '../modules/common/stack-files';
import { RECOVERY_POINT_TABLE_TAG, Contract, CONTRACT_FILE_NAME, CONTRACT_SCHEMA_VERSION, ContractRole, DEFAULT_MAX_KEYS, OUTPUT_NAMES, OutputKey, supportedDrillPaths } from '../core/contract';
import { applyCompliance, ComplianceOptions } from '../modules/compliance';
import { DEFAULT_PACK } from '../compliance/rules/packs';
import { INVALID_INPUT, TablesafeError } from '../core/errors';
import { BackupRuleConfig, PlatformConfig, REQUIRED_TAGS, validateConfig } from './config';
import { configureBackend } from './backend';
import { awsProvider, providerSettings } from './provider';

export interface PlatformStackOptions {
  /**
   * Environment variables that configure the backend and the provider (see backend.ts and
   * provider.ts).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * One environment of the platform: key, table, backup vault/plan/selection (+ DR vault), roles,
 * audit trail. Emits a Terraform output for every id verify needs and writes the contract
 * (`tablesafe.contract.json`) beside `cdk.tf.json` on every synth.
 */
export class PlatformStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly key: EncryptionKey;
  /** The audit trail's own key: the data key never protects the logs, and only the auditor may read them. */
  readonly trailKey?: EncryptionKey;
  readonly table: Table;
  readonly vault: BackupVault;
  readonly drVault?: BackupVault;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;
  readonly trail?: AuditTrail;
  /** Set when the stack opts its regions into DynamoDB advanced backup (backup.advancedDynamoDbBackup). */
  readonly advancedBackup?: DynamoDbAdvancedBackup;
  /** Tag keys the table must carry: compliance.requiredTags, or REQUIRED_TAGS. */
  readonly requiredTags: readonly string[];
  readonly roles: Readonly<Record<'backup' | 'restoreDrill' | 'appReader' | 'appWriter' | 'auditor', Role>>;

  constructor(scope: Construct, config: PlatformConfig, options: PlatformStackOptions = {}) {
    super(scope, config.environment);
    validateConfig(config);
    const settings = providerSettings(options.env);
    if (settings.accountId) this.node.setContext(ACCOUNT_ID_CONTEXT, settings.accountId);
    this.config = config;
    this.requiredTags = [...(config.compliance?.requiredTags ?? REQUIRED_TAGS)];
    const name = `tablesafe-${config.environment}`;
    const tags = { ...config.tags };

    configureBackend(this, config.environment, options.env);
    awsProvider(this, 'aws', config.region, settings);
    const drProvider = config.backup.drRegion ? awsProvider(this, 'aws-dr', config.backup.drRegion, settings, 'dr') : undefined;
    const replicaProviders = new Map((config.table.replicaRegions ?? []).map((r) => [r, awsProvider(this, `aws-${r}`, r, settings, r)]));
    const env = awsEnvironment(this, config.region);
    const trailEnabled = config.trail?.enabled ?? true;
    const trailName = `${name}-trail`;

    this.key = new EncryptionKey(this, 'key', {
      alias: name,
      region: config.region,
      deletionWindowDays: config.keyDeletionWindowDays,
      services: ['dynamodb', 'backup', 'sns'],
      tags,
    });
    const cloudWatchLogs = config.trail?.cloudWatchLogsRetentionDays !== undefined;
    this.trailKey = trailEnabled
      ? new EncryptionKey(this, 'trail-key', {
          alias: `${name}-trail`,
          region: config.region,
          deletionWindowDays: config.keyDeletionWindowDays,
          trailName,
          logGroupName: cloudWatchLogs ? trailLogGroupName(trailName) : undefined,
          services: cloudWatchLogs ? ['cloudtrail', 'logs'] : ['cloudtrail'],
          tags,
        })
      : undefined;
    const drKey =
      drProvider && config.backup.drRegion
        ? new EncryptionKey(this, 'dr-key', {
            alias: `${name}-dr`,
            region: config.backup.drRegion,
            deletionWindowDays: config.keyDeletionWindowDays,
            services: ['dynamodb', 'backup', 'sns'],
            provider: drProvider,
            tags,
          })
        : undefined;
    const replicaKeys = [...replicaProviders].map(
      ([region, provider]) =>
        new EncryptionKey(this, `replica-key-${region}`, {
          alias: `${name}-replica`,
          region,
          deletionWindowDays: config.keyDeletionWindowDays,
          services: ['dynamodb', 'backup'],
          provider,
          tags,
        }),
    );

    const t = config.table;
    const capacity = t.capacity ?? { mode: 'on-demand' };
    this.table = new Table(this, 'table', {
      tableName: t.name,
      region: config.region,
      partitionKey: t.partitionKey,
      sortKey: t.sortKey,
      encryptionKey: this.key,
      globalSecondaryIndexes: (t.globalSecondaryIndexes ?? []).map((i) => ({
        indexName: i.name,
        partitionKey: i.partitionKey,
        sortKey: i.sortKey,
        projectionType: i.projection,
        nonKeyAttributes: i.nonKeyAttributes,
      })),
      localSecondaryIndexes: (t.localSecondaryIndexes ?? []).map((i) => ({
        indexName: i.name,
        partitionKey: i.partitionKey,
        sortKey: i.sortKey,
        projectionType: i.projection,
        nonKeyAttributes: i.nonKeyAttributes,
      })),
      billing: capacity.mode === 'on-demand' ? Billing.onDemand() : Billing.provisioned({ read: capacity.read, write: capacity.write }, capacity.autoscaling),
      timeToLiveAttribute: t.ttlAttribute,
      stream: t.stream,
      tableClass: t.tableClass,
      pointInTimeRecovery: t.pointInTimeRecovery,
      deletionProtection: t.deletionProtection,
      replicas: replicaKeys.map((k) => ({ region: k.region, encryptionKey: k })),
      tags,
    });

    const backupRole = backupServiceRole(this, 'backup-role', {
      roleName: `${name}-backup`,
      env,
      keyArns: [this.key.keyArn, ...(drKey ? [drKey.keyArn] : [])],
      tags,
    });

    const b = config.backup;
    this.vault = new BackupVault(this, 'vault', {
      vaultName: `${name}-vault`,
      region: config.region,
      encryptionKey: this.key,
      denyManualDeletion: b.denyManualDeletion,
      breakGlassRoleArn: b.breakGlassRoleArn,
      lock: b.vaultLock,
      notifications: b.notifications,
      forceDestroy: config.forceDestroy,
      tags,
    });
    if (drProvider && drKey && b.drRegion) {
      this.drVault = new BackupVault(this, 'dr-vault', {
        vaultName: `${name}-dr-vault`,
        region: b.drRegion,
        encryptionKey: drKey,
        denyManualDeletion: b.denyManualDeletion,
        breakGlassRoleArn: b.breakGlassRoleArn,
        lock: b.vaultLock,
        notifications: false,
        forceDestroy: config.forceDestroy,
        provider: drProvider,
        tags,
      });
    }
    this.plan = new BackupPlan(this, 'plan', {
      planName: `${name}-plan`,
      vault: this.vault,
      rules: b.rules.map((r) => toRuleSpec(r, this.drVault)),
      // The drill role may restore AWS Backup-format recovery points only when they carry this tag.
      recoveryPointTags: { [RECOVERY_POINT_TABLE_TAG]: t.name },
      tags,
    });
    if (this.plan.rpoMinutes > b.rpoMinutes) {
      throw new TablesafeError(
        INVALID_INPUT,
        `PlatformConfig(${config.environment}).backup.rules: a recovery point every ${this.plan.rpoMinutes} minutes is invalid: the schedule must meet backup.rpoMinutes (${b.rpoMinutes})`,
        'add a rule that runs at least as often as the RPO, or raise backup.rpoMinutes',
        { field: `PlatformConfig(${config.environment}).backup.rules` },
      );
    }
    this.selection = new BackupSelection(this, 'selection', {
      selectionName: `${name}-tables`,
      plan: this.plan,
      roleArn: backupRole.roleArn,
      resources: [this.table.tableArn],
    });
    if (b.advancedDynamoDbBackup ?? true) {
      this.advancedBackup = new DynamoDbAdvancedBackup(this, 'advanced-backup');
      if (drProvider) new DynamoDbAdvancedBackup(this, 'advanced-backup-dr', { provider: drProvider });
    }

    if (trailEnabled) {
      this.trail = new AuditTrail(this, 'audit-trail', {
        trailName,
        region: config.region,
        bucketName: config.trail?.bucketName ?? `${name}-trail-${env.accountId}`,
        encryptionKey: this.trailKey!,
        dataEventTableArns: [this.table.tableArn],
        multiRegion: config.trail?.multiRegion,
        cloudWatchLogsRetentionDays: config.trail?.cloudWatchLogsRetentionDays,
        forceDestroy: config.forceDestroy,
        tags,
      });
    }

    const keyArns = [this.key.keyArn, ...(drKey ? [drKey.keyArn] : []), ...replicaKeys.map((k) => k.keyArn)];
    const trust = new RoleTrust(this, 'trust', { env, trusted: config.trustedPrincipals, field: `PlatformConfig(${config.environment}).trustedPrincipals`, tags });
    const appReader = appRole(this, 'app-reader', { roleName: `${name}-app-reader`, kind: 'app-reader', env, trustPolicy: trust.policyFor('appReader'), tags });
    const appWriter = appRole(this, 'app-writer', { roleName: `${name}-app-writer`, kind: 'app-writer', env, trustPolicy: trust.policyFor('appWriter'), tags });
    this.table.grantReadData(appReader);
    this.table.grantReadWriteData(appWriter);
    const restoreDrill = restoreDrillRole(this, 'restore-drill-role', {
      roleName: `${name}-restore-drill`,
      env,
      trustPolicy: trust.policyFor('restoreDrill'),
      sourceTableArn: this.table.tableArn,
      sourceTableName: t.name,
      vaultArn: this.vault.vaultArn,
      keyArns,
      backupRoleArn: backupRole.roleArn,
      dr: this.drVault ? { region: this.drVault.region, vaultArn: this.drVault.vaultArn } : undefined,
      tags,
    });
    const auditor = auditorRole(this, 'auditor-role', {
      roleName: `${name}-auditor`,
      env,
      trustPolicy: trust.policyFor('auditor'),
      tableArns: [this.table.tableArn],
      keyArns: [...keyArns, ...(this.trailKey ? [this.trailKey.keyArn] : [])],
      vaultArns: [this.vault.vaultArn, ...(this.drVault ? [this.drVault.vaultArn] : [])],
      planArn: this.plan.planArn,
      trailArn: this.trail?.trailArn,
      bucketArn: this.trail?.bucket.arn,
      roleArns: [backupRole, appReader, appWriter, restoreDrill].map((r) => r.roleArn),
    });
    this.roles = { backup: backupRole, restoreDrill, appReader, appWriter, auditor };

    this.emitOutputs(env.accountId, drKey);
    writeStackFileOnSynth(this, CONTRACT_FILE_NAME, () => this.contract());
    applyCompliance(this, this.complianceOptions());
  }

  /**
   * The pack, suppressions and contract this environment is held to at synth. The requirements
   * come from the contract, as verify derives them from the contract file after apply.
   */
  complianceOptions(): ComplianceOptions {
    return {
      pack: this.config.compliance?.pack ?? DEFAULT_PACK,
      suppressions: this.config.compliance?.suppressions ?? [],
      contract: () => this.contract(),
    };
  }

  private emitOutputs(accountId: string, drKey?: EncryptionKey): void {
    const values: Record<OutputKey, string | undefined> = {
      tableName: this.table.table.name,
      tableArn: this.table.tableArn,
      tableStreamArn: this.table.streamArn,
      keyArn: this.key.keyArn,
      keyAlias: this.key.alias.name,
      drKeyArn: drKey?.keyArn,
      vaultName: this.vault.vault.name,
      vaultArn: this.vault.vaultArn,
      drVaultName: this.drVault?.vault.name,
      drVaultArn: this.drVault?.vaultArn,
      planId: this.plan.planId,
      planArn: this.plan.planArn,
      selectionId: this.selection.selectionId,
      notificationTopicArn: this.vault.notificationTopic?.arn,
      trailArn: this.trail?.trailArn,
      trailName: this.trail?.trail.name,
      trailBucket: this.trail?.bucket.id,
      backupRoleArn: this.roles.backup.roleArn,
      drillRoleArn: this.roles.restoreDrill.roleArn,
      appReaderRoleArn: this.roles.appReader.roleArn,
      appWriterRoleArn: this.roles.appWriter.roleArn,
      auditorRoleArn: this.roles.auditor.roleArn,
      accountId,
      region: this.config.region,
    };
    for (const [key, value] of Object.entries(values) as [OutputKey, string | undefined][]) {
      // Absent features still get an output (empty string) so every contract output name exists.
      const output = new TerraformOutput(this, OUTPUT_NAMES[key], { value: value ?? '' });
      output.overrideLogicalId(OUTPUT_NAMES[key]);
    }
  }

  /** What this stack promises; verify holds the live account against it. Read from the constructs' resolved values. */
  contract(): Contract {
    const c = this.config;
    const t = this.table.resolved;
    const role = (r: Role, output: string): ContractRole => ({ name: r.roleName, output, inlinePolicies: r.policyNames, managedPolicyArns: r.managedPolicyArns });
    const index = (i: ResolvedSecondaryIndex) => ({
      name: i.indexName,
      partitionKey: i.partitionKey,
      sortKey: i.sortKey,
      projectionType: i.projectionType,
      nonKeyAttributes: i.nonKeyAttributes,
      capacity: i.capacity,
    });
    return {
      schemaVersion: CONTRACT_SCHEMA_VERSION,
      stack: c.environment,
      environment: c.environment,
      region: c.region,
      drRegion: this.drVault?.region,
      table: {
        name: t.tableName,
        partitionKey: t.partitionKey,
        sortKey: t.sortKey,
        globalSecondaryIndexes: t.globalSecondaryIndexes.map(index),
        localSecondaryIndexes: t.localSecondaryIndexes.map(index),
        billingMode: t.billing.mode,
        capacity: t.billing.mode === 'PROVISIONED' ? t.billing.capacity : undefined,
        autoscaling: t.billing.mode === 'PROVISIONED' ? t.billing.autoscaling : undefined,
        pointInTimeRecovery: t.pointInTimeRecovery,
        deletionProtection: t.deletionProtection,
        ttlAttribute: t.timeToLiveAttribute,
        streamViewType: t.stream,
        tableClass: t.tableClass,
        encryption: 'CUSTOMER_MANAGED',
        replicaRegions: t.replicaRegions,
        tags: t.tags,
      },
      key: { alias: this.key.aliasName, rotation: true, deletionWindowDays: this.key.deletionWindowDays },
      backup: {
        vaultName: this.vault.vaultName,
        planName: this.plan.planName,
        selectionName: this.selection.selectionName,
        lock: this.vault.lock,
        rules: this.plan.rules.map((r) => ({
          name: r.ruleName,
          schedule: r.schedule,
          intervalMinutes: r.intervalMinutes,
          startWindowMinutes: r.startWindowMinutes,
          completionWindowMinutes: r.completionWindowMinutes,
          deleteAfterDays: r.deleteAfterDays,
          coldStorageAfterDays: r.moveToColdStorageAfterDays,
          continuousBackup: r.enableContinuousBackup,
          copyToRegion: r.copyTo?.[0]?.region,
        })),
        rpoMinutes: c.backup.rpoMinutes,
        minRetentionDays: c.backup.minRetentionDays,
        drCopy: this.drVault ? { region: this.drVault.region, vaultName: this.drVault.vaultName } : undefined,
        advancedDynamoDbBackup: this.advancedBackup !== undefined,
        denyManualDeletion: this.vault.denyManualDeletion,
      },
      trail: this.trail
        ? {
            name: this.trail.trailName,
            multiRegion: this.trail.multiRegion,
            logFileValidation: true,
            kmsEncrypted: true,
            dynamoDbDataEvents: true,
          }
        : undefined,
      roles: {
        backup: role(this.roles.backup, OUTPUT_NAMES.backupRoleArn),
        restoreDrill: role(this.roles.restoreDrill, OUTPUT_NAMES.drillRoleArn),
        appReader: role(this.roles.appReader, OUTPUT_NAMES.appReaderRoleArn),
        appWriter: role(this.roles.appWriter, OUTPUT_NAMES.appWriterRoleArn),
        auditor: role(this.roles.auditor, OUTPUT_NAMES.auditorRoleArn),
      },
      drill: {
        rtoMinutes: c.drill.rtoMinutes,
        // Written out, so the contract says which paths verify runs.
        paths: c.drill.paths ? [...c.drill.paths] : supportedDrillPaths({ table: { pointInTimeRecovery: t.pointInTimeRecovery }, backup: { drCopy: this.drVault } }),
        validation: { tolerance: c.drill.tolerance ?? 0, sample: c.drill.sample ?? 10, digest: c.drill.digest ?? true, maxKeys: c.drill.maxKeys ?? DEFAULT_MAX_KEYS },
      },
      compliance: { pack: c.compliance?.pack ?? DEFAULT_PACK, requiredTags: this.requiredTags },
      outputs: { ...OUTPUT_NAMES },
    };
  }
}

function toRuleSpec(r: BackupRuleConfig, drVault?: BackupVault): BackupRuleSpec {
  const props = {
    ruleName: r.name,
    deleteAfterDays: r.deleteAfterDays,
    moveToColdStorageAfterDays: r.coldStorageAfterDays,
    startWindowMinutes: r.startWindowMinutes,
    completionWindowMinutes: r.completionWindowMinutes,
    copyTo: r.copyToDr && drVault ? [{ vault: drVault, region: drVault.region }] : undefined,
  };
  if (r.preset) {
    return BackupPlanRule[r.preset](props);
  }
  return BackupPlanRule.custom({ ...props, ruleName: r.name!, schedule: r.schedule! });
}
