import type { Suppression } from '../../core/contract';
import { TablesafeError } from '../../core/errors';
import { ruleById } from './index';
import type { FindingResource } from './rule';

export type { Suppression };

export const MIN_REASON_LENGTH = 10;

/** Problems with the suppressions themselves: each is an error that fails the run. */
export function validateSuppressions(suppressions: readonly Suppression[]): string[] {
  const problems: string[] = [];
  suppressions.forEach((s, i) => {
    const where = `suppressions[${i}]`;
    if (typeof s !== 'object' || s === null) {
      problems.push(`${where} must be an object { ruleId, resource, reason }`);
      return;
    }
    // ruleById answers undefined for anything but a known id, a non-string from a JSON file included.
    if (!ruleById(s.ruleId)) problems.push(`${where}.ruleId ${JSON.stringify(s.ruleId)} is not a known rule id`);
    if (typeof s.resource !== 'string' || s.resource.trim() === '') problems.push(`${where}.resource ${JSON.stringify(s.resource)} must name a resource (id, name, construct path or *)`);
    const reason = typeof s.reason === 'string' ? s.reason.trim() : '';
    if (reason.length < MIN_REASON_LENGTH) {
      problems.push(`${where}.reason ${JSON.stringify(s.reason)} for ${s.ruleId} must explain the exception in at least ${MIN_REASON_LENGTH} characters`);
    }
  });
  return problems;
}

/** Throws TS_E_SUPPRESSION_INVALID listing every invalid suppression. */
export function assertValidSuppressions(suppressions: readonly Suppression[]): void {
  const problems = validateSuppressions(suppressions);
  if (problems.length > 0) {
    throw new TablesafeError(
      'TS_E_SUPPRESSION_INVALID',
      `${problems.length} invalid suppression(s):\n  ${problems.join('\n  ')}`,
      `give every suppression a known ruleId, a resource and a reason of at least ${MIN_REASON_LENGTH} characters`,
    );
  }
}

export function suppressionMatches(s: Suppression, ruleId: string, r: FindingResource): boolean {
  if (s.ruleId !== ruleId) return false;
  if (s.resource === '*' || s.resource === r.id || s.resource === r.name) return true;
  return r.path !== undefined && (r.path === s.resource || r.path.startsWith(`${s.resource}/`));
}
