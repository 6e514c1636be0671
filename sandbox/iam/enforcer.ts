/**
 * `--enforce-iam`: the front door authorizes every call made with assumed-role (STS session)
 * credentials as AWS would, against the role's policies as the sandbox holds them now (IAM inline
 * and attached policies and permissions boundary, KMS key policies, Backup vault access policies,
 * S3 bucket policies, trust policies), never against synth output. Calls signed with any other
 * key (the operator's test credentials) are not restricted.
 */
import type { BufferedResponse, ForwardRequest } from '../forward';
import { scopeOnlyAuthorization, xmlText } from '../fix-kit';
import type { AwsError, Protocol } from '../protocol';
import { authorizationsOf, type Authorization, type MappedRequest, type ResourceLookups, type ResourcePolicyRef } from './requests';
import type { Decision, NamedPolicy, PolicyDocument, PolicySimulator } from './simulator';

/** An STS session as GetCallerIdentity reports it for the session's access key. */
export interface Session {
  /** `arn:aws:sts::123456789012:assumed-role/Role/session-name` */
  readonly arn: string;
  readonly roleName: string;
  /** `AROA…:session-name` */
  readonly userId: string;
}

export interface EnforcerOptions {
  readonly accountId: string;
  /** Straight to moto, with the operator's credentials (reads of policies and identities). */
  readonly moto: (request: ForwardRequest) => Promise<BufferedResponse>;
  /** The Backup vault access policy that governs a vault or recovery point ARN (JSON text), if any. */
  readonly vaultPolicy: (region: string, resourceArn: string) => Promise<string | undefined>;
  /** The tags of a Backup vault or recovery point, for `aws:ResourceTag/*`. @default none */
  readonly backupTags?: (resourceArn: string) => Readonly<Record<string, string>> | undefined;
  readonly simulator: PolicySimulator;
}

/** The call as the front door classified it. */
export interface EnforcedCall extends MappedRequest {
  readonly accessKeyId: string;
  readonly protocol: Protocol;
}

/** moto's STS hands out session access keys with AWS's prefix for temporary credentials. */
const SESSION_KEY = /^ASIA/;

function policyText(raw: string | undefined): PolicyDocument | undefined {
  if (!raw) return undefined;
  let text = raw.trim();
  if (text.startsWith('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // keep it as sent
    }
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as PolicyDocument) : undefined;
  } catch {
    return undefined;
  }
}

const allXml = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => xmlText(m[0], name) ?? '');

/** AWS's wording of a refusal, naming the action, the resource and the kind of policy that decided. */
export function accessDeniedMessage(principal: string, action: string, resource: string, decision: Decision, policy?: ResourcePolicyRef): string {
  const because = decision === 'ExplicitlyDenied'
    ? `with an explicit deny in ${policy ? 'a resource-based policy or an identity-based policy' : 'an identity-based policy'}`
    : `because no ${policy ? 'identity-based or resource-based policy' : 'identity-based policy'} allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${because}`;
}

/** The error AWS answers with in each protocol: JSON services AccessDeniedException, query and XML services AccessDenied. */
export function accessDeniedError(protocol: Protocol, message: string): AwsError {
  switch (protocol) {
    case 'awsQuery':
    case 'restXml':
      return { code: 'AccessDenied', message, status: 403 };
    case 'restJson1':
      return { code: 'AccessDeniedException', message, status: 403 };
    default:
      // DynamoDB, KMS, CloudTrail and Application Auto Scaling answer a refusal with HTTP 400.
      return { code: 'AccessDeniedException', message, status: 400 };
  }
}

export class IamEnforcer implements ResourceLookups {
  readonly accountId: string;
  private readonly sessions = new Map<string, Promise<Session | undefined>>();
  /** Policies and ARNs read from the account; dropped whenever a call may have changed one. */
  private cache = new Map<string, Promise<unknown>>();

  constructor(private readonly o: EnforcerOptions) {
    this.accountId = o.accountId;
  }

  /** Forgets every policy read so far (after any successful write to IAM, KMS, S3 or Backup). */
  invalidate(): void {
    this.cache = new Map();
  }

  /** The session behind an access key; undefined for the operator's (non-session) credentials. */
  session(accessKeyId: string): Promise<Session | undefined> {
    if (!SESSION_KEY.test(accessKeyId)) return Promise.resolve(undefined);
    let known = this.sessions.get(accessKeyId);
    if (!known) {
      known = this.query('sts', { Action: 'GetCallerIdentity' }, accessKeyId).then(({ status, xml }) => {
        const arn = status === 200 ? xmlText(xml, 'Arn') : undefined;
        const m = arn ? /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\/.+$/.exec(arn) : null;
        return m && arn ? { arn, roleName: m[1], userId: xmlText(xml, 'UserId') ?? '' } : undefined;
      });
      // A failed lookup is not remembered: the next call asks again.
      known.catch(() => this.sessions.delete(accessKeyId));
      this.sessions.set(accessKeyId, known);
    }
    return known;
  }

  /**
   * Undefined when the call may go on; else the error AWS would answer. Operator calls always go on.
   * Every authorization of the call must be allowed; the first refused one is reported.
   */
  async authorize(call: EnforcedCall): Promise<AwsError | undefined> {
    const session = await this.session(call.accessKeyId);
    if (!session) return undefined;
    const mapping = await authorizationsOf(call, this);
    if ('unmapped' in mapping) {
      return accessDeniedError(call.protocol, `User: ${session.arn} is not authorized to perform this call: the sandbox enforces IAM (--enforce-iam) and cannot map it to an IAM action (${mapping.unmapped}), so it refuses it rather than allow what AWS might deny`);
    }
    for (const check of mapping.checks) {
      const refused = await this.decide(session, call, check);
      if (refused) return accessDeniedError(call.protocol, refused);
    }
    return undefined;
  }

  private async decide(session: Session, call: EnforcedCall, check: Authorization): Promise<string | undefined> {
    const known = await this.o.simulator.action(check.action);
    if (!known.exists) return `User: ${session.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}: the sandbox mapped the call to an action IAM does not know`;
    const resource = known.wildcardOnly ? '*' : check.resource;
    const role = await this.role(session.roleName);
    if (!role) return `User: ${session.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} because the role ${session.roleName} no longer exists`;
    const resourcePolicy = check.policy && !known.wildcardOnly ? await this.resourcePolicy(check.policy) : undefined;
    // Read fresh on every call: a recovery point's tags change without a policy write.
    const tags = check.tagged === 'backup' && !known.wildcardOnly ? this.o.backupTags?.(check.resource) ?? {} : {};
    const resourceTags = Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    const now = new Date();
    let decision: Decision;
    try {
      decision = await this.o.simulator.decide({
        principal: session.arn,
        action: check.action,
        resource,
        accountId: this.accountId,
        identityPolicies: role.policies,
        resourcePolicy,
        permissionsBoundary: role.boundary,
        context: {
          'aws:PrincipalArn': role.arn,
          'aws:PrincipalAccount': this.accountId,
          'aws:PrincipalType': 'AssumedRole',
          'aws:userid': session.userId,
          // IAM is global; AWS reports its calls as us-east-1.
          'aws:RequestedRegion': call.service === 'iam' ? 'us-east-1' : call.region,
          // The sandbox speaks plain HTTP on loopback in place of AWS's TLS endpoints; every SDK call to AWS is TLS.
          'aws:SecureTransport': 'true',
          'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
          'aws:ViaAWSService': 'false',
          ...resourceTags,
          ...(check.context ?? {}),
        },
      });
    } catch (err) {
      // A policy the evaluator cannot read proves nothing: refused, with the reason.
      return `User: ${session.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}: the sandbox could not evaluate the policies (${(err as Error).message})`;
    }
    return decision === 'Allowed' ? undefined : accessDeniedMessage(session.arn, check.action, check.resource, decision, check.policy && resourcePolicy ? check.policy : undefined);
  }

  // --- what the account holds -------------------------------------------------------------------

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
    }
    return hit;
  }

  private async query(service: 'iam' | 'sts', params: Record<string, string>, accessKeyId?: string): Promise<{ status: number; xml: string }> {
    const res = await this.o.moto({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: scopeOnlyAuthorization('us-east-1', service, accessKeyId) },
      body: Buffer.from(new URLSearchParams({ ...params, Version: service === 'iam' ? '2010-05-08' : '2011-06-15' }).toString()),
    });
    return { status: res.status, xml: res.body.toString('utf8') };
  }

  private async kms(region: string, operation: string, input: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await this.o.moto({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}`, authorization: scopeOnlyAuthorization(region, 'kms') },
      body: Buffer.from(JSON.stringify(input)),
    });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      // the status says enough
    }
    return { status: res.status, body };
  }

  /** The role's ARN, trust policy, permissions boundary and every policy that applies to it, as IAM holds them now. */
  role(roleName: string): Promise<{ arn: string; trust?: PolicyDocument; boundary?: PolicyDocument; policies: NamedPolicy[] } | undefined> {
    return this.cached(`role:${roleName}`, async () => {
      const got = await this.query('iam', { Action: 'GetRole', RoleName: roleName });
      if (got.status !== 200) return undefined;
      const arn = xmlText(got.xml, 'Arn') ?? '';
      const trust = policyText(xmlText(got.xml, 'AssumeRolePolicyDocument'));
      const boundaryArn = xmlText(got.xml, 'PermissionsBoundaryArn');
      const policies: NamedPolicy[] = [];
      const inline = await this.query('iam', { Action: 'ListRolePolicies', RoleName: roleName });
      for (const name of allXml(inline.xml, 'member')) {
        const doc = await this.query('iam', { Action: 'GetRolePolicy', RoleName: roleName, PolicyName: name });
        const document = policyText(xmlText(doc.xml, 'PolicyDocument'));
        if (document) policies.push({ name, document });
      }
      const attached = await this.query('iam', { Action: 'ListAttachedRolePolicies', RoleName: roleName });
      for (const policyArn of allXml(attached.xml, 'PolicyArn')) {
        const document = await this.managedPolicy(policyArn);
        if (document) policies.push({ name: policyArn, document });
      }
      const boundary = boundaryArn ? await this.managedPolicy(boundaryArn) : undefined;
      return { arn, trust, boundary, policies };
    });
  }

  private async managedPolicy(policyArn: string): Promise<PolicyDocument | undefined> {
    const policy = await this.query('iam', { Action: 'GetPolicy', PolicyArn: policyArn });
    const version = xmlText(policy.xml, 'DefaultVersionId');
    if (policy.status !== 200 || !version) return undefined;
    const doc = await this.query('iam', { Action: 'GetPolicyVersion', PolicyArn: policyArn, VersionId: version });
    return policyText(xmlText(doc.xml, 'Document'));
  }

  roleArn(roleName: string): Promise<string | undefined> {
    return this.role(roleName).then((r) => r?.arn);
  }

  keyArn(region: string, keyId: string): Promise<string | undefined> {
    const keyRegion = /^arn:aws[\w-]*:kms:([^:]+):/.exec(keyId)?.[1] ?? region;
    return this.cached(`key:${keyRegion}:${keyId}`, async () => {
      const res = await this.kms(keyRegion, 'DescribeKey', { KeyId: keyId });
      const meta = res.body.KeyMetadata as Record<string, unknown> | undefined;
      return res.status === 200 && typeof meta?.Arn === 'string' ? meta.Arn : undefined;
    });
  }

  private resourcePolicy(ref: ResourcePolicyRef): Promise<PolicyDocument | undefined> {
    switch (ref.kind) {
      case 'key':
        return this.cached(`key-policy:${ref.keyArn}`, async () => {
          const region = ref.keyArn.split(':')[3];
          const res = await this.kms(region, 'GetKeyPolicy', { KeyId: ref.keyArn, PolicyName: 'default' });
          return policyText(typeof res.body.Policy === 'string' ? res.body.Policy : undefined);
        });
      case 'vault':
        return this.cached(`vault-policy:${ref.region}:${ref.resourceArn}`, async () => policyText(await this.o.vaultPolicy(ref.region, ref.resourceArn)));
      case 'bucket':
        return this.cached(`bucket-policy:${ref.bucket}`, async () => {
          const res = await this.o.moto({
            method: 'GET',
            url: `/${encodeURIComponent(ref.bucket)}?policy`,
            headers: { authorization: scopeOnlyAuthorization('us-east-1', 's3'), host: '127.0.0.1' },
            body: Buffer.alloc(0),
          });
          return res.status === 200 ? policyText(res.body.toString('utf8')) : undefined;
        });
      case 'trust':
        return (async () => {
          const name = /:role\/(?:.*\/)?([^/]+)$/.exec(ref.roleArn)?.[1];
          return name ? (await this.role(name))?.trust : undefined;
        })();
    }
  }
}
