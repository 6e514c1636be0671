import type { SandboxRequest } from '../types';
import type { Json } from './input';
import type { BackupState } from './state';
import type { BackupStore } from './store';
import type { JobRunner } from './jobs/runner';
import type { AccountLookup, DynamoDbCaller, JobFaultSource } from '../types';

/** One request, parsed. */
export interface Ctx {
  readonly req: SandboxRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Json;
  readonly query: URLSearchParams;
  readonly region: string;
  readonly accountId: string;
  readonly now: number;
}

/** What handlers work with: the state, its store and the job engine. */
export interface Deps {
  readonly state: BackupState;
  readonly store: BackupStore;
  readonly jobs: JobRunner;
  readonly dynamodb: DynamoDbCaller;
  readonly account: AccountLookup;
  readonly faults: JobFaultSource;
}

export interface HandlerResult {
  /** Response body; omitted for operations whose output is empty. */
  readonly body?: Record<string, unknown>;
  /** True when the handler changed state: the answer waits until it is on disk. */
  readonly mutated?: boolean;
}

export type Handler = (ctx: Ctx, deps: Deps) => HandlerResult | Promise<HandlerResult>;

/** restJson1 timestamps are epoch seconds (fractions allowed). */
export const sec = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);
