/** The capability matrix as `tablesafe check --iam` prints it: one table per role. */
import type { CapabilityMatrix, MatrixRow } from './matrix';

const MARK: Record<string, string> = { allowed: 'allowed', 'implicitly denied': 'denied (implicit)', 'explicitly denied': 'DENIED (explicit)' };

function rowCells(r: MatrixRow): string[] {
  const what = r.kind === 'must-deny' ? r.capability : r.action;
  const context = r.context ? ` [${Object.entries(r.context).map(([k, v]) => `${k}=${v}`).join(', ')}]` : '';
  const resource = r.resource === 'platformRole' ? `platformRole(${r.arn.split('/').pop()})` : r.resource;
  return [r.ok ? 'ok' : 'OFF', r.kind, `${what}${context}`, resource, `${MARK[r.decision]}${r.statement ? ` by ${r.statement}` : ''}${r.handAsserted ? ' (ARN format asserted)' : ''}`];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** Plain-text tables, one per role, failures first; a summary line at the end. */
export function renderMatrixTable(matrix: CapabilityMatrix): string {
  if (matrix.status === 'unavailable') return `IAM capability matrix: not simulated: ${matrix.reason}\n  ${matrix.remedy}\n`;
  if (matrix.status === 'failed') return `IAM capability matrix: the simulation failed: ${matrix.code}: ${matrix.message}${matrix.remedy ? ` — ${matrix.remedy}` : ''}\n`;
  const out: string[] = [];
  for (const role of matrix.roles) {
    const rows = [...role.rows].sort((a, b) => Number(a.ok) - Number(b.ok) || a.kind.localeCompare(b.kind));
    out.push(`${role.role} (${role.roleName}): ${role.rows.length} capabilities, ${role.failures} off the matrix`);
    out.push(table([['', 'kind', 'capability', 'resource', 'decision'], ...rows.map(rowCells)]).replace(/^/gm, '  '));
    out.push('');
  }
  for (const n of matrix.notes) out.push(`note: ${n}`);
  const failures = matrix.roles.reduce((n, r) => n + r.failures, 0);
  out.push(`${matrix.roles.length} roles, ${matrix.roles.reduce((n, r) => n + r.rows.length, 0)} simulated (${matrix.simulator.package}, iam-data ${matrix.simulator.dataVersion}): ${failures === 0 ? 'every role matches its matrix' : `${failures} off the matrix`}`);
  return `${out.join('\n')}\n`;
}
