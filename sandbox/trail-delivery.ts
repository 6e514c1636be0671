/**
 * CloudTrail log file delivery, which moto lacks: a trail with logging on receives, in its S3
 * bucket, gzipped log files of the events it selects, and digest files when log file validation is
 * on, under the keys CloudTrail uses:
 *
 *   <prefix/>AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz
 *   <prefix/>AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHmmssZ>.json.gz
 *
 * A log file is `{"Records":[…]}` (the records LookupEvents shows, plus DynamoDB data events where
 * the trail's event selectors or advanced event selectors ask for them). A digest file lists the
 * log files delivered since the previous digest with the SHA-256 of each (uncompressed), chains to
 * the previous digest by hash and signature, and is signed SHA256withRSA (the signature in the
 * object's `x-amz-meta-signature`) with the sandbox's key (`<stateDir>/cloudtrail-digest-key.pem`).
 *
 * Bounded: records wait for delivery in memory, at most the trail event limit of them (oldest
 * dropped first); log files go out every 5 minutes of schedule time (divided by the time scale,
 * at least a second apart), digests every hour of it, and a stopping sandbox delivers what waits.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { DeliverableRecord } from './trail-events';
import { classify, type FrontDoor } from './server';
import { scopeOnlyAuthorization } from './fix-kit';

type Json = Record<string, unknown>;

export const LOG_INTERVAL_MS = 5 * 60_000;
export const DIGEST_INTERVAL_MS = 60 * 60_000;
const MIN_INTERVAL_MS = 1000;

export interface TrailConfig {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly bucket: string;
  readonly prefix?: string;
  readonly multiRegion: boolean;
  readonly validation: boolean;
  readonly logging: boolean;
  /** Whether the trail's selectors pick the record. */
  selects(record: DeliverableRecord): boolean;
  /** Whether its selectors ask for any DynamoDB data events. */
  readonly dataEvents: boolean;
}

/** Whether selectors ask for DynamoDB data events at all. */
export function selectsDynamoDbData(selectors: { EventSelectors?: Json[]; AdvancedEventSelectors?: Json[] }): boolean {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return advanced.some((sel) => {
      const fields = (sel.FieldSelectors ?? []) as Json[];
      const equals = (field: string, value: string) => fields.some((f) => f.Field === field && Array.isArray(f.Equals) && (f.Equals as string[]).includes(value));
      return equals('eventCategory', 'Data') && equals('resources.type', 'AWS::DynamoDB::Table');
    });
  }
  return (selectors.EventSelectors ?? []).some((sel) => ((sel.DataResources ?? []) as Json[]).some((d) => d.Type === 'AWS::DynamoDB::Table'));
}

export interface DeliveryDependencies {
  readonly account: string;
  readonly timeScale: number;
  /** Most records waiting for delivery (the trail event limit). */
  readonly limit: number;
  readonly now?: () => number;
  /** Every trail the account has, with its status and selectors (through the front door). */
  trails(regions: readonly string[]): Promise<TrailConfig[]>;
  putObject(region: string, bucket: string, key: string, body: Buffer, contentType: string, headers?: Record<string, string>): Promise<number>;
  /** PEM of the digest signing key; created on first use. */
  readonly keyFile?: string;
  readonly log?: (line: string) => void;
}

interface Delivered {
  readonly bucket: string;
  readonly key: string;
  readonly sha256: string;
  readonly oldest: number;
  readonly newest: number;
}

interface DigestChain {
  last: number;
  previous?: { bucket: string; key: string; sha256: string; signature: string };
  files: Delivered[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date, seconds: boolean) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * A trail's event selectors as a predicate. Management events: selected unless every basic
 * selector says IncludeManagementEvents false (or advanced selectors leave them out). Data events:
 * basic DataResources of type AWS::DynamoDB::Table (a value that is a prefix of the table ARN, or
 * `arn:aws:dynamodb` for all), or advanced selectors with eventCategory Data and resources.type
 * AWS::DynamoDB::Table (resources.ARN Equals/StartsWith/NotEquals/NotStartsWith, readOnly Equals).
 */
export function selectorPredicate(selectors: { EventSelectors?: Json[]; AdvancedEventSelectors?: Json[] }): (r: DeliverableRecord) => boolean {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return (r) => advanced.some((sel) => ((sel.FieldSelectors ?? []) as Json[]).every((f) => fieldMatches(f, r)));
  }
  // A trail nobody gave selectors logs every management event, reads and writes (AWS's default).
  const basic = selectors.EventSelectors?.length ? selectors.EventSelectors : [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
  return (r) => basic.some((sel) => {
    const rw = String(sel.ReadWriteType ?? 'All');
    if ((rw === 'ReadOnly' && !r.readOnly) || (rw === 'WriteOnly' && r.readOnly)) return false;
    if (r.category === 'Management') return sel.IncludeManagementEvents !== false;
    return ((sel.DataResources ?? []) as Json[]).some((d) => d.Type === 'AWS::DynamoDB::Table'
      && ((d.Values ?? []) as string[]).some((v) => v === 'arn:aws:dynamodb' || r.resources.some((arn) => arn === v || arn.startsWith(v.endsWith('/') ? v : `${v}/`) || arn === v.replace(/\/$/, ''))));
  });
}

function fieldMatches(f: Json, r: DeliverableRecord): boolean {
  const values: string[] = (() => {
    switch (f.Field) {
      case 'eventCategory': return [r.category];
      case 'resources.type': return r.category === 'Data' ? ['AWS::DynamoDB::Table'] : [];
      case 'resources.ARN': return [...r.resources];
      case 'readOnly': return [String(r.readOnly)];
      case 'eventName': return [String(r.record.eventName)];
      case 'eventSource': return [String(r.record.eventSource)];
      default: return [];
    }
  })();
  const list = (k: string) => (Array.isArray(f[k]) ? (f[k] as string[]) : undefined);
  if (list('Equals') && !values.some((v) => list('Equals')!.includes(v))) return false;
  if (list('StartsWith') && !values.some((v) => list('StartsWith')!.some((p) => v.startsWith(p)))) return false;
  if (list('EndsWith') && !values.some((v) => list('EndsWith')!.some((p) => v.endsWith(p)))) return false;
  if (list('NotEquals') && values.some((v) => list('NotEquals')!.includes(v))) return false;
  if (list('NotStartsWith') && values.some((v) => list('NotStartsWith')!.some((p) => v.startsWith(p)))) return false;
  if (list('NotEndsWith') && values.some((v) => list('NotEndsWith')!.some((p) => v.endsWith(p)))) return false;
  return true;
}

export class TrailDelivery {
  private pending: DeliverableRecord[] = [];
  private readonly chains = new Map<string, DigestChain>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private key?: KeyObject;
  private readonly now: () => number;
  /** True while some logging trail selects DynamoDB data events (refreshed each delivery). */
  wantsData = false;
  /** Whether any trail logs; nothing is kept for delivery while none does. */
  private anyLogging = false;

  constructor(private readonly deps: DeliveryDependencies) {
    this.now = deps.now ?? Date.now;
  }

  get logIntervalMs(): number {
    return Math.max(MIN_INTERVAL_MS, LOG_INTERVAL_MS / this.deps.timeScale);
  }

  get digestIntervalMs(): number {
    return Math.max(MIN_INTERVAL_MS, DIGEST_INTERVAL_MS / this.deps.timeScale);
  }

  add(record: DeliverableRecord): void {
    // A CloudTrail change (StartLogging, PutEventSelectors, …) may change what is delivered.
    if (record.record.eventSource === 'cloudtrail.amazonaws.com') {
      // Until the trails are read again, assume the change asked for more, so nothing is missed.
      if (record.record.eventName === 'StartLogging') this.anyLogging = true;
      const params = (record.record.requestParameters ?? {}) as Json;
      if (record.record.eventName === 'PutEventSelectors' && selectsDynamoDbData(params)) this.wantsData = true;
      void this.refresh();
    }
    if (this.deps.limit <= 0 || !this.anyLogging) return;
    this.pending.push(record);
    if (this.pending.length > this.deps.limit) this.pending.splice(0, this.pending.length - this.deps.limit);
  }

  /** Reads the trails again: whether any logs, and whether any wants DynamoDB data events. */
  async refresh(): Promise<TrailConfig[]> {
    try {
      const trails = (await this.deps.trails(['us-east-1', ...new Set(this.pending.map((r) => r.region))])).filter((t) => t.logging);
      this.anyLogging = trails.length > 0;
      this.wantsData = trails.some((t) => t.dataEvents);
      return trails;
    } catch (e) {
      this.deps.log?.(`sandbox: CloudTrail trails could not be read: ${(e as Error).message}`);
      return [];
    }
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.deliver(), this.logIntervalMs);
    this.timer.unref();
  }

  /** Delivers what waits now (one delivery at a time). */
  deliver(): Promise<void> {
    this.running ??= this.deliverOnce().catch((e: unknown) => this.deps.log?.(`sandbox: CloudTrail log delivery failed: ${(e as Error).message}`)).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.deliver();
  }

  private async deliverOnce(): Promise<void> {
    const trails = await this.refresh();
    const batch = this.pending;
    this.pending = [];
    const now = this.now();
    for (const trail of trails) {
      const mine = batch.filter((r) => (trail.multiRegion || r.region === trail.homeRegion) && trail.selects(r));
      const byRegion = new Map<string, DeliverableRecord[]>();
      for (const r of mine) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r]);
      for (const [region, records] of byRegion) await this.logFile(trail, region, records, now);
      if (trail.validation) await this.digestsDue(trail, now);
    }
  }

  private base(trail: TrailConfig): string {
    return `${trail.prefix ? `${trail.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/${this.deps.account}`;
  }

  private async logFile(trail: TrailConfig, region: string, records: DeliverableRecord[], now: number): Promise<void> {
    const d = new Date(now);
    const key = `${this.base(trail)}/CloudTrail/${region}/${day(d)}/${this.deps.account}_CloudTrail_${region}_${stamp(d, false)}_${randomBytes(12).toString('base64url').slice(0, 16)}.json.gz`;
    const body = Buffer.from(JSON.stringify({ Records: records.map((r) => r.record) }));
    const status = await this.deps.putObject(trail.homeRegion, trail.bucket, key, gzipSync(body), 'application/x-gzip');
    if (status >= 300) {
      this.deps.log?.(`sandbox: CloudTrail could not deliver to s3://${trail.bucket}/${key} (HTTP ${status})`);
      return;
    }
    if (!trail.validation) return;
    const chain = this.chainOf(trail, region, now);
    chain.files.push({ bucket: trail.bucket, key, sha256: sha256(body), oldest: Math.min(...records.map((r) => r.time)), newest: Math.max(...records.map((r) => r.time)) });
  }

  private chainOf(trail: TrailConfig, region: string, now: number): DigestChain {
    const id = `${trail.arn}|${region}`;
    let chain = this.chains.get(id);
    if (!chain) this.chains.set(id, (chain = { last: now, files: [] }));
    return chain;
  }

  /** Writes a digest for every region of the trail whose digest interval has passed. */
  private async digestsDue(trail: TrailConfig, now: number): Promise<void> {
    this.chainOf(trail, trail.homeRegion, now);
    for (const [id, chain] of this.chains) {
      const [arn, region] = id.split('|');
      if (arn !== trail.arn || now - chain.last < this.digestIntervalMs) continue;
      await this.digest(trail, region, chain, now);
    }
  }

  private async digest(trail: TrailConfig, region: string, chain: DigestChain, now: number): Promise<void> {
    const d = new Date(now);
    const key = `${this.base(trail)}/CloudTrail-Digest/${region}/${day(d)}/${this.deps.account}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${stamp(d, true)}.json.gz`;
    const signingKey = this.signingKey();
    const files = chain.files;
    const content = Buffer.from(JSON.stringify({
      awsAccountId: this.deps.account,
      digestStartTime: isoSeconds(chain.last),
      digestEndTime: isoSeconds(now),
      digestS3Bucket: trail.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: createHash('md5').update(createPublicKey(signingKey).export({ type: 'spki', format: 'der' })).digest('hex'),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: files.length ? isoSeconds(Math.max(...files.map((f) => f.newest))) : null,
      oldestEventTime: files.length ? isoSeconds(Math.min(...files.map((f) => f.oldest))) : null,
      previousDigestS3Bucket: chain.previous?.bucket ?? null,
      previousDigestS3Object: chain.previous?.key ?? null,
      previousDigestHashValue: chain.previous?.sha256 ?? null,
      previousDigestHashAlgorithm: chain.previous ? 'SHA-256' : null,
      previousDigestSignature: chain.previous?.signature ?? null,
      logFiles: files.map((f) => ({ s3Bucket: f.bucket, s3Object: f.key, hashValue: f.sha256, hashAlgorithm: 'SHA-256', newestEventTime: isoSeconds(f.newest), oldestEventTime: isoSeconds(f.oldest) })),
    }));
    const hash = sha256(content);
    const signingString = `${isoSeconds(now)}\n${trail.bucket}/${key}\n${hash}\n${chain.previous?.signature ?? 'null'}`;
    const signature = sign('sha256', Buffer.from(signingString), signingKey).toString('hex');
    const status = await this.deps.putObject(trail.homeRegion, trail.bucket, key, gzipSync(content), 'application/x-gzip', {
      'x-amz-meta-signature': signature,
      'x-amz-meta-signature-algorithm': 'SHA256withRSA',
    });
    if (status >= 300) return;
    chain.previous = { bucket: trail.bucket, key, sha256: hash, signature };
    chain.last = now;
    chain.files = [];
  }

  /** The digest signing key (RSA 2048), kept beside the journal so signatures verify across restarts. */
  private signingKey(): KeyObject {
    if (this.key) return this.key;
    const file = this.deps.keyFile;
    if (file && existsSync(file)) {
      this.key = createPrivateKey(readFileSync(file, 'utf8'));
      return this.key;
    }
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    if (file) writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    this.key = privateKey;
    return privateKey;
  }
}

const TRAIL_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

/** Calls CloudTrail on moto through the front door's fixes (not journaled, not recorded). */
async function cloudTrail(door: FrontDoor, region: string, operation: string, input: Json): Promise<Json | undefined> {
  const call = classify('POST', '/', {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${TRAIL_TARGET}.${operation}`,
    authorization: scopeOnlyAuthorization(region, 'cloudtrail'),
  }, Buffer.from(JSON.stringify(input)));
  const out = await door.dispatch(call, { journal: false, stream: false, requestId: `trail-delivery-${operation}` });
  if (!('body' in out) || out.status !== 200) return undefined;
  return JSON.parse(out.body.toString('utf8') || '{}') as Json;
}

/** Every trail visible from `regions`, with its logging status and selectors. */
export async function readTrails(door: FrontDoor, regions: readonly string[]): Promise<TrailConfig[]> {
  const seen = new Map<string, TrailConfig>();
  for (const region of regions) {
    const listed = ((await cloudTrail(door, region, 'DescribeTrails', { includeShadowTrails: false }))?.trailList ?? []) as Json[];
    for (const t of listed) {
      const arn = String(t.TrailARN ?? '');
      if (!arn || seen.has(arn) || typeof t.S3BucketName !== 'string') continue;
      const home = String(t.HomeRegion ?? region);
      const status = await cloudTrail(door, home, 'GetTrailStatus', { Name: arn });
      const selectors = (await cloudTrail(door, home, 'GetEventSelectors', { TrailName: arn })) ?? {};
      const sel = { EventSelectors: selectors.EventSelectors as Json[] | undefined, AdvancedEventSelectors: selectors.AdvancedEventSelectors as Json[] | undefined };
      seen.set(arn, {
        name: String(t.Name), arn, homeRegion: home, bucket: t.S3BucketName,
        prefix: typeof t.S3KeyPrefix === 'string' && t.S3KeyPrefix !== '' ? t.S3KeyPrefix : undefined,
        multiRegion: t.IsMultiRegionTrail === true, validation: t.LogFileValidationEnabled === true, logging: status?.IsLogging === true,
        selects: selectorPredicate(sel), dataEvents: selectsDynamoDbData(sel),
      });
    }
  }
  return [...seen.values()];
}
