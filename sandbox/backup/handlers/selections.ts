import { invalidValue, missingValue, notFound } from '../errors';
import { isArn, PLAN_OR_RULE_NAME, uuid } from '../ids';
import { objectList, optArray, optObject, optString, optStringList, reqString, type Json } from '../input';
import { paginate } from '../paging';
import { getPlan } from './plans';
import { sec, type Handler } from '../context';

const CONDITION_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;

function readConditionParameters(list: unknown[], path: string): Json[] {
  return objectList(list, path).map((c, i) => ({
    ConditionKey: reqString(c, 'ConditionKey', `${path}[${i}].ConditionKey`),
    ConditionValue: reqString(c, 'ConditionValue', `${path}[${i}].ConditionValue`),
  }));
}

/** The selection exactly as given (after type checks), so reads show no drift. */
function readSelection(body: Json): Json {
  const raw = optObject(body, 'BackupSelection');
  if (raw === undefined) throw missingValue('BackupSelection');
  const name = reqString(raw, 'SelectionName', 'BackupSelection.SelectionName');
  if (!PLAN_OR_RULE_NAME.test(name)) {
    throw invalidValue(`Invalid value for BackupSelection.SelectionName: ${JSON.stringify(name)} must be 1-50 letters, digits, hyphens, underscores or periods`);
  }
  const role = reqString(raw, 'IamRoleArn', 'BackupSelection.IamRoleArn');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(role)) {
    throw invalidValue(`Invalid value for BackupSelection.IamRoleArn: ${JSON.stringify(role)} is not an IAM role ARN`);
  }
  const selection: Json = { SelectionName: name, IamRoleArn: role };
  for (const field of ['Resources', 'NotResources'] as const) {
    const list = optStringList(raw, field, `BackupSelection.${field}`);
    if (list === undefined) continue;
    list.forEach((r, i) => {
      if (r !== '*' && !isArn(r)) throw invalidValue(`Invalid value for BackupSelection.${field}[${i}]: ${JSON.stringify(r)} is not an ARN or *`);
    });
    selection[field] = list;
  }
  const tagsRaw = optArray(raw, 'ListOfTags', 'BackupSelection.ListOfTags');
  if (tagsRaw) {
    selection.ListOfTags = objectList(tagsRaw, 'BackupSelection.ListOfTags').map((c, i) => {
      const type = reqString(c, 'ConditionType', `BackupSelection.ListOfTags[${i}].ConditionType`);
      if (type !== 'STRINGEQUALS') throw invalidValue(`Invalid value for BackupSelection.ListOfTags[${i}].ConditionType: ${JSON.stringify(type)} must be STRINGEQUALS`);
      return {
        ConditionType: type,
        ConditionKey: reqString(c, 'ConditionKey', `BackupSelection.ListOfTags[${i}].ConditionKey`),
        ConditionValue: reqString(c, 'ConditionValue', `BackupSelection.ListOfTags[${i}].ConditionValue`),
      };
    });
  }
  const conditionsRaw = optObject(raw, 'Conditions', 'BackupSelection.Conditions');
  if (conditionsRaw) {
    const conditions: Json = {};
    for (const op of CONDITION_OPERATORS) {
      const list = optArray(conditionsRaw, op, `BackupSelection.Conditions.${op}`);
      if (list !== undefined) conditions[op] = readConditionParameters(list, `BackupSelection.Conditions.${op}`);
    }
    selection.Conditions = conditions;
  }
  const hasTarget =
    ((selection.Resources as string[] | undefined)?.length ?? 0) > 0 ||
    ((selection.ListOfTags as Json[] | undefined)?.length ?? 0) > 0 ||
    Object.values((selection.Conditions as Record<string, Json[]> | undefined) ?? {}).some((l) => l.length > 0);
  if (!hasTarget) throw invalidValue('Invalid value for BackupSelection: at least one of Resources, ListOfTags or Conditions must select resources');
  return selection;
}

export const createBackupSelection: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const selection = readSelection(ctx.body);
  const creatorRequestId = optString(ctx.body, 'CreatorRequestId');
  if (creatorRequestId !== undefined) {
    const same = Object.values(state.selections).find((s) => s.planId === plan.id && s.creatorRequestId === creatorRequestId);
    if (same) return { body: { SelectionId: same.id, BackupPlanId: plan.id, CreationDate: sec(same.creationDate) } };
  }
  const id = uuid();
  state.selections[id] = { id, planId: plan.id, creationDate: ctx.now, creatorRequestId, selection };
  return { mutated: true, body: { SelectionId: id, BackupPlanId: plan.id, CreationDate: sec(ctx.now) } };
};

function getSelection(state: Parameters<Handler>[1]['state'], planId: string, selectionId: string | undefined) {
  if (!selectionId) throw missingValue('SelectionId');
  const s = state.selections[selectionId];
  if (!s || s.planId !== planId) throw notFound(`Backup selection ${selectionId} not found in plan ${planId}`);
  return s;
}

export const getBackupSelection: Handler = (ctx, { state }) => {
  const planId = ctx.params.BackupPlanId;
  const plan = state.plans[planId];
  if (!plan || plan.deletionDate !== undefined) throw invalidValue(`Cannot find Backup plan with ID ${planId}`);
  const s = getSelection(state, planId, ctx.params.SelectionId);
  return {
    body: { BackupSelection: s.selection, SelectionId: s.id, BackupPlanId: s.planId, CreationDate: sec(s.creationDate), CreatorRequestId: s.creatorRequestId },
  };
};

export const deleteBackupSelection: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const s = getSelection(state, plan.id, ctx.params.SelectionId);
  delete state.selections[s.id];
  return { mutated: true };
};

export const listBackupSelections: Handler = (ctx, { state }) => {
  const plan = getPlan(state, ctx.params.BackupPlanId);
  const all = Object.values(state.selections)
    .filter((s) => s.planId === plan.id)
    .sort((a, b) => a.creationDate - b.creationDate);
  const { page, nextToken } = paginate(all, ctx.query);
  return {
    body: {
      BackupSelectionsList: page.map((s) => ({
        SelectionId: s.id,
        SelectionName: s.selection.SelectionName,
        BackupPlanId: s.planId,
        CreationDate: sec(s.creationDate),
        CreatorRequestId: s.creatorRequestId,
        IamRoleArn: s.selection.IamRoleArn,
      })),
      NextToken: nextToken,
    },
  };
};
