/**
 * Widening guard: every DynamoDB, KMS, Backup, IAM, S3, STS and CloudTrail action from iam-data,
 * simulated for each prod role against each of the stack's resources of a type the action takes.
 * What is not implicitly denied is kept in test/fixtures/iam-matrix/prod.enumerated.json; a
 * capability that appears (a widening), disappears or changes its deciding statement fails here
 * until the file is regenerated on purpose:
 *
 *   TABLESAFE_UPDATE_IAM_SNAPSHOT=1 npx jest test/unit/compliance/iam/matrix-snapshot.test.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { PLATFORM_ROLE_IDS, PlatformRoleId } from '../../../../core/capabilities';
import { iamDocumentsFromTerraform } from '../../../../compliance/iam/documents';
import { ENUMERATED_SERVICES, EnumeratedDecision, enumerateRole } from '../../../../compliance/iam/matrix';
import { loadIamSimulator } from '../../../../compliance/iam/simulator';
import { prod } from '../../../../stacks/config';
import { PlatformStack } from '../../../../stacks/platform-stack';

const FILE = path.resolve(__dirname, '../../../fixtures/iam-matrix/prod.enumerated.json');
const UPDATE = process.env.TABLESAFE_UPDATE_IAM_SNAPSHOT === '1';

interface Snapshot {
  readonly schema: 'tablesafe.iam-matrix-snapshot/1';
  readonly stack: string;
  readonly services: readonly string[];
  readonly simulations: Record<string, number>;
  /** Per role: `action resource` → `allowed by <statement>` / `explicitly denied by <statement>`. */
  readonly roles: Record<string, Record<string, string>>;
}

const key = (d: EnumeratedDecision) => `${d.action} ${d.resource}${d.resource === 'platformRole' ? `(${d.arn.split('/').pop()})` : ''}`;

let decisions: Record<PlatformRoleId, EnumeratedDecision[]>;
let current: Snapshot;
beforeAll(async () => {
  const simulator = await loadIamSimulator();
  const docs = iamDocumentsFromTerraform(JSON.parse(Testing.synth(new PlatformStack(Testing.app(), prod, { env: {} }))));
  decisions = {} as Record<PlatformRoleId, EnumeratedDecision[]>;
  for (const id of PLATFORM_ROLE_IDS) decisions[id] = await enumerateRole(simulator, docs, id);
  const roles: Snapshot['roles'] = {};
  for (const id of PLATFORM_ROLE_IDS) {
    const kept = decisions[id].filter((d) => d.decision !== 'implicitly denied').map((d) => [key(d), `${d.decision}${d.statement ? ` by ${d.statement}` : ''}`] as const);
    roles[id] = Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b)));
  }
  current = { schema: 'tablesafe.iam-matrix-snapshot/1', stack: 'prod', services: [...ENUMERATED_SERVICES], simulations: Object.fromEntries(PLATFORM_ROLE_IDS.map((id) => [id, decisions[id].length])), roles };
  if (UPDATE) fs.writeFileSync(FILE, `${JSON.stringify(current, null, 2)}\n`);
}, 120_000);

it('simulates every action of the enumerated services for every role (thousands of requests)', () => {
  const total = Object.values(current.simulations).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(4000);
  for (const id of PLATFORM_ROLE_IDS) expect(new Set(decisions[id].map((d) => d.action.split(':')[0]))).toEqual(new Set(ENUMERATED_SERVICES));
});

it('matches the committed enumeration: nothing widened, narrowed or decided by another statement', () => {
  const saved = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Snapshot;
  const diff = (role: string) => {
    const was = saved.roles[role] ?? {};
    const now = current.roles[role];
    return {
      role,
      widened: Object.keys(now).filter((k) => now[k].startsWith('allowed') && !was[k]?.startsWith('allowed')),
      narrowed: Object.keys(was).filter((k) => was[k].startsWith('allowed') && !now[k]?.startsWith('allowed')),
      changed: Object.keys(now).filter((k) => was[k] !== undefined && was[k] !== now[k]),
      denies: Object.keys({ ...was, ...now }).filter((k) => (was[k] ?? '').startsWith('explicitly') !== (now[k] ?? '').startsWith('explicitly')),
    };
  };
  // On purpose: TABLESAFE_UPDATE_IAM_SNAPSHOT=1 npx jest test/unit/compliance/iam/matrix-snapshot.test.ts
  expect(PLATFORM_ROLE_IDS.map(diff)).toEqual(PLATFORM_ROLE_IDS.map((role) => ({ role, widened: [], narrowed: [], changed: [], denies: [] })));
});

it('allows no role to delete or rewrite the source table, recovery points, the vault policy or lock, or the trail', () => {
  const destructive = /^(dynamodb:(DeleteTable|UpdateTable|UpdateContinuousBackups) sourceTable|backup:(DeleteRecoveryPoint|DeleteBackupVault\w*|PutBackupVaultAccessPolicy|PutBackupVaultLockConfiguration|DeleteBackupPlan)|cloudtrail:(StopLogging|DeleteTrail|PutEventSelectors|UpdateTrail) |kms:(ScheduleKeyDeletion|PutKeyPolicy|DisableKey) )/;
  const allowed = PLATFORM_ROLE_IDS.flatMap((id) => Object.entries(current.roles[id]).filter(([k, v]) => v.startsWith('allowed') && destructive.test(k)).map(([k]) => `${id}: ${k}`));
  expect(allowed).toEqual([]);
});

it('lets only the auditor read the trail bucket, and no role read its log objects', () => {
  const readers = PLATFORM_ROLE_IDS.filter((id) => Object.entries(current.roles[id]).some(([k, v]) => v.startsWith('allowed') && /^s3:Get\w+ trailBucket$/.test(k)));
  expect(readers).toEqual(['auditor']);
  const objectReaders = PLATFORM_ROLE_IDS.filter((id) => Object.entries(current.roles[id]).some(([k, v]) => v.startsWith('allowed') && /^s3:GetObject\w* trailObject$/.test(k)));
  expect(objectReaders).toEqual([]);
});

it("touches no other table's data or backups, except AWS Backup's managed restore permissions", () => {
  const other = PLATFORM_ROLE_IDS.filter((id) => id !== 'backup').flatMap((id) => Object.entries(current.roles[id]).filter(([k, v]) => v.startsWith('allowed') && / other(Table|TableBackup|RecoveryPoint|Key|Role)\b/.test(k)).map(([k]) => `${id}: ${k}`));
  expect(other).toEqual([]);
});
