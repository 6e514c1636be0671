/**
 * Names the operation of a restJson1 request (AWS Backup) from method + path, using the HTTP
 * bindings in the SDK client's operation schemas, so request faults can target e.g.
 * `StartRestoreJob` without the front door knowing Backup's routes.
 */
const PACKAGES: Record<string, string> = { backup: '@aws-sdk/client-backup' };

interface Binding {
  readonly method: string;
  readonly pattern: RegExp;
  readonly literal: number;
  readonly name: string;
}

const cache = new Map<string, Binding[]>();

function bindingsOf(service: string): Binding[] {
  const cached = cache.get(service);
  if (cached) return cached;
  const bindings: Binding[] = [];
  const pkg = PACKAGES[service];
  if (pkg) {
    const model = require(pkg) as Record<string, unknown>;
    for (const [key, value] of Object.entries(model)) {
      // Operation schemas are exported as `<Operation>$ = [9, namespace, name, traits, …]`.
      if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const http = (value[3] as { http?: [string, string, number] } | undefined)?.http;
      if (!http) continue;
      const uri = http[1].split('?')[0];
      const escaped = uri.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
      bindings.push({
        method: http[0],
        pattern: new RegExp(`^${escaped.join('[^/]+')}/?$`),
        literal: escaped.join('').length,
        name: key.slice(0, -1),
      });
    }
    // A literal segment beats a label in the same place (`/plans/templates` before `/plans/{id}`).
    bindings.sort((a, b) => b.literal - a.literal);
  }
  cache.set(service, bindings);
  return bindings;
}

export function restJsonOperationOf(service: string, method: string, path: string): string | undefined {
  return bindingsOf(service).find((b) => b.method === method && b.pattern.test(path))?.name;
}
