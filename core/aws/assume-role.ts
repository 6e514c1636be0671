/**
 * Temporary credentials of a role (STS AssumeRole), refreshed before they expire, so a drill longer
 * than one session still runs as its role. verify uses them to run each phase as the stack's role
 * for it (auditor: live checks; restore drill: the drill), proving those roles suffice.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { TablesafeError } from '../errors';

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** A credential provider as SDK v3 clients accept it. */
export type CredentialProvider = () => Promise<TemporaryCredentials>;

/** Session names: 2–64 of `[\w+=,.@-]` (STS). */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** `tablesafe-<phase>-<runId>`, cut to STS's 64 characters, keeping the run id's end (its unique part). */
export function sessionNameFor(phase: string, runId: string): string {
  const clean = `${phase}-${runId}`.replace(/[^\w+=,.@-]/g, '-');
  const name = `tablesafe-${clean}`;
  return name.length <= 64 ? name : `tablesafe-${clean.slice(clean.length - 54)}`;
}

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly sessionName: string;
  /** @default 3600 (STS's default maximum for a role session) */
  readonly durationSeconds?: number;
  /** New credentials are fetched this long before the old ones expire. @default 5 minutes */
  readonly refreshBeforeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A provider of the role's temporary credentials, got with `sts` (the caller's own credentials)
 * on first use and again shortly before they expire. A refusal (the caller is not trusted by the
 * role) becomes TS_E_ASSUME_ROLE, saying how to run anyway.
 */
export function assumeRoleCredentials(sts: STSClient, options: AssumeRoleOptions): CredentialProvider {
  if (!SESSION_NAME.test(options.sessionName)) {
    throw new TablesafeError('TS_E_USAGE', `sessionName: ${JSON.stringify(options.sessionName)} is invalid: must be 2-64 characters of letters, digits and +=,.@_-`);
  }
  const now = options.now ?? Date.now;
  const margin = options.refreshBeforeMs ?? 5 * 60_000;
  let current: Promise<TemporaryCredentials> | undefined;
  const fetch = async (): Promise<TemporaryCredentials> => {
    try {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: options.roleArn, RoleSessionName: options.sessionName, DurationSeconds: options.durationSeconds ?? 3600 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS answered without credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (e) {
      const name = (e as Error).name;
      throw new TablesafeError(
        'TS_E_ASSUME_ROLE',
        `cannot assume ${options.roleArn}: ${name}: ${(e as Error).message.split('\n')[0]}`,
        "make your principal one the role trusts (the stack's trustedPrincipals), or pass --as-caller to run as yourself",
        { cause: e },
      );
    }
  };
  return async () => {
    const held = current && (await current.catch(() => undefined));
    if (current && held && !(held.expiration && held.expiration.getTime() - margin <= now())) return held;
    const next = fetch();
    current = next;
    // A refusal is not kept: the next call asks STS again.
    next.catch(() => {
      if (current === next) current = undefined;
    });
    return next;
  };
}
