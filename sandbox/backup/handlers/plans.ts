import { validateCron } from '../../../core/cron';
import { alreadyExists, invalidRequest, invalidValue, missingValue, notFound } from '../errors';
import { planArn, PLAN_OR_RULE_NAME, uuid, versionId, VAULT_NAME } from '../ids';
import { objectList, optArray, optBool, optInt, optObject, optString, optStringMap, reqString, queryBool, type Json } from '../input';
import { readLifecycle } from '../lifecycle';
import { paginate } from '../paging';
import type { BackupState, PlanRecord, PlanVersion } from '../state';
import { sec, type Ctx, type Handler } from '../context';

const DEFAULT_SCHEDULE = 'cron(0 5 ? * * *)';
const DEFAULT_START_WINDOW = 480;
const DEFAULT_COMPLETION_WINDOW = 10080;

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function readRule(raw: Json, path: string, previousIds: Map<string, string>): Json {
  const name = reqString(raw, 'RuleName', `${path}.RuleName`);
  if (!PLAN_OR_RULE_NAME.test(name)) throw invalidValue(`Invalid value for ${path}.RuleName: ${JSON.stringify(name)} must be 1-50 letters, digits, hyphens, underscores or periods`);
  const vault = reqString(raw, 'TargetBackupVaultName', `${path}.TargetBackupVaultName`);
  if (!VAULT_NAME.test(vault)) throw invalidValue(`Invalid value for ${path}.TargetBackupVaultName: ${JSON.stringify(vault)} is not a backup vault name`);
  const schedule = optString(raw, 'ScheduleExpression', `${path}.ScheduleExpression`) || DEFAULT_SCHEDULE;
  const scheduleProblem = validateCron(schedule);
  if (scheduleProblem) throw invalidValue(`Invalid value for ${path}.ScheduleExpression: ${JSON.stringify(schedule)} — ${scheduleProblem}`);
  const timezone = optString(raw, 'ScheduleExpressionTimezone', `${path}.ScheduleExpressionTimezone`) || 'Etc/UTC';
  if (!validTimezone(timezone)) throw invalidValue(`Invalid value for ${path}.ScheduleExpressionTimezone: ${JSON.stringify(timezone)} is not a time zone`);
  const start = optInt(raw, 'StartWindowMinutes', `${path}.StartWindowMinutes`) ?? DEFAULT_START_WINDOW;
  if (start < 60) throw invalidValue(`Invalid value for ${path}.StartWindowMinutes: ${start} must be at least 60`);
  const completion = optInt(raw, 'CompletionWindowMinutes', `${path}.CompletionWindowMinutes`) ?? DEFAULT_COMPLETION_WINDOW;
  if (completion <= start) {
    throw invalidValue(`Invalid value for ${path}.CompletionWindowMinutes: ${completion} must be greater than StartWindowMinutes ${start}`);
  }
  const lifecycle = readLifecycle(raw, 'Lifecycle', `${path}.Lifecycle`);
  const tags = optStringMap(raw, 'RecoveryPointTags', `${path}.RecoveryPointTags`);
  const copyRaw = optArray(raw, 'CopyActions', `${path}.CopyActions`);
  const copyActions = copyRaw
    ? objectList(copyRaw, `${path}.CopyActions`).map((c, j) => {
        const dest = reqString(c, 'DestinationBackupVaultArn', `${path}.CopyActions[${j}].DestinationBackupVaultArn`);
        if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[a-zA-Z0-9\-_]{2,50}$/.test(dest)) {
          throw invalidValue(`Invalid value for ${path}.CopyActions[${j}].DestinationBackupVaultArn: ${JSON.stringify(dest)} is not a backup vault ARN`);
        }
        const lc = readLifecycle(c, 'Lifecycle', `${path}.CopyActions[${j}].Lifecycle`);
        return lc ? { DestinationBackupVaultArn: dest, Lifecycle: lc } : { DestinationBackupVaultArn: dest };
      })
    : undefined;
  const continuous = optBool(raw, 'EnableContinuousBackup', `${path}.EnableContinuousBackup`);
  const rule: Json = {
    RuleName: name,
    TargetBackupVaultName: vault,
    ScheduleExpression: schedule,
    StartWindowMinutes: start,
    CompletionWindowMinutes: completion,
    RuleId: previousIds.get(name) ?? uuid(),
    EnableContinuousBackup: continuous ?? false,
    ScheduleExpressionTimezone: timezone,
  };
  if (lifecycle) rule.Lifecycle = lifecycle;
  if (tags) rule.RecoveryPointTags = tags;
  if (copyActions && copyActions.length) rule.CopyActions = copyActions;
  return rule;
}

function readPlanDocument(body: Json, previous?: PlanVersion): Json {
  const raw = optObject(body, 'BackupPlan');
  if (raw === undefined) throw missingValue('BackupPlan');
  const name = reqString(raw, 'BackupPlanName', 'BackupPlan.BackupPlanName');
  if (!PLAN_OR_RULE_NAME.test(name)) {
    throw invalidValue(`Invalid value for BackupPlan.BackupPlanName: ${JSON.stringify(name)} must be 1-50 letters, digits, hyphens, underscores or periods`);
  }
  const rulesRaw = optArray(raw, 'Rules', 'BackupPlan.Rules');
  if (rulesRaw === undefined || rulesRaw.length === 0) throw missingValue('BackupPlan.Rules');
  const previousIds = new Map<string, string>();
  for (const r of (previous?.plan.Rules as Json[] | undefined) ?? []) previousIds.set(String(r.RuleName), String(r.RuleId));
  const rules = objectList(rulesRaw, 'BackupPlan.Rules').map((r, i) => readRule(r, `BackupPlan.Rules[${i}]`, previousIds));
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(String(r.RuleName))) throw invalidValue(`Invalid value for BackupPlan.Rules: rule name ${JSON.stringify(r.RuleName)} is used twice`);
    seen.add(String(r.RuleName));
  }
  const plan: Json = { BackupPlanName: name, Rules: rules };
  const advancedRaw = optArray(raw, 'AdvancedBackupSettings', 'BackupPlan.AdvancedBackupSettings');
  if (advancedRaw) {
    plan.AdvancedBackupSettings = objectList(advancedRaw, 'BackupPlan.AdvancedBackupSettings').map((a, i) => ({
      ResourceType: reqString(a, 'ResourceType', `BackupPlan.AdvancedBackupSettings[${i}].ResourceType`),
      BackupOptions: optStringMap(a, 'BackupOptions', `BackupPlan.AdvancedBackupSettings[${i}].BackupOptions`) ?? {},
    }));
  }
  return plan;
}

export function getPlan(state: BackupState, id: string | undefined): PlanRecord {
  if (!id) throw missingValue('BackupPlanId');
  const plan = state.plans[id];
  if (!plan || plan.deletionDate !== undefined) throw notFound(`Failed reading Backup plan with provided version ${id}`);
  return plan;
}

export const latest = (plan: PlanRecord): PlanVersion => plan.versions[plan.versions.length - 1];

function listMember(plan: PlanRecord, version: PlanVersion): Json {
  return {
    BackupPlanArn: plan.arn,
    BackupPlanId: plan.id,
    CreationDate: sec(version.creationDate),
    DeletionDate: sec(plan.deletionDate),
    VersionId: version.versionId,
    BackupPlanName: version.plan.BackupPlanName,
    CreatorRequestId: plan.creatorRequestId,
    LastExecutionDate: sec(plan.lastExecutionDate),
    AdvancedBackupSettings: version.plan.AdvancedBackupSettings,
  };
}

function nameTaken(state: BackupState, ctx: Ctx, name: string, except?: string): boolean {
  return Object.values(state.plans).some(
    (p) => p.id !== except && p.region === ctx.region && p.deletionDate === undefined && latest(p).plan.BackupPlanName === name,
  );
}

export const createBackupPlan: Handler = (ctx, { state }) => {
  const document = readPlanDocument(ctx.body);
  const tags = optStringMap(ctx.body, 'BackupPlanTags') ?? {};
  const creatorRequestId = optString(ctx.body, 'CreatorRequestId');
  if (creatorRequestId !== undefined) {
    const same = Object.values(state.plans).find((p) => p.creatorRequestId === creatorRequestId && p.deletionDate === undefined && p.region === ctx.region);
    if (same) {
      const v = latest(same);
      return { body: { BackupPlanId: same.id, BackupPlanArn: same.arn, CreationDate: sec(same.creationDate), VersionId: v.versionId } };
    }
  }
  if (nameTaken(state, ctx, String(document.BackupPlanName))) {
    throw alreadyExists(`Backup plan with the same name already exists: ${document.BackupPlanName}`);
  }
  const id = uuid();
  const version: PlanVersion = { versionId: versionId(), plan: document, creationDate: ctx.now };
  const plan: PlanRecord = {
    id,
    arn: planArn(ctx.region, ctx.accountId, id),
    region: ctx.region,
    accountId: ctx.accountId,
    creatorRequestId,
    creationDate: ctx.now,
    versions: [version],
  };
  state.plans[id] = plan;
  state.tags[plan.arn] = tags;
  return {
    mutated: true,
    body: { BackupPlanId: id, BackupPlanArn: plan.arn, CreationDate: sec(plan.creationDate), VersionId: version.versionId, AdvancedBackupSettings: document.AdvancedBackupSettings },
  };
};

export const getBackupPlan: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const wanted = ctx.query.get('versionId');
  const version = wanted ? plan.versions.find((v) => v.versionId === wanted) : latest(plan);
  if (!version) throw notFound(`Failed reading Backup plan with provided version ${wanted}`);
  return {
    body: {
      BackupPlan: version.plan,
      BackupPlanId: plan.id,
      BackupPlanArn: plan.arn,
      VersionId: version.versionId,
      CreatorRequestId: plan.creatorRequestId,
      CreationDate: sec(version.creationDate),
      LastExecutionDate: sec(plan.lastExecutionDate),
      AdvancedBackupSettings: version.plan.AdvancedBackupSettings,
    },
  };
};

export const updateBackupPlan: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const document = readPlanDocument(ctx.body, latest(plan));
  if (nameTaken(state, ctx, String(document.BackupPlanName), plan.id)) {
    throw alreadyExists(`Backup plan with the same name already exists: ${document.BackupPlanName}`);
  }
  const version: PlanVersion = { versionId: versionId(), plan: document, creationDate: ctx.now };
  plan.versions.push(version);
  return {
    mutated: true,
    body: { BackupPlanId: plan.id, BackupPlanArn: plan.arn, CreationDate: sec(version.creationDate), VersionId: version.versionId, AdvancedBackupSettings: document.AdvancedBackupSettings },
  };
};

export const deleteBackupPlan: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  if (Object.values(state.selections).some((s) => s.planId === plan.id)) {
    throw invalidRequest('Related backup plan selections must be deleted prior to backup plan deletion.');
  }
  plan.deletionDate = ctx.now;
  delete state.tags[plan.arn];
  return { mutated: true, body: { BackupPlanId: plan.id, BackupPlanArn: plan.arn, DeletionDate: sec(plan.deletionDate), VersionId: latest(plan).versionId } };
};

export const listBackupPlans: Handler = (ctx, { state }) => {
  const includeDeleted = queryBool(ctx.query, 'includeDeleted') ?? false;
  const plans = Object.values(state.plans)
    .filter((p) => p.region === ctx.region && (includeDeleted || p.deletionDate === undefined))
    .sort((a, b) => a.creationDate - b.creationDate);
  const { page, nextToken } = paginate(plans, ctx.query);
  return { body: { BackupPlansList: page.map((p) => listMember(p, latest(p))), NextToken: nextToken } };
};

export const listBackupPlanVersions: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const versions = [...plan.versions].reverse();
  const { page, nextToken } = paginate(versions, ctx.query);
  return { body: { BackupPlanVersionsList: page.map((v) => listMember(plan, v)), NextToken: nextToken } };
};
