import type { ChangeFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';

const WHAT: Record<string, string> = {
  aws_dynamodb_table: 'the table and its point-in-time recovery history',
  aws_backup_vault: 'the vault and its recovery points',
  aws_kms_key: 'the key, and with it every table, recovery point and log encrypted with it (after the deletion window)',
};

export const planKeepsDataResources: Rule<ChangeFact> = {
  id: 'TS-PLAN-001',
  title: 'Plan deletes or replaces no DynamoDB table, backup vault or KMS key',
  severity: 'error',
  controls: ['tablesafe plan guard'],
  explanation: 'Deleting or replacing a table, a vault or a key loses the data, the recovery points or the means to decrypt them; such a change should be deliberate, reviewed and suppressed with a reason.',
  appliesTo: 'change',
  evaluate: (c) => {
    const actions = c.actions;
    const deletes = actions.includes('delete');
    const replace = deletes && actions.includes('create');
    if (actions.length === 1 && actions[0] === 'read') return notApplicable(c, 'data source read');
    const expected = 'create, update or no-op';
    if (!deletes) return compliant(c, `planned: ${actions.join(', ') || 'no change'}`, expected, actions.join(', ') || 'no-op');
    const verb = replace ? 'replaces' : 'destroys';
    const why = [c.reason ? `reason: ${c.reason}` : '', c.replacePaths?.length ? `forced by ${c.replacePaths.join(', ')}` : ''].filter(Boolean).join('; ');
    return nonCompliant(
      c,
      `the plan ${verb} ${c.id}: ${WHAT[c.resourceType] ?? 'the resource'} would be lost${why ? ` (${why})` : ''}`,
      { expected, actual: actions.join(', ') },
      replace
        ? 'change the plan so the resource is updated in place (revert the attribute that forces replacement), or suppress TS-PLAN-001 for it with the reason it is safe'
        : 'keep the resource in the configuration (or move it with a moved block), or suppress TS-PLAN-001 for it with the reason it is safe',
    );
  },
};
