import { invalidValue, missingValue, notFound } from '../errors';
import { optStringList, optStringMap } from '../input';
import { paginate } from '../paging';
import type { BackupState } from '../state';
import type { Ctx, Handler } from '../context';

/** Tags live on vaults, plans and recovery points, keyed by ARN, exactly as given (no derived `Name`). */
function taggable(state: BackupState, ctx: Ctx): string {
  const arn = ctx.params.ResourceArn;
  if (!arn) throw missingValue('ResourceArn');
  const known =
    Object.values(state.vaults).some((v) => v.arn === arn) ||
    Object.values(state.plans).some((p) => p.arn === arn && p.deletionDate === undefined) ||
    state.recoveryPoints[arn] !== undefined;
  if (!known) throw notFound(`Resource ${arn} not found`);
  return arn;
}

export const listTags: Handler = (ctx, { state }) => {
  const arn = taggable(state, ctx);
  const entries = Object.entries(state.tags[arn] ?? {});
  const { page, nextToken } = paginate(entries, ctx.query);
  return { body: { Tags: Object.fromEntries(page), NextToken: nextToken } };
};

export const tagResource: Handler = (ctx, { state }) => {
  const arn = taggable(state, ctx);
  const tags = optStringMap(ctx.body, 'Tags');
  if (tags === undefined) throw missingValue('Tags');
  for (const key of Object.keys(tags)) {
    if (key.length === 0 || key.length > 128) throw invalidValue(`Invalid value for Tags: key ${JSON.stringify(key)} must be 1-128 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw invalidValue(`Invalid value for Tags: key ${JSON.stringify(key)} uses the reserved aws: prefix`);
  }
  state.tags[arn] = { ...(state.tags[arn] ?? {}), ...tags };
  return { mutated: true };
};

export const untagResource: Handler = (ctx, { state }) => {
  const arn = taggable(state, ctx);
  const keys = optStringList(ctx.body, 'TagKeyList');
  if (keys === undefined) throw missingValue('TagKeyList');
  const current = { ...(state.tags[arn] ?? {}) };
  for (const k of keys) delete current[k];
  state.tags[arn] = current;
  return { mutated: true };
};
