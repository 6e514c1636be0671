import type { FactSet, TableFact, TrailFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding } from '../rule';
import { designatesTable, list } from '../match';

/** A platform table known only by name (not in these facts) is matched on its name. */
function tableByName(name: string, tables: readonly TableFact[]): TableFact {
  return tables.find((t) => t.name === name) ?? ({ kind: 'table', id: name, name, refs: [], tags: {} } as unknown as TableFact);
}

interface Coverage {
  readonly missing: string[];
  readonly unknown: string[];
}

const COVERAGE = new WeakMap<FactSet, Coverage>();

/** Which platform tables no trail in scope logs data events for (computed once per FactSet). */
function coverage(facts: FactSet): Coverage {
  let c = COVERAGE.get(facts);
  if (c) return c;
  const missing: string[] = [];
  const unknown: string[] = [];
  const unknownTrails = facts.trails.filter((t) => t.unknown?.includes('dataEvents'));
  for (const name of facts.requirements.platformTables) {
    const table = tableByName(name, facts.tables);
    let verdict: 'yes' | 'no' | 'unknown' = 'no';
    for (const trail of facts.trails) {
      for (const e of trail.dynamoDbDataEventTables) {
        const d = designatesTable(e, table);
        if (d === 'yes') verdict = 'yes';
        else if (d === 'unknown' && verdict === 'no') verdict = 'unknown';
        if (verdict === 'yes') break;
      }
      if (verdict === 'yes') break;
    }
    if (verdict === 'no' && unknownTrails.length) verdict = 'unknown';
    if (verdict === 'no') missing.push(name);
    else if (verdict === 'unknown') unknown.push(name);
  }
  c = { missing, unknown };
  COVERAGE.set(facts, c);
  return c;
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
    const { missing, unknown } = coverage(facts);
    const expected = `data events for ${list(platform, 20)}`;
    if (missing.length > 0) {
      return nonCompliant(
        t,
        `no trail logs DynamoDB data events for ${list(missing)}`,
        { expected, actual: `not covered: ${list(missing, 20)}` },
        'add an advanced_event_selector with eventCategory = Data, resources.type = AWS::DynamoDB::Table and the table ARNs (AuditTrail dataEventTables)',
      );
    }
    if (unknown.length > 0) {
      const why = facts.trails.filter((x) => x.unknown?.includes('dataEvents')).map((x) => `${x.id}: ${x.unknownExpressions?.dataEvents ?? 'event selectors not known'}`);
      return unknownFinding(t, [`data events for ${list(unknown)}`, ...why.slice(0, 2)]);
    }
    return compliant(t, 'every platform table has data events logged', expected, `covered: ${list(platform, 20)}`);
  },
};
