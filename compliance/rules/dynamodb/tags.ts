import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isScratchTable, list } from '../match';

export const tableTagged: Rule<TableFact> = {
  id: 'TS-DDB-006',
  title: 'Table carries the required tags',
  severity: 'warning',
  controls: ['SecurityHub DynamoDB.5'],
  explanation: 'Tags name the owner, environment and data class of a table; cost, access and incident tooling rely on them.',
  appliesTo: 'table',
  evaluate: (t, facts) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: tagged by the drill itself');
    const required = facts.requirements.requiredTags;
    if (required.length === 0) return notApplicable(t, 'the environment requires no tags');
    const missing = required.filter((k) => !(k in t.tags) || t.tags[k] === '');
    const expected = `tags ${list(required, 20)}`;
    if (missing.length > 0) {
      const unknown = unknownInput(t, 'tags');
      if (unknown) return unknown;
    }
    return missing.length === 0
      ? compliant(t, 'carries every required tag', expected, expected)
      : nonCompliant(t, `missing tags: ${list(missing)}`, { expected, actual: `missing ${list(missing, 20)}` }, 'add the missing tags to the table (or to the provider default_tags)');
  },
};
