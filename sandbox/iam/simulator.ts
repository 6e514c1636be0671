/**
 * The IAM policy evaluator behind `--enforce-iam`: the same wrapper the synth-time capability
 * matrix uses (compliance/iam), so run time and synth time decide alike. The evaluator
 * (`@cloud-copilot/iam-simulate`, AGPL-3.0) is not shipped with tablesafe: it is loaded only when
 * installed, and starting without it fails with TS_E_IAM_SIMULATOR_MISSING saying what to install.
 */
import { loadIamSimulator, type IamPolicyDocument, type IamSimulator, type LoadIamSimulatorOptions } from '../../compliance/iam/simulator';

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
  /** Throws when the question cannot be evaluated as asked (invalid policy, unknown action, ...). */
  decide(question: AuthorizationQuestion): Promise<Decision>;
  /** Whether IAM knows `service:Action`, and whether the action has no resource-level permissions. */
  action(action: string): Promise<{ readonly exists: boolean; readonly wildcardOnly: boolean }>;
}

const DECISIONS = { allowed: 'Allowed', 'implicitly denied': 'ImplicitlyDenied', 'explicitly denied': 'ExplicitlyDenied' } as const;

/** The enforcer's view of the shared wrapper. */
export function policySimulatorOf(simulator: IamSimulator): PolicySimulator {
  const doc = (d: PolicyDocument) => d as unknown as IamPolicyDocument;
  const actions = new Map<string, Promise<{ exists: boolean; wildcardOnly: boolean }>>();
  return {
    action(action) {
      let known = actions.get(action);
      if (!known) {
        known = (async () => {
          const exists = await simulator.actionExists(action);
          return { exists, wildcardOnly: exists && (await simulator.isWildcardOnly(action)) };
        })();
        actions.set(action, known);
      }
      return known;
    },
    async decide(q) {
      const result = await simulator.simulate({
        principal: q.principal,
        action: q.action,
        resource: q.resource,
        resourceAccount: q.accountId,
        context: q.context,
        identityPolicies: q.identityPolicies.map((p) => ({ name: p.name, document: doc(p.document) })),
        ...(q.resourcePolicy ? { resourcePolicy: { name: 'resource-policy', document: doc(q.resourcePolicy) } } : {}),
        ...(q.permissionsBoundary ? { permissionBoundaries: [{ name: 'permissions-boundary', document: doc(q.permissionsBoundary) }] } : {}),
      });
      return DECISIONS[result.decision];
    },
  };
}

/** Loads the evaluator; rejects with TS_E_IAM_SIMULATOR_MISSING (what to install) when it is not installed. */
export async function loadPolicySimulator(options?: LoadIamSimulatorOptions): Promise<PolicySimulator> {
  return policySimulatorOf(await loadIamSimulator(options));
}
