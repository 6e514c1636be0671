/**
 * Which identity runs which phase of verify. By default each phase runs as the stack's role for it,
 * when the stack's outputs name that role: the auditor role for the live checks, the restore-drill
 * role for the drill (in every region the drill uses). That proves, on each run, that those roles
 * suffice, and a role that lacks a permission fails the run with AccessDenied naming it.
 * `asCaller` keeps every phase on the caller's own credentials.
 */
import { assumeRoleCredentials, sessionNameFor } from '../core/aws/assume-role';
import { createClients, type AwsClients, type ClientOptions } from '../core/aws/clients';
import type { StackOutputs } from '../core/outputs';

/** Clients per phase; a phase without its own runs with the caller's clients. */
export interface PhaseClients {
  readonly liveChecks?: AwsClients;
  readonly drill?: AwsClients;
}

export interface RoleClientsInput {
  readonly outputs: StackOutputs;
  /** The caller's clients; their STS client assumes the roles. */
  readonly caller: AwsClients;
  /** How the caller's clients were made (endpoint, retries); the roles' clients are made alike. */
  readonly clientOptions: ClientOptions & { readonly region: string };
  /** Carried in each session name (`tablesafe-drill-<runId>`), so CloudTrail ties the calls to the run. */
  readonly runId: string;
  /** Which phases run. @default both */
  readonly phases?: { readonly liveChecks: boolean; readonly drill: boolean };
  /** Run every phase as the caller. @default false */
  readonly asCaller?: boolean;
}

export interface RoleClients extends PhaseClients {
  /** The roles each phase assumes (for the log), by phase. */
  readonly roles: { readonly liveChecks?: string; readonly drill?: string };
  destroy(): void;
}

/** The clients each phase runs with; none of a role's credentials are fetched before first use. */
export function roleClients(input: RoleClientsInput): RoleClients {
  if (input.asCaller) return { roles: {}, destroy: () => undefined };
  const phases = input.phases ?? { liveChecks: true, drill: true };
  const as = (roleArn: string | undefined, phase: string): AwsClients | undefined => roleArn
    ? createClients({ ...input.clientOptions, credentials: assumeRoleCredentials(input.caller.sts, { roleArn, sessionName: sessionNameFor(phase, input.runId) }) })
    : undefined;
  const auditor = phases.liveChecks ? input.outputs.auditorRoleArn : undefined;
  const drillRole = phases.drill ? input.outputs.drillRoleArn : undefined;
  const liveChecks = as(auditor, 'audit');
  const drill = as(drillRole, 'drill');
  return {
    liveChecks,
    drill,
    roles: { liveChecks: auditor, drill: drillRole },
    destroy: () => {
      liveChecks?.destroy();
      drill?.destroy();
    },
  };
}
