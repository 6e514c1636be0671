/**
 * The front door: one HTTP listener on 127.0.0.1 that routes each AWS request by its SigV4
 * credential scope — `backup` to our Backup service, everything else to moto — and around that
 * applies faults, fixes, the journal and (optionally) signature checks.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { authError, credentialProblem, failureOf, guessService } from './auth';
import { scopeOnlyAuthorization, xmlText } from './fix-kit';
import { findFix, type FixState } from './fixes';
import { endToEndHeaders, readAll, type BufferedResponse, type ForwardRequest, type MotoLink, type StreamedResponse } from './forward';
import { isTablesafeError } from '../core/errors';
import { FAULT_INVALID, parseFault, type FaultRegistry } from './faults';
import { Gate, WriteOrder, type WriteScope } from './gate';
import type { IamEnforcer } from './iam/enforcer';
import type { Journal, JournalEntry } from './journal';
import type { PointInTime } from './pitr';
import {
  DEFAULT_SCOPE, isMutating, malformedBodyCode, namesAwsManagedKey, needsDeterministicIds, operationOf, parseCredentialScope, protocolOf,
  renderError, unknownOperationCode, type AwsError, type Protocol,
} from './protocol';
import { verifySigV4, type KeyPair } from './sigv4';
import { isManagementWrite, type RecordedCall, type TrailEvents } from './trail-events';
import { roleFromGetRole, roleNameOf } from './trust';
import type { AccountLookup, BackupService, DynamoDbCaller } from './types';

/** moto's default account; every sandbox resource lives in it. */
export const SANDBOX_ACCOUNT_ID = '123456789012';
/** Larger request bodies are refused (S3 objects in tests are small; DynamoDB items are ≤ 400 KB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** One classified AWS call. */
export interface Call {
  readonly service: string;
  readonly region: string;
  readonly protocol: Protocol;
  readonly operation?: string;
  readonly mutating: boolean;
  /** From the credential scope; moto picks the account by it. */
  readonly accessKeyId: string;
  readonly request: ForwardRequest;
}

type Outcome = BufferedResponse | StreamedResponse;
const isStreamed = (o: Outcome): o is StreamedResponse => 'stream' in o;

export interface FrontDoorOptions {
  readonly moto: MotoLink;
  readonly faults: FaultRegistry;
  readonly fixState: FixState;
  /** When absent nothing is journaled (state lives only as long as moto). */
  readonly journal?: Journal;
  readonly strictAuth?: KeyPair;
  /** CloudTrail event history: successful management writes are recorded, LookupEvents reads them. @default none */
  readonly trail?: TrailEvents;
  /**
   * Our AWS Backup. It calls DynamoDB through this front door, so it is attached after the door
   * exists (and after replay), before the door serves any request.
   */
  backup?: BackupService;
  /** DynamoDB point-in-time recovery (sandbox/pitr.ts). @default moto's own (current contents) */
  readonly pitr?: PointInTime;
  /**
   * IAM enforcement (`--enforce-iam`): calls made with assumed-role credentials are authorized
   * against the role's policies as applied. @default none: every call is allowed, as moto does
   */
  readonly enforcer?: IamEnforcer;
  readonly log: (line: string) => void;
}

export { scopeOnlyAuthorization };

/** Headers worth keeping in the journal: what moto needs to understand the call again. */
function journalHeaders(call: Call): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.request.headers)) {
    if (name === 'authorization' || name === 'x-amz-security-token' || name === 'x-amz-date' || name === 'content-length' || name === 'user-agent') continue;
    if (name === 'host' || name === 'content-type' || name === 'content-md5' || name.startsWith('x-amz-')) out[name] = value;
  }
  if (call.service !== 'unsigned') out.authorization = scopeOnlyAuthorization(call.region, call.service);
  return out;
}

const SDK_PACKAGES: Record<string, string> = {
  dynamodb: '@aws-sdk/client-dynamodb',
  kms: '@aws-sdk/client-kms',
  iam: '@aws-sdk/client-iam',
  sts: '@aws-sdk/client-sts',
  cloudtrail: '@aws-sdk/client-cloudtrail',
  s3: '@aws-sdk/client-s3',
  sns: '@aws-sdk/client-sns',
  'application-autoscaling': '@aws-sdk/client-application-auto-scaling',
};

/** Whether AWS has this operation at all, per the SDK's command list; undefined when we cannot tell. */
export function isKnownOperation(service: string, operation: string | undefined): boolean | undefined {
  const pkg = SDK_PACKAGES[service];
  if (!pkg || !operation) return undefined;
  try {
    return typeof (require(pkg) as Record<string, unknown>)[`${operation}Command`] === 'function';
  } catch {
    return undefined;
  }
}

export function classify(method: string, url: string, headers: Record<string, string>, body: Buffer): Call {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const scope = parseCredentialScope(headers, query) ?? DEFAULT_SCOPE;
  const protocol = protocolOf(scope.service, headers);
  const operation = operationOf(protocol, scope.service, method, path, query, headers, body);
  return {
    service: scope.service,
    region: scope.region,
    protocol,
    operation,
    mutating: isMutating(protocol, method, operation) || namesAwsManagedKey(scope.service, body),
    accessKeyId: scope.accessKeyId,
    request: { method, url, headers, body },
  };
}

/** Services whose writes can change a policy the IAM enforcer evaluates. */
const POLICY_SERVICES = new Set(['iam', 'kms', 's3', 'backup']);

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The table/bucket and item a write touches, when the request says so plainly; else everything. */
export function writeScope(call: Call, fixState: FixState): WriteScope {
  if (call.service === 'dynamodb' && call.operation && ITEM_WRITES.has(call.operation)) {
    try {
      const input = JSON.parse(call.request.body.toString('utf8')) as Record<string, unknown>;
      const table = `${call.region}/${String(input.TableName)}`;
      const keyTypes = fixState.keyTypes.get(table);
      const source = (call.operation === 'PutItem' ? input.Item : input.Key) as Record<string, unknown> | undefined;
      const item = keyTypes && source ? JSON.stringify(Object.keys(keyTypes).sort().map((k) => [k, source[k]])) : undefined;
      return { resource: `dynamodb:${table}`, item };
    } catch {
      return {};
    }
  }
  if (call.service === 's3' && (call.operation === 'PutObject' || call.operation === 'DeleteObject')) {
    const path = call.request.url.split('?')[0];
    const slash = path.indexOf('/', 1);
    return { resource: `s3:${path.slice(1, slash)}`, item: path.slice(slash + 1) };
  }
  return {};
}

export class FrontDoor {
  private readonly gate = new Gate();
  /**
   * Conflicting journaled writes reach moto one at a time and take their journal slot before the
   * next one starts, so for any item the journal's order is moto's (replay ends in the same state).
   */
  private readonly writeOrder = new WriteOrder();
  /** Session credentials STS handed out, accepted by `--strict-auth` besides its own key pair. */
  private readonly sessionKeys = new Map<string, KeyPair>();
  /** Access keys whose moto account set-up has certainly run (see settleAccounts). */
  private readonly settledAccessKeys = new Set<string>();

  constructor(private readonly options: FrontDoorOptions) {}

  set backup(service: BackupService) {
    this.options.backup = service;
  }

  /** The HTTP entry point. Never throws; always answers. */
  readonly listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    this.serve(req, res).catch((err: unknown) => {
      this.options.log(`sandbox: internal error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: `sandbox internal error: ${(err as Error)?.message ?? String(err)}` }));
      } else {
        res.destroy();
      }
    });
  };

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (url.startsWith('/_sandbox/')) return this.control(req, res, url);
    const requestId = randomUUID();
    const headers = endToEndHeaders(req.headers);
    let body: Buffer;
    try {
      body = await readAll(req, MAX_BODY_BYTES);
    } catch (err) {
      const call = classify(req.method ?? 'GET', url, headers, Buffer.alloc(0));
      const tooLarge = (err as { code?: string }).code === 'BODY_TOO_LARGE';
      return send(res, renderError(call.protocol, call.service, {
        code: tooLarge ? 'RequestEntityTooLarge' : 'IncompleteBody',
        message: tooLarge ? `Request body exceeds the sandbox limit of ${MAX_BODY_BYTES} bytes` : 'Request body ended early',
        status: tooLarge ? 413 : 400,
      }, requestId));
    }
    const call = classify(req.method ?? 'GET', url, headers, body);

    // Every AWS request is signed (SDKs, the CLI, Terraform); one without SigV4 credentials is refused
    // in its service's own shape, never handed to moto (which would serve it as S3).
    const q = url.indexOf('?');
    const unsigned = credentialProblem(req.headers, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    if (unsigned) {
      const guess = guessService(req.headers, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), body, req.method ?? 'GET', q < 0 ? url : url.slice(0, q));
      return send(res, renderError(guess.protocol, guess.service, authError(guess.protocol, unsigned), requestId));
    }
    if (this.options.strictAuth) {
      const verdict = verifySigV4(
        { method: call.request.method, rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body },
        this.sessionKeys.get(call.accessKeyId) ?? this.options.strictAuth,
      );
      if (!verdict.ok) {
        const error = verdict.code === 'XAmzContentSHA256Mismatch'
          ? { code: verdict.code, message: verdict.message, status: 400 }
          : authError(call.protocol, failureOf(verdict.code), verdict.message);
        return send(res, renderError(call.protocol, call.service, error, requestId));
      }
    }

    // AWS authorizes a request before it does anything else with it.
    const enforcer = this.options.enforcer;
    if (enforcer) {
      const refused = await enforcer.authorize({ ...call, ...call.request });
      if (refused) return send(res, renderError(call.protocol, call.service, refused, requestId));
    }

    const fault = this.options.faults.takeRequestFault(call.service, call.operation);
    if (fault) {
      if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.error) {
        return send(res, renderError(call.protocol, call.service, { code: fault.error, message: fault.message, status: fault.status }, requestId));
      }
    }

    if (call.service === 'cloudtrail' && call.operation === 'LookupEvents' && this.options.trail) {
      let input: Record<string, unknown> = {};
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch (err) {
        return send(res, renderError(call.protocol, call.service, { code: 'SerializationException', message: `LookupEvents: the request body is not valid JSON (${(err as Error).message})` }, requestId));
      }
      const found = this.options.trail.lookup(call.region, input);
      if (!found.ok) return send(res, renderError(call.protocol, call.service, found.error, requestId));
      return send(res, { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify(found.body) });
    }

    if (call.service === 'backup') {
      const q = url.indexOf('?');
      if (!this.options.backup) throw new Error('the Backup service is not attached to the front door yet');
      const answer = await this.options.backup.handle({
        method: call.request.method,
        path: q < 0 ? url : url.slice(0, q),
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body,
        service: call.service,
        region: call.region,
        accountId: SANDBOX_ACCOUNT_ID,
        requestId,
      });
      if (answer.status < 300) this.recordEvent(call, requestId);
      if (answer.status < 300) this.policiesMayHaveChanged(call);
      return send(res, { status: answer.status, headers: { 'x-amzn-requestid': requestId, ...answer.headers }, body: answer.body });
    }

    const invalid = this.rejectMalformed(call);
    if (invalid) return send(res, renderError(call.protocol, call.service, invalid, requestId));

    if (call.service === 'dynamodb' && this.options.pitr) {
      const own = await this.options.pitr.handle(call, async () => {
        const o = await this.dispatch(call, { journal: false, stream: false, requestId });
        return isStreamed(o) ? { status: o.status, body: await readAll(o.stream) } : o;
      });
      if (own) {
        if ('error' in own) return send(res, renderError(call.protocol, call.service, own.error, requestId));
        return send(res, { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId }, body: JSON.stringify(own.json) });
      }
    }

    const outcome = await this.dispatch(call, { journal: true, stream: true, requestId });
    if (outcome.status < 300) this.recordEvent(call, requestId);
    if (outcome.status < 300) this.policiesMayHaveChanged(call);
    if (outcome.status < 300 && !isStreamed(outcome)) this.rememberSessionKeys(call, outcome.body);
    if (isStreamed(outcome)) {
      res.writeHead(outcome.status, outcome.headers);
      outcome.stream.pipe(res);
      outcome.stream.on('error', () => res.destroy());
      return;
    }
    return send(res, outcome);
  }

  /**
   * With `--strict-auth`, the session keys STS hands out (AssumeRole answers through its fix, so
   * buffered) are accepted too, each with its own secret, as AWS accepts temporary credentials.
   * Kept in memory: after a restart the sessions must be assumed again.
   */
  private rememberSessionKeys(call: Call, body: Buffer): void {
    if (!this.options.strictAuth || call.service !== 'sts' || call.operation !== 'AssumeRole') return;
    const xml = body.toString('utf8');
    const accessKeyId = xmlText(xml, 'AccessKeyId');
    const secretAccessKey = xmlText(xml, 'SecretAccessKey');
    if (accessKeyId && secretAccessKey) this.sessionKeys.set(accessKeyId, { accessKeyId, secretAccessKey });
  }

  /** A successful write to IAM, KMS, S3 or Backup may change a policy the enforcer has read: it reads them again. */
  private policiesMayHaveChanged(call: Call): void {
    if (this.options.enforcer && call.mutating && POLICY_SERVICES.has(call.service)) this.options.enforcer.invalidate();
  }

  /** Adds a successful management write to the CloudTrail event history. */
  private recordEvent(call: Call, requestId: string): void {
    const trail = this.options.trail;
    const mutating = call.service === 'backup' ? isMutating('restJson1', call.request.method, call.operation) : call.mutating;
    if (!trail) return;
    const management = isManagementWrite(call.service, call.operation, mutating);
    // Data events are built only while a logging trail selects them (sandbox/trail-delivery.ts).
    if (!management && !(call.service === 'dynamodb' && trail.wantsDataEvents)) return;
    const recorded: RecordedCall = {
      service: call.service,
      region: call.region,
      operation: call.operation!,
      accessKeyId: call.accessKeyId,
      accountId: SANDBOX_ACCOUNT_ID,
      requestId,
      userAgent: call.request.headers['user-agent'],
      parameters: requestParameters(call),
    };
    if (management) trail.record(recorded);
    else trail.recordData(recorded);
  }

  /** Bad input that moto would answer with a 500 gets AWS's answer instead. */
  private rejectMalformed(call: Call): AwsError | undefined {
    if (call.protocol !== 'awsJson1_0' && call.protocol !== 'awsJson1_1') return undefined;
    if (!call.operation) return { code: 'UnknownOperationException', message: 'X-Amz-Target header is missing: it must name the operation' };
    if (call.request.body.length === 0) return undefined;
    try {
      const parsed = JSON.parse(call.request.body.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return { code: malformedBodyCode(call.protocol), message: `${call.operation}: the request body must be a JSON object` };
      }
    } catch (err) {
      return { code: malformedBodyCode(call.protocol), message: `${call.operation}: the request body is not valid JSON (${(err as Error).message})` };
    }
    return undefined;
  }

  /**
   * Forwards a call through its fix (if any) to moto, journals it when it changed state, and maps
   * moto's 5xx answers to AWS errors. Used for client requests, replay and the Backup service.
   */
  async dispatch(call: Call, mode: { journal: boolean; stream: boolean; requestId: string; seed?: number; at?: number }): Promise<Outcome> {
    const journal = mode.journal && call.mutating ? this.options.journal : undefined;
    const deterministic = call.mutating && needsDeterministicIds(call.operation);
    const seed = mode.seed ?? (deterministic && journal ? journal.reserveSeq() : undefined);
    const fix = findFix(call.service, call.operation);

    let journaled: Promise<void> | undefined;
    const attempt = async (): Promise<Outcome> => {
      const answer = await this.forward(call, mode.stream, fix, seed);
      // When the write took effect: replay keeps the original time, for point-in-time history.
      const at = mode.at ?? this.options.pitr?.clock() ?? Date.now();
      let after: Record<string, unknown> | null | undefined;
      if (answer.status < 300 && call.mutating && call.service === 'dynamodb' && this.options.pitr) {
        ({ after } = await this.options.pitr.observe(call, isStreamed(answer) ? undefined : answer.body, at));
      }
      if (journal && answer.status < 300) {
        journaled = journal.append({
          seq: seed ?? journal.reserveSeq(),
          ...(seed !== undefined ? { seed } : {}),
          service: call.service,
          region: call.region,
          operation: call.operation,
          method: call.request.method,
          url: call.request.url,
          headers: journalHeaders(call),
          body: call.request.body.toString('base64'),
          at,
          ...(after !== undefined ? { after } : {}),
        });
      }
      return answer;
    };

    let outcome: Outcome;
    try {
      outcome = journal ? await this.writeOrder.run(writeScope(call, this.options.fixState), attempt) : await attempt();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET' && code !== 'EPIPE') throw err;
      // moto died under us: say so in the service's own error shape, as AWS does for an outage.
      this.options.log(`sandbox: moto_server is unreachable (${code}) while handling ${call.service}:${call.operation ?? call.request.method}`);
      const rendered = renderError(call.protocol, call.service, {
        code: 'ServiceUnavailable',
        message: `The sandbox's moto_server is not answering (${code}); restart the sandbox (state is kept in its journal)`,
        status: 503,
      }, mode.requestId);
      return { status: rendered.status, headers: rendered.headers, body: Buffer.from(rendered.body) };
    }

    if (outcome.status >= 500) {
      const body = isStreamed(outcome) ? await readAll(outcome.stream) : outcome.body;
      return this.mapMotoFailure(call, outcome.status, body, mode.requestId);
    }
    // Acknowledge only once the entry is on disk.
    if (journaled) await journaled;
    return outcome;
  }

  /** Sends the call to moto (through its fix, if any) inside the gate; seeded calls run alone. */
  private forward(call: Call, stream: boolean, fix: ReturnType<typeof findFix>, seed: number | undefined): Promise<Outcome> {
    return this.gate.run(seed !== undefined, async (): Promise<Outcome> => {
      if (seed !== undefined) {
        await this.settleAccounts(call);
        await this.options.moto.seed(seed);
      }
      if (fix) {
        return fix.apply({
          service: call.service,
          region: call.region,
          operation: call.operation!,
          protocol: call.protocol,
          request: call.request,
          state: this.options.fixState,
          forward: (request) => this.options.moto.sendBuffered(request ?? call.request),
          moto: (request) => this.options.moto.sendBuffered(request),
        });
      }
      return stream ? this.options.moto.send(call.request) : this.options.moto.sendBuffered(call.request);
    });
  }

  /**
   * moto sets an account up lazily on the first requests that name it: the first one creates its
   * IAM backend, the next one the other partitions', each loading AWS managed policies with random
   * ids. Left alone, those draws happen inside whichever request comes first — a read in a live
   * session, but the first seeded write on replay, since reads are not journaled — and that write's
   * ids (a KMS key id) then differ on replay. An unseeded call just before every seeded one absorbs
   * any such pending set-up (two for a key not seen yet), so a seeded call's ids depend only on its
   * seed and moto's state.
   */
  private async settleAccounts(call: Call): Promise<void> {
    const { accessKeyId } = call;
    const rounds = this.settledAccessKeys.has(accessKeyId) ? 1 : 2;
    for (let i = 0; i < rounds; i++) {
      const answer = await this.options.moto.sendBuffered({
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          authorization: scopeOnlyAuthorization('us-east-1', 'sts', accessKeyId),
        },
        body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15'),
      });
      if (answer.status !== 200) throw new Error(`moto refused the account set-up call: HTTP ${answer.status}`);
    }
    this.settledAccessKeys.add(accessKeyId);
  }

  private mapMotoFailure(call: Call, status: number, body: Buffer, requestId: string): BufferedResponse {
    const op = call.operation ?? `${call.request.method} ${call.request.url.split('?')[0]}`;
    const known = isKnownOperation(call.service, call.operation);
    const error: AwsError = known === false
      ? { code: unknownOperationCode(call.protocol), message: `Operation ${op} is not supported by service ${call.service}` }
      : {
        code: call.protocol === 'awsQuery' ? 'InvalidParameterValue' : call.protocol === 'restXml' ? 'InvalidRequest' : 'ValidationException',
        message: `${op}: the sandbox's moto backend could not process this request (HTTP ${status}); check the parameters${
          /NotImplemented|not (yet )?implemented/i.test(body.toString('utf8')) ? ' — this operation is not implemented by moto' : ''}`,
      };
    const rendered = renderError(call.protocol, call.service, error, requestId);
    return { status: rendered.status, headers: rendered.headers, body: Buffer.from(rendered.body) };
  }

  /** Replays journal entries into a fresh moto, in order, with the seeds they had. */
  async replay(entries: ReadonlyArray<JournalEntry>, onProgress?: (done: number, total: number) => void): Promise<{ failed: number }> {
    let failed = 0;
    this.options.fixState.replaying = true;
    try {
      await this.replayEntries(entries, onProgress, () => failed++);
    } finally {
      this.options.fixState.replaying = false;
    }
    return { failed };
  }

  private async replayEntries(entries: ReadonlyArray<JournalEntry>, onProgress: ((done: number, total: number) => void) | undefined, onFailure: () => void): Promise<void> {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const call = classify(e.method, e.url, { ...e.headers }, Buffer.from(e.body, 'base64'));
      if (e.history && this.options.pitr) await replayHistory(this.options.pitr, call, e.history);
      const outcome = await this.dispatch(call, { journal: false, stream: false, requestId: `replay-${e.seq}`, seed: e.seed, at: e.at });
      if (outcome.status >= 300) {
        onFailure();
        this.options.log(`sandbox: replay of #${e.seq} ${e.service}:${e.operation ?? e.method} answered HTTP ${outcome.status}`);
      }
      if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1, entries.length);
    }
  }

  /** The Backup service's direct line to DynamoDB; its writes are journaled like anyone's. */
  readonly dynamodb: DynamoDbCaller = async (region, operation, input) => {
    const call = classify('POST', '/', {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization: scopeOnlyAuthorization(region, 'dynamodb'),
    }, Buffer.from(JSON.stringify(input)));
    const outcome = (await this.dispatch(call, { journal: true, stream: false, requestId: randomUUID() })) as BufferedResponse;
    const text = outcome.body.toString('utf8');
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (outcome.status >= 300) {
      const type = String(parsed.__type ?? 'InternalFailure');
      const err = new Error(String(parsed.message ?? parsed.Message ?? `DynamoDB ${operation} failed with HTTP ${outcome.status}`));
      err.name = type.slice(type.lastIndexOf('#') + 1);
      throw err;
    }
    return parsed;
  };

  /** Writes an S3 object for the sandbox's own services (DynamoDB exports), journaled like a client's PutObject; answers the HTTP status. */
  readonly putObject = async (region: string, bucket: string, key: string, body: Buffer, contentType: string, headers: Record<string, string> = {}): Promise<number> => {
    const call = classify('PUT', `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, {
      ...headers,
      'content-type': contentType,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      authorization: scopeOnlyAuthorization(region, 's3'),
    }, body);
    const outcome = await this.dispatch(call, { journal: true, stream: false, requestId: randomUUID() });
    if (isStreamed(outcome)) await readAll(outcome.stream);
    return outcome.status;
  };

  /** IAM roles and KMS keys for our AWS Backup, read from moto through the fixes (so key states are AWS's). */
  readonly account: AccountLookup = {
    role: async (roleArn) => {
      const name = roleNameOf(roleArn);
      if (!name) return undefined;
      const call = classify('POST', '/', {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: scopeOnlyAuthorization('us-east-1', 'iam'),
      }, Buffer.from(new URLSearchParams({ Action: 'GetRole', RoleName: name, Version: '2010-05-08' }).toString()));
      const outcome = (await this.dispatch(call, { journal: false, stream: false, requestId: randomUUID() })) as BufferedResponse;
      if (outcome.status !== 200) return undefined;
      return roleFromGetRole(outcome.body.toString('utf8'), roleArn);
    },
    key: async (region, keyId) => {
      const call = classify('POST', '/', {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.DescribeKey',
        authorization: scopeOnlyAuthorization(region, 'kms'),
      }, Buffer.from(JSON.stringify({ KeyId: keyId })));
      const outcome = (await this.dispatch(call, { journal: true, stream: false, requestId: randomUUID() })) as BufferedResponse;
      if (outcome.status !== 200) return undefined;
      const meta = ((JSON.parse(outcome.body.toString('utf8')) as Record<string, unknown>).KeyMetadata ?? {}) as Record<string, unknown>;
      return { arn: String(meta.Arn), state: String(meta.KeyState ?? 'Enabled'), manager: String(meta.KeyManager ?? 'CUSTOMER') };
    },
  };

  private async control(req: http.IncomingMessage, res: http.ServerResponse, url: string): Promise<void> {
    const path = url.split('?')[0];
    const json = (status: number, body: unknown): void => send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (path === '/_sandbox/health' && req.method === 'GET') return json(200, { ok: true });
    if (path === '/_sandbox/faults') {
      const faults = this.options.faults;
      if (req.method === 'GET') return json(200, { faults: faults.list() });
      if (req.method === 'DELETE') {
        const cleared = faults.list().length;
        faults.clear();
        return json(200, { cleared });
      }
      if (req.method === 'POST') {
        let input: unknown;
        try {
          input = JSON.parse((await readAll(req, 1024 * 1024)).toString('utf8'));
        } catch (err) {
          return json(400, { __type: 'SerializationException', message: `fault: the body is not valid JSON (${(err as Error).message})` });
        }
        try {
          const added = (Array.isArray(input) ? input : [input]).map(parseFault);
          for (const f of added) faults.add(f);
          return json(200, { faults: added });
        } catch (err) {
          if (isTablesafeError(err) && err.code === FAULT_INVALID) return json(400, { __type: 'ValidationException', message: err.message });
          throw err;
        }
      }
    }
    req.resume();
    return json(404, { __type: 'ResourceNotFoundException', message: `${req.method} ${path}: the sandbox control API has GET /_sandbox/health and GET|POST|DELETE /_sandbox/faults` });
  }
}

/** A compacted entry's earlier item versions go to point-in-time history before its own write. */
async function replayHistory(pitr: PointInTime, call: Call, history: NonNullable<JournalEntry['history']>): Promise<void> {
  const input = JSON.parse(call.request.body.toString('utf8')) as Record<string, unknown>;
  const key = (input.Item ?? input.Key) as Record<string, unknown> | undefined;
  if (key) await pitr.addVersions(call.region, String(input.TableName), key, history);
}

/** A request's parameters as CloudTrail's requestParameters shows them, best effort. */
function requestParameters(call: Call): Record<string, unknown> | undefined {
  const [path, rawQuery = ''] = call.request.url.split('?');
  try {
    switch (call.protocol) {
      case 'awsJson1_0':
      case 'awsJson1_1':
        return call.request.body.length ? (JSON.parse(call.request.body.toString('utf8')) as Record<string, unknown>) : {};
      case 'awsQuery': {
        const form = Object.fromEntries(new URLSearchParams(call.request.body.toString('utf8')));
        delete form.Action;
        delete form.Version;
        return form;
      }
      case 'restXml':
        return { Bucket: decodeURIComponent(path.split('/')[1] ?? '') };
      case 'restJson1': {
        const body = call.request.body.length ? (JSON.parse(call.request.body.toString('utf8')) as Record<string, unknown>) : {};
        const vault = /^\/backup-vaults\/([^/]+)/.exec(path)?.[1];
        const plan = /^\/backup\/plans\/([^/]+)/.exec(path)?.[1];
        return { ...Object.fromEntries(new URLSearchParams(rawQuery)), ...body, ...(vault ? { BackupVaultName: decodeURIComponent(vault) } : {}), ...(plan ? { BackupPlanId: plan } : {}) };
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function send(res: http.ServerResponse, r: { status: number; headers: Record<string, string>; body: string | Buffer }): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  const headers: Record<string, string | number> = { ...r.headers };
  delete headers['content-length'];
  headers['content-length'] = body.length;
  res.writeHead(r.status, headers);
  res.end(body);
}
