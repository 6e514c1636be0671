/** Contract diffs of AWS Backup: vault, access policy, plan rules, selection, recovery points, jobs, DR copy. */
import { latestCompleted } from '../../core/aws/recovery-points';
import { drCopyMaxAgeMinutes, type Contract } from '../../core/contract';
import { statementsFromJson } from '../../compliance/facts/policy';
import type { StackOutputs } from '../../core/outputs';
import { check, CheckResult, Diff, difference, fromDiff, readFailure } from './check';
import type { DescribeBackupVaultCommandOutput, RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import type { LiveState, Read } from '../../compliance/facts/live-state';
import { globMatch } from '../../core/glob';


const actionCovers = (pattern: string, action: string) => globMatch(pattern.toLowerCase(), action.toLowerCase());


export function minutesBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 60_000) * 10) / 10;
}

/** A vault as declared: exists, encrypted with its key, locked as the contract says. */
function vaultCheck(id: string, title: string, contract: Contract, vault: Read<DescribeBackupVaultCommandOutput>, o: { readonly label: string; readonly field: string; readonly keyArn?: string; readonly region: string }): CheckResult {
  const lock = contract.backup.lock;
  if (!vault.ok) return readFailure(id, title, `${o.label} in ${o.region}`, vault.error);
  const v = vault.value;
  const d = new Diff();
  if (o.keyArn) d.eq(`${o.field}.encryptionKeyArn`, o.keyArn, v.EncryptionKeyArn);
  d.eq(`${o.field}.locked`, lock !== undefined, v.Locked === true);
  if (lock) {
    d.eq(`${o.field}.lock.minRetentionDays`, lock.minRetentionDays, v.MinRetentionDays);
    d.eq(`${o.field}.lock.maxRetentionDays`, lock.maxRetentionDays, v.MaxRetentionDays);
  }
  return fromDiff(id, title, d, `vault ${v.BackupVaultName} in ${o.region} encrypted with the contract key${lock ? `, locked (${lock.mode})` : ''}`, [`vault ${v.BackupVaultArn}`, `key ${v.EncryptionKeyArn}`]);
}

/** A vault's access policy denies backup:DeleteRecoveryPoint (when the contract requires it). */
function vaultPolicyCheck(id: string, contract: Contract, policy: Read<string | undefined>, o: { readonly label: string; readonly field: string; readonly evidence: string }): CheckResult {
  const title = `${o.label[0].toUpperCase()}${o.label.slice(1)} access policy denies deletion of recovery points`;
  if (!contract.backup.denyManualDeletion) return check(id, title, 'contract', { status: 'skip', message: 'the contract does not require a deny-deletion policy' });
  if (!policy.ok) return readFailure(id, title, `${o.label} access policy`, policy.error);
  const statements = statementsFromJson(policy.value ?? '') ?? [];
  const denies = statements.some((s) => s.effect === 'Deny' && s.actions.some((a) => actionCovers(a, 'backup:DeleteRecoveryPoint')));
  const d = new Diff();
  if (!denies) d.add(difference(`${o.field}.accessPolicy`, 'Deny backup:DeleteRecoveryPoint', policy.value === undefined ? 'no access policy' : 'no such Deny statement'));
  return fromDiff(id, title, d, 'access policy denies backup:DeleteRecoveryPoint', [o.evidence]);
}

export function backupChecks(contract: Contract, outputs: StackOutputs, live: LiveState): CheckResult[] {
  const b = contract.backup;
  const results: CheckResult[] = [];
  results.push(vaultCheck('BACKUP-VAULT', 'Vault exists, encrypted with the CMK, lock as declared', contract, live.vault, { label: `vault ${outputs.vaultName ?? b.vaultName}`, field: 'vault', keyArn: outputs.keyArn, region: contract.region }));
  results.push(vaultPolicyCheck('BACKUP-VAULT-POLICY', contract, live.vaultPolicy, { label: 'vault', field: 'vault', evidence: `vault ${outputs.vaultArn ?? outputs.vaultName}` }));
  if (b.drCopy && live.drVault) {
    const name = outputs.drVaultName ?? b.drCopy.vaultName;
    results.push(vaultCheck('BACKUP-DR-VAULT', 'DR vault exists in the DR region, encrypted with the DR key, lock as declared', contract, live.drVault, { label: `DR vault ${name}`, field: 'drVault', keyArn: outputs.drKeyArn, region: b.drCopy.region }));
  }
  if (b.drCopy && live.drVaultPolicy) {
    results.push(vaultPolicyCheck('BACKUP-DR-VAULT-POLICY', contract, live.drVaultPolicy, { label: 'DR vault', field: 'drVault', evidence: `vault ${outputs.drVaultArn ?? outputs.drVaultName ?? b.drCopy.vaultName}` }));
  }

  const planTitle = 'Backup plan rules equal the contract';
  if (!live.plan.ok) results.push(readFailure('BACKUP-PLAN', planTitle, `plan ${outputs.planId}`, live.plan.error));
  else {
    const plan = live.plan.value.BackupPlan;
    const d = new Diff().eq('plan.name', b.planName, plan?.BackupPlanName);
    const liveRules = new Map((plan?.Rules ?? []).map((r) => [r.RuleName ?? '', r]));
    d.eq('plan.rules[].name', b.rules.map((r) => r.name).sort(), [...liveRules.keys()].sort());
    for (const r of b.rules) {
      const l = liveRules.get(r.name);
      if (!l) continue;
      const f = `plan.rules.${r.name}`;
      d.eq(`${f}.schedule`, r.schedule, l.ScheduleExpression)
        .eq(`${f}.targetVault`, outputs.vaultName ?? b.vaultName, l.TargetBackupVaultName)
        .eq(`${f}.startWindowMinutes`, r.startWindowMinutes, l.StartWindowMinutes)
        .eq(`${f}.completionWindowMinutes`, r.completionWindowMinutes, l.CompletionWindowMinutes)
        .eq(`${f}.deleteAfterDays`, r.deleteAfterDays, l.Lifecycle?.DeleteAfterDays)
        .eq(`${f}.coldStorageAfterDays`, r.coldStorageAfterDays, l.Lifecycle?.MoveToColdStorageAfterDays)
        .eq(`${f}.continuousBackup`, r.continuousBackup, l.EnableContinuousBackup === true)
        .eq(`${f}.copyToRegion`, r.copyToRegion, l.CopyActions?.[0]?.DestinationBackupVaultArn?.split(':')[3]);
    }
    results.push(fromDiff('BACKUP-PLAN', planTitle, d, `${b.rules.length} rule(s) equal the contract`, [`plan ${live.plan.value.BackupPlanArn ?? outputs.planId}`]));
  }

  const selTitle = 'Backup selection covers the table';
  if (!live.selection.ok) results.push(readFailure('BACKUP-SELECTION', selTitle, `selection ${outputs.selectionId}`, live.selection.error));
  else {
    const s = live.selection.value.BackupSelection;
    const tableArn = outputs.tableArn ?? '';
    const tags = live.tags.ok ? live.tags.value : {};
    const excluded = (s?.NotResources ?? []).some((p) => globMatch(p, tableArn));
    const byArn = (s?.Resources ?? []).some((p) => globMatch(p, tableArn));
    const byTag = (s?.ListOfTags ?? []).some((t) => t.ConditionType === 'STRINGEQUALS' && t.ConditionKey !== undefined && tags[t.ConditionKey] === t.ConditionValue);
    const d = new Diff();
    if (excluded || !(byArn || byTag)) d.add(difference('selection.resources', `covers ${tableArn}`, excluded ? 'excluded by NotResources' : (s?.Resources ?? []).join(', ') || '(none)'));
    results.push(fromDiff('BACKUP-SELECTION', selTitle, d, `selection ${s?.SelectionName} covers ${tableArn}`, [`selection ${outputs.selectionId}`, ...(s?.Resources ?? []).map((r) => `resource ${r}`)]));
  }

  if (live.regionSettings) {
    const title = 'DynamoDB is opted into AWS Backup with advanced features';
    if (!live.regionSettings.ok) results.push(readFailure('BACKUP-REGION-SETTINGS', title, 'backup region settings', live.regionSettings.error));
    else {
      const d = new Diff()
        .eq('regionSettings.resourceTypeOptInPreference.DynamoDB', true, live.regionSettings.value.optIn ?? false)
        .eq('regionSettings.resourceTypeManagementPreference.DynamoDB', true, live.regionSettings.value.advancedFeatures ?? false);
      results.push(fromDiff('BACKUP-REGION-SETTINGS', title, d, 'DynamoDB opted in, advanced backup features on', [`region ${contract.region}`]));
    }
  }
  results.push(recoveryPointCheck(contract, live));
  results.push(backupJobsCheck(contract, live));
  if (b.drCopy && live.drRecoveryPoints) {
    const drTitle = 'DR copy present in the DR vault';
    if (!live.drRecoveryPoints.ok) results.push(readFailure('BACKUP-DR-COPY', drTitle, `DR vault ${b.drCopy.vaultName}`, live.drRecoveryPoints.error));
    else {
      const latest = latestCompleted(live.drRecoveryPoints.value);
      const maxAge = drCopyMaxAgeMinutes(b);
      const age = latest?.CreationDate ? minutesBetween(latest.CreationDate, live.readAt) : undefined;
      const d = new Diff();
      if (!latest) d.add(difference('drCopy.recoveryPoint', `a COMPLETED recovery point in ${b.drCopy.vaultName} (${b.drCopy.region})`, 'none'));
      else if (maxAge !== undefined && age !== undefined && age > maxAge) d.add(difference('drCopy.ageMinutes', `<= ${maxAge} (the copying rule's interval and windows)`, age));
      const ageNote = age === undefined ? '' : `, ${age} min old${maxAge === undefined ? '' : ` (at most ${maxAge} min)`}`;
      results.push(fromDiff('BACKUP-DR-COPY', drTitle, d, `latest DR copy ${latest?.RecoveryPointArn} from ${latest?.CreationDate?.toISOString()}${ageNote}`, latest ? [`recovery point ${latest.RecoveryPointArn}`, ...(age === undefined ? [] : [`age ${age} min`])] : []));
    }
  }
  return results;
}

export function recoveryPointCheck(contract: Contract, live: LiveState): CheckResult {
  return rpoCheck(contract, live.recoveryPoints, live.readAt);
}

/**
 * BACKUP-RPO: the newest COMPLETED recovery point of the table in the contract's vault, aged at
 * `at`. The one computation of the verdict: the live checks call it with what they read, and
 * `rpoCheckAfterDrill` with the recovery point the drill restored.
 */
export function rpoCheck(contract: Contract, points: Read<readonly RecoveryPointByBackupVault[]>, at: Date): CheckResult {
  const rpo = contract.backup.rpoMinutes;
  const title = `Latest COMPLETED recovery point is younger than the RPO (${rpo} min)`;
  if (!points.ok) return readFailure('BACKUP-RPO', title, 'recovery points', points.error);
  const latest = latestCompleted(points.value);
  if (!latest?.CreationDate) {
    return check('BACKUP-RPO', title, 'contract', { status: 'fail', message: difference('recoveryPoint.latestCompleted', 'a COMPLETED recovery point', 'none in the vault') });
  }
  const age = minutesBetween(latest.CreationDate, at);
  const evidence = [`recovery point ${latest.RecoveryPointArn}`, `created ${latest.CreationDate.toISOString()}`, `age ${age} min`];
  const measurement = { quantity: 'rpo', value: age, unit: 'minutes', target: rpo, subject: latest.RecoveryPointArn, createdAt: latest.CreationDate.toISOString() } as const;
  return age <= rpo
    ? check('BACKUP-RPO', title, 'contract', { status: 'pass', message: `latest recovery point is ${age} min old (RPO ${rpo} min)`, evidence, measurement })
    : check('BACKUP-RPO', title, 'contract', { status: 'fail', message: difference('recoveryPoint.ageMinutes', `<= ${rpo}`, age), evidence, measurement });
}

/** What the drill says about the recovery point it restored (a subset of its metrics). */
export interface DrillRecoveryPoint {
  readonly recoveryPointArn?: string;
  readonly recoveryPointCreatedAt?: string;
  readonly rpoMeasuredMinutes?: number;
}

/**
 * BACKUP-RPO judged again with the recovery point the drill restored, when that point is newer
 * than every one the live checks saw (`--fresh` backs up after the live checks; a scheduled
 * backup may complete in between). It is aged when the drill picked it, so the check and the
 * drill's "RPO measured" are the same number. undefined when the live verdict stands.
 */
export function rpoCheckAfterDrill(contract: Contract, live: LiveState, drill: DrillRecoveryPoint): CheckResult | undefined {
  if (!live.recoveryPoints.ok || !drill.recoveryPointArn || !drill.recoveryPointCreatedAt || drill.rpoMeasuredMinutes === undefined) return undefined;
  const created = new Date(drill.recoveryPointCreatedAt);
  const seen = latestCompleted(live.recoveryPoints.value)?.CreationDate;
  if (Number.isNaN(created.getTime()) || (seen && seen.getTime() >= created.getTime())) return undefined;
  const point: RecoveryPointByBackupVault = { RecoveryPointArn: drill.recoveryPointArn, CreationDate: created, Status: 'COMPLETED' };
  return rpoCheck(contract, { ok: true, value: [...live.recoveryPoints.value, point] }, new Date(created.getTime() + drill.rpoMeasuredMinutes * 60_000));
}

export function backupJobsCheck(contract: Contract, live: LiveState): CheckResult {
  const title = `No FAILED or EXPIRED backup jobs for the table in the last ${contract.backup.rpoMinutes} min`;
  if (!live.recentBackupJobs.ok) return readFailure('BACKUP-JOBS', title, 'backup jobs', live.recentBackupJobs.error);
  const bad = live.recentBackupJobs.value.filter((j) => j.State === 'FAILED' || j.State === 'EXPIRED' || j.State === 'ABORTED');
  const evidence = bad.map((j) => `job ${j.BackupJobId} ${j.State} ${j.CreationDate?.toISOString() ?? ''} ${j.StatusMessage ?? ''}`.trim());
  return bad.length
    ? check('BACKUP-JOBS', title, 'contract', { status: 'fail', message: difference('backupJobs.failedOrExpired', 0, bad.length) + ` (${bad.map((j) => `${j.BackupJobId} ${j.State}`).join(', ')})`, evidence })
    : check('BACKUP-JOBS', title, 'contract', { status: 'pass', message: `${live.recentBackupJobs.value.length} job(s) in the window, none FAILED or EXPIRED`, evidence });
}
