import { invalidValue } from './errors';
import { optBool, optInt, optObject, type Json } from './input';
import type { Lifecycle } from './state';

/**
 * Reads and validates a Lifecycle member. AWS's rule: a recovery point moved to cold storage must
 * stay there at least 90 days, so DeleteAfterDays ≥ MoveToColdStorageAfterDays + 90.
 */
export function readLifecycle(obj: Json, field: string, path: string): Lifecycle | undefined {
  const raw = optObject(obj, field, path);
  if (raw === undefined) return undefined;
  const move = optInt(raw, 'MoveToColdStorageAfterDays', `${path}.MoveToColdStorageAfterDays`, 1);
  const del = optInt(raw, 'DeleteAfterDays', `${path}.DeleteAfterDays`, 1);
  const optIn = optBool(raw, 'OptInToArchiveForSupportedResources', `${path}.OptInToArchiveForSupportedResources`);
  if (move !== undefined && del !== undefined && del < move + 90) {
    throw invalidValue(
      `Invalid value for ${path}: DeleteAfterDays (${del}) must be at least 90 days more than MoveToColdStorageAfterDays (${move})`,
    );
  }
  const out: Lifecycle = {};
  if (move !== undefined) out.MoveToColdStorageAfterDays = move;
  if (del !== undefined) out.DeleteAfterDays = del;
  if (optIn !== undefined) out.OptInToArchiveForSupportedResources = optIn;
  return out;
}

const DAY = 86_400_000;

export function calculatedLifecycle(lifecycle: Lifecycle | undefined, creation: number): Record<string, number> | undefined {
  if (!lifecycle) return undefined;
  const out: Record<string, number> = {};
  if (lifecycle.MoveToColdStorageAfterDays !== undefined) out.MoveToColdStorageAt = (creation + lifecycle.MoveToColdStorageAfterDays * DAY) / 1000;
  if (lifecycle.DeleteAfterDays !== undefined) out.DeleteAt = (creation + lifecycle.DeleteAfterDays * DAY) / 1000;
  return Object.keys(out).length ? out : undefined;
}
