import type { TrailFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';

export const trailMultiRegion: Rule<TrailFact> = {
  id: 'TS-CT-001',
  title: 'Trail logging management events is multi-region',
  severity: 'error',
  controls: ['SecurityHub CloudTrail.1', 'CKV_AWS_67'],
  explanation: 'A single-region trail misses API calls made in every other region, including a restore or a key deletion there.',
  appliesTo: 'trail',
  evaluate: (t) => {
    const unknownEvents = unknownInput(t, 'managementEvents');
    if (unknownEvents && !t.managementEvents) return unknownEvents;
    if (!t.managementEvents) return notApplicable(t, 'trail logs data events only; multi-region applies to the management-event trail');
    const unknown = unknownInput(t, 'multiRegion');
    if (unknown) return unknown;
    return t.multiRegion
      ? compliant(t, 'trail is multi-region', 'multi-region', 'multi-region')
      : nonCompliant(t, 'trail logs one region only', { expected: 'multi-region', actual: 'single-region' }, 'set is_multi_region_trail = true (AuditTrail is multi-region by default)');
  },
};
