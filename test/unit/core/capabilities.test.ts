/**
 * The must-allow lists are the calls the code makes: every `new XxxCommand(` a caller's sources
 * send is listed for that caller, every listed command is still sent, and every command sent in
 * verify/ and demo/ belongs to some caller.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CALLERS, capabilityKey, Caller, mustAllow, mustDeny, MUST_DENY, PLATFORM_ROLE_IDS } from '../../../core/capabilities';

const ROOT = path.resolve(__dirname, '../../..');
const COMMAND = /\bnew ([A-Z][A-Za-z0-9]*Command)\(/g;

function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!rel.endsWith('/')) return [rel];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(`${rel}${e.name}/`) : e.name.endsWith('.ts') ? [`${rel}${e.name}`] : []));
}

/** The text of `function name` in `file` (from its declaration to the next top-level declaration). */
function functionText(file: string, name: string): string {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const start = text.search(new RegExp(`^(export )?(async )?function ${name}\\b`, 'm'));
  if (start < 0) throw new Error(`${file} has no function ${name}`);
  const rest = text.slice(start + 1);
  const end = rest.search(/^(export |async |function |const |interface |type |class )/m);
  return end < 0 ? text.slice(start) : text.slice(start, start + 1 + end);
}

function sourceText(source: string): string[] {
  const [file, fn] = source.split('#');
  return fn ? [functionText(file, fn)] : filesUnder(file).map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
}

const commandsIn = (texts: string[]) => new Set(texts.flatMap((t) => [...t.matchAll(COMMAND)].map((m) => m[1])));
const commandsOf = (c: Caller) => commandsIn(c.sources.flatMap(sourceText));

describe.each(CALLERS.filter((c) => c.sources.length > 0).map((c) => [c.id, c] as const))('caller %s', (_id, caller) => {
  it('lists every command its sources send', () => {
    expect([...commandsOf(caller)].filter((cmd) => !(cmd in caller.calls))).toEqual([]);
  });

  it('lists no command its sources no longer send', () => {
    const sent = commandsOf(caller);
    expect(Object.keys(caller.calls).filter((cmd) => !sent.has(cmd))).toEqual([]);
  });
});

it('gives every command sent in verify/ and demo/ a caller', () => {
  const covered = new Set(CALLERS.flatMap((c) => [...commandsOf(c)]));
  const byFile = [...filesUnder('verify/'), ...filesUnder('demo/')].filter((f) => !f.startsWith('verify/report/'));
  const missing = byFile.flatMap((f) => [...commandsIn(sourceText(f))].filter((cmd) => !covered.has(cmd)).map((cmd) => `${f}: ${cmd}`));
  expect(missing).toEqual([]);
});

it('finds the calls the drill makes in its sources (the scan is not vacuous)', () => {
  const drill = CALLERS.find((c) => c.id === 'drill')!;
  expect([...commandsOf(drill)]).toEqual(expect.arrayContaining(['StartRestoreJobCommand', 'RestoreTableToPointInTimeCommand', 'DeleteTableCommand', 'DescribeRestoreJobCommand']));
});

it('gives every role a must-allow list and a must-deny list', () => {
  for (const role of PLATFORM_ROLE_IDS) {
    expect({ role, allow: mustAllow(role).length > 0, deny: mustDeny(role).length > 0 }).toEqual({ role, allow: true, deny: true });
  }
});

it('never asks a role to do what it must not do', () => {
  for (const role of PLATFORM_ROLE_IDS) {
    const allowed = new Set(mustAllow(role).map((a) => capabilityKey(a.capability)));
    expect({ role, conflicts: mustDeny(role).filter((f) => allowed.has(capabilityKey(f))).map((f) => f.id) }).toEqual({ role, conflicts: [] });
  }
});

it('keeps must-deny ids unique', () => {
  expect(new Set(MUST_DENY.map((f) => f.id)).size).toBe(MUST_DENY.length);
});

it('merges a capability two callers of one role need, naming both', () => {
  const scanSource = mustAllow('restoreDrill').find((a) => capabilityKey(a.capability) === 'dynamodb:Scan sourceTable');
  expect(scanSource?.callers).toEqual(['drill']);
  const writes = mustAllow('appWriter').filter((a) => a.capability.action === 'dynamodb:PutItem');
  expect(writes).toHaveLength(1);
});
