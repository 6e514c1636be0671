/**
 * Faults that tests register over `POST /_sandbox/faults`: request faults (the next N matching
 * calls fail with an AWS error or are delayed), job faults (the next backup, restore or copy job
 * fails or hangs; a copy job's region is its destination's, so `region: us-west-2` breaks copies
 * into the DR vault) and silent corruption (the next restore job, or the next point-in-time restore, loses
 * items). Job faults and corruption may name a `region` (a DR-region restore, say). The Backup
 * service reads the job kinds through {@link JobFaultSource}, point-in-time recovery through
 * `takePitrCorruption`.
 */
import { TablesafeError } from '../core/errors';
import type { CorruptionFault, FaultableJob, JobFault, JobFaultSource } from './types';

export interface RequestFault {
  readonly kind: 'request';
  readonly service: string;
  /** Operation name; `*` matches every operation of the service. @default '*' */
  readonly operation: string;
  /** AWS error code; when absent the call is only delayed. */
  readonly error?: string;
  /** @default 400 */
  readonly status: number;
  /** @default `Injected fault: <error>` */
  readonly message: string;
  /** @default 0 */
  readonly delayMs: number;
  remaining: number;
}

export interface JobFaultEntry extends JobFault {
  readonly kind: 'job';
  remaining: number;
}

export interface CorruptionEntry extends CorruptionFault {
  readonly kind: 'corruption';
  /** `recoveryPoint`: the next restore job; `pitr`: the next point-in-time restore. */
  readonly target: 'recoveryPoint' | 'pitr';
  remaining: number;
}

export type Fault = RequestFault | JobFaultEntry | CorruptionEntry;

/** A fault posted to the control endpoint that breaks a rule; the front door answers 400 ValidationException. */
export const FAULT_INVALID = 'TS_E_FAULT_INVALID';

function need(cond: boolean, field: string, value: unknown, rule: string): void {
  // JSON, as the control endpoint received it (an absent field prints as undefined).
  if (!cond) throw new TablesafeError(FAULT_INVALID, `${field}: ${JSON.stringify(value)} is invalid: ${rule}`, undefined, { field });
}

function countOf(input: Record<string, unknown>): number {
  const count = input.count ?? 1;
  need(Number.isInteger(count) && (count as number) >= 1, 'count', count, 'must be an integer >= 1 (default 1)');
  return count as number;
}

/** Validates one fault as posted; throws a TablesafeError (FAULT_INVALID) naming the field, value and rule. */
export function parseFault(input: unknown): Fault {
  need(typeof input === 'object' && input !== null && !Array.isArray(input), 'fault', input, 'must be a JSON object');
  const f = input as Record<string, unknown>;
  const region = f.region;
  need(region === undefined || (typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region)), 'region', region, 'must be a region name such as us-west-2 (default: any region)');
  const where = region === undefined ? {} : { region: region as string };
  for (const target of ['recoveryPoint', 'pitr'] as const) {
    if (f[target] === undefined) continue;
    need(f[target] === 'corrupt', target, f[target], 'must be "corrupt"');
    const dropItems = f.dropItems ?? 1;
    need(Number.isInteger(dropItems) && (dropItems as number) >= 1, 'dropItems', dropItems, 'must be an integer >= 1 (default 1)');
    return { kind: 'corruption', target, dropItems: dropItems as number, ...where, remaining: countOf(f) };
  }
  if (f.job !== undefined) {
    need(f.job === 'backup' || f.job === 'restore' || f.job === 'copy', 'job', f.job, 'must be "backup", "restore" or "copy"');
    need(f.outcome === 'FAILED' || f.outcome === 'HANG', 'outcome', f.outcome, 'must be "FAILED" or "HANG"');
    need(f.message === undefined || typeof f.message === 'string', 'message', f.message, 'must be a string');
    return {
      kind: 'job',
      job: f.job as FaultableJob,
      outcome: f.outcome as 'FAILED' | 'HANG',
      message: (f.message as string | undefined) ?? `Injected ${f.job} job failure`,
      ...where,
      remaining: countOf(f),
    };
  }
  need(typeof f.service === 'string' && f.service.length > 0, 'service', f.service, 'must name a service (e.g. "dynamodb"), or use "job", "recoveryPoint" or "pitr" for job faults');
  const operation = f.operation ?? '*';
  need(typeof operation === 'string' && operation.length > 0, 'operation', operation, 'must be an operation name or "*"');
  need(f.error === undefined || (typeof f.error === 'string' && /^[A-Za-z][\w.]*$/.test(f.error)), 'error', f.error, 'must be an AWS error code such as "ThrottlingException"');
  const status = f.status ?? 400;
  need(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599, 'status', status, 'must be an HTTP error status 400-599 (default 400)');
  const delayMs = f.delayMs ?? 0;
  need(Number.isInteger(delayMs) && (delayMs as number) >= 0 && (delayMs as number) <= 600_000, 'delayMs', delayMs, 'must be an integer 0-600000 (default 0)');
  need(f.error !== undefined || (delayMs as number) > 0, 'error', f.error, 'give an error code, a delayMs > 0, or both');
  need(f.message === undefined || typeof f.message === 'string', 'message', f.message, 'must be a string');
  return {
    kind: 'request',
    service: f.service as string,
    operation: operation as string,
    error: f.error as string | undefined,
    status: status as number,
    message: (f.message as string | undefined) ?? `Injected fault: ${f.error ?? 'delay'}`,
    delayMs: delayMs as number,
    remaining: countOf(f),
  };
}

/** Whether a fault scoped to `region` (or to none) applies in `region`. */
const inRegion = (f: { region?: string }, region: string | undefined): boolean => f.region === undefined || region === undefined || f.region === region;

export class FaultRegistry implements JobFaultSource {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  list(): ReadonlyArray<Fault> {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes one count of the first request fault matching this call. */
  takeRequestFault(service: string, operation: string | undefined): RequestFault | undefined {
    const hit = this.faults.find(
      (f): f is RequestFault => f.kind === 'request' && f.service === service && (f.operation === '*' || f.operation === operation),
    );
    return hit ? this.consume(hit) : undefined;
  }

  takeJobFault(job: FaultableJob, region?: string): JobFault | undefined {
    const hit = this.faults.find((f): f is JobFaultEntry => f.kind === 'job' && f.job === job && f.remaining > 0 && inRegion(f, region));
    if (!hit) return undefined;
    // A HANG stays registered (its count is kept) until cleared, so isHangCleared can watch it.
    if (hit.outcome === 'HANG') {
      hit.remaining -= 1;
      return { job: hit.job, outcome: hit.outcome, message: hit.message };
    }
    const taken = this.consume(hit);
    return { job: taken.job, outcome: taken.outcome, message: taken.message };
  }

  takeCorruption(region?: string): CorruptionFault | undefined {
    const hit = this.faults.find((f): f is CorruptionEntry => f.kind === 'corruption' && f.target === 'recoveryPoint' && inRegion(f, region));
    return hit ? { dropItems: this.consume(hit).dropItems } : undefined;
  }

  /** Items the next point-in-time restore in `region` drops (see sandbox/pitr.ts). */
  takePitrCorruption(region: string): number | undefined {
    const hit = this.faults.find((f): f is CorruptionEntry => f.kind === 'corruption' && f.target === 'pitr' && inRegion(f, region));
    return hit ? this.consume(hit).dropItems : undefined;
  }

  isHangCleared(job: FaultableJob): boolean {
    return !this.faults.some((f) => f.kind === 'job' && f.job === job && f.outcome === 'HANG');
  }

  private consume<F extends Fault>(fault: F): F {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}
