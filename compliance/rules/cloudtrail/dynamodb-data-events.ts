import type { TableFact, TrailFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';
import { dataEventCovers, list } from '../match';

/** A platform table known only by name (not in these facts) is matched on its name. */
function tableByName(name: string, tables: readonly TableFact[]): TableFact {
  return tables.find((t) => t.name === name) ?? ({ kind: 'table', id: name, name, refs: [], tags: {} } as unknown as TableFact);
}

export const trailDynamoDbDataEvents: Rule<TrailFact> = {
  id: 'TS-CT-004',
  title: 'DynamoDB data events are logged for every platform table',
  severity: 'error',
  controls: ['CloudTrail data events: AWS::DynamoDB::Table'],
  explanation: 'Management events do not show who read or wrote an item; data events do, and an incident on a table needs them. Any trail in scope may provide them.',
  appliesTo: 'trail',
  evaluate: (t, facts) => {
    const platform = facts.requirements.platformTables;
    if (platform.length === 0) return notApplicable(t, 'the environment names no platform tables');
    const missing = platform.filter((name) => {
      const table = tableByName(name, facts.tables);
      return !facts.trails.some((trail) => trail.dynamoDbDataEventTables.some((e) => dataEventCovers(e, table)));
    });
    const expected = `data events for ${list(platform, 20)}`;
    return missing.length === 0
      ? compliant(t, 'every platform table has data events logged', expected, `covered: ${list(platform, 20)}`)
      : nonCompliant(
          t,
          `no trail logs DynamoDB data events for ${list(missing)}`,
          { expected, actual: `not covered: ${list(missing, 20)}` },
          'add an advanced_event_selector with eventCategory = Data, resources.type = AWS::DynamoDB::Table and the table ARNs (AuditTrail dataEventTables)',
        );
  },
};
