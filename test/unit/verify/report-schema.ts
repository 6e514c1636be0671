/** The shipped report.json schema, compiled by a draft 2020-12 validator that asserts formats, as an auditor's would. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
// ajv is in node_modules as a test-only transitive dependency; shipped code never loads it.
import Ajv2020 from 'ajv/dist/2020';

export const reportSchema = JSON.parse(readFileSync(path.join(__dirname, '../../../verify/report/report.schema.json'), 'utf8'));

function compile() {
  // strictSchema on (an unknown keyword is an error); strictRequired/strictTypes off: they flag valid conditionals.
  const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictRequired: false, strictTypes: false });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile(reportSchema);
}

export const validateReport = compile();

/** `/path message` per violation; empty when the document validates. */
export const schemaErrors = (doc: unknown): string[] => (validateReport(JSON.parse(JSON.stringify(doc))) ? [] : (validateReport.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
