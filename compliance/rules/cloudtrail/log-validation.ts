import type { TrailFact } from '../../facts/types';
import { compliant, nonCompliant, Rule, unknownInput } from '../rule';

export const trailLogFileValidation: Rule<TrailFact> = {
  id: 'TS-CT-003',
  title: 'Trail log file validation is enabled',
  severity: 'error',
  controls: ['SecurityHub CloudTrail.4', 'CKV_AWS_36'],
  explanation: 'Digest files let an auditor prove that no log file was changed or removed after delivery.',
  appliesTo: 'trail',
  evaluate: (t) => {
    const unknown = unknownInput(t, 'logFileValidation');
    if (unknown) return unknown;
    return t.logFileValidation
      ? compliant(t, 'log file validation is enabled', 'enabled', 'enabled')
      : nonCompliant(t, 'log file validation is disabled', { expected: 'enabled', actual: 'disabled' }, 'set enable_log_file_validation = true');
  },
};
