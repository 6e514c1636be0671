import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { AwsEnvironment } from '../common/environment';
import { check } from '../common/validation';
import { PolicyStatement, policyDocument } from './policy';
import { TRUST_NOBODY } from './roles';

/** The roles people and pipelines may assume (the backup role is AWS Backup's alone). */
export type AssumableRole = 'auditor' | 'restoreDrill' | 'appReader' | 'appWriter';
export const ASSUMABLE_ROLES: readonly AssumableRole[] = ['auditor', 'restoreDrill', 'appReader', 'appWriter'];
/** What a CI identity runs by default: `tablesafe verify` (live checks as the auditor, the drill as the drill role). */
export const VERIFY_ROLES: readonly AssumableRole[] = ['auditor', 'restoreDrill'];

export interface GitHubActionsTrust {
  /**
   * Token subjects allowed, as GitHub writes them: `repo:<owner>/<repo>:ref:refs/heads/main`,
   * `repo:<owner>/<repo>:environment:prod`. Owner and repository are literal; the rest may use `*`.
   */
  readonly subjects: readonly string[];
  /** ARN of the account's existing GitHub OIDC provider. @default the stack creates the provider */
  readonly providerArn?: string;
  /** @default VERIFY_ROLES */
  readonly roles?: readonly AssumableRole[];
}

export interface TerraformCloudTrust {
  readonly organization: string;
  /** @default "*" (any project of the organization) */
  readonly project?: string;
  readonly workspace: string;
  /** Run phase allowed (`plan`, `apply`, `*`). @default "*" */
  readonly runPhase?: 'plan' | 'apply' | '*';
  /** @default "app.terraform.io" */
  readonly hostname?: string;
  /** ARN of the account's existing OIDC provider for the hostname. @default the stack creates the provider */
  readonly providerArn?: string;
  /** @default VERIFY_ROLES */
  readonly roles?: readonly AssumableRole[];
}

/** Who may assume the platform's assumable roles. Nobody unless named. */
export interface TrustedPrincipals {
  /** IAM role or user ARNs (not account roots: name the principal). @default none */
  readonly arns?: readonly string[];
  /** The roles `arns` may assume. @default every assumable role */
  readonly arnRoles?: readonly AssumableRole[];
  /** GitHub Actions workload identity (OIDC). @default none */
  readonly githubActions?: GitHubActionsTrust;
  /** Terraform Cloud / Enterprise workload identity (OIDC). @default none */
  readonly terraformCloud?: TerraformCloudTrust;
  /**
   * Also trust the identity that applies the stack (its IAM role or user, resolved from the apply's
   * caller identity), for VERIFY_ROLES: whoever deploys can then run `tablesafe verify` as the roles.
   * @default false
   */
  readonly deployer?: boolean;
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(role|user)\/[\w+=,.@/-]+|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
const GITHUB_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:\S+$/;
const TFC_NAME = /^[A-Za-z0-9_-]+$/;
const GITHUB_HOST = 'token.actions.githubusercontent.com';

/**
 * Builds the trust policy of each assumable role from TrustedPrincipals, creating the OIDC
 * providers it needs. A role nobody is named for gets a trust policy that denies every principal
 * (IAM requires a statement; an account-root principal would trust every identity of the account).
 */
export class RoleTrust extends Construct {
  private readonly statements = new Map<AssumableRole, PolicyStatement[]>();
  /** OIDC provider ARNs the trust uses (created here or given). */
  readonly githubProviderArn?: string;
  readonly terraformCloudProviderArn?: string;

  constructor(scope: Construct, id: string, props: { readonly env: AwsEnvironment; readonly trusted?: TrustedPrincipals; readonly field?: string; readonly tags?: Readonly<Record<string, string>> }) {
    super(scope, id);
    const t = props.trusted ?? {};
    const field = props.field ?? 'trustedPrincipals';
    for (const [i, arn] of (t.arns ?? []).entries()) {
      check(PRINCIPAL_ARN.test(arn), `${field}.arns[${i}]`, arn, 'must be the ARN of an IAM role or user (an account root would trust every identity of the account)');
    }
    const roles = (r: readonly AssumableRole[] | undefined, f: string, fallback: readonly AssumableRole[]) => {
      const out = r ?? fallback;
      for (const role of out) check(ASSUMABLE_ROLES.includes(role), f, role, `must be one of ${ASSUMABLE_ROLES.join(', ')}`);
      return out;
    };
    if (t.arns?.length) {
      for (const role of roles(t.arnRoles, `${field}.arnRoles`, ASSUMABLE_ROLES)) {
        this.add(role, { Sid: 'NamedPrincipals', Effect: 'Allow', Principal: { AWS: t.arns.length === 1 ? t.arns[0] : [...t.arns] }, Action: 'sts:AssumeRole' });
      }
    }
    if (t.deployer) {
      // The deploying session's role (or user) ARN: stable across sessions, unlike the session ARN.
      const caller = new DataAwsCallerIdentity(this, 'deployer-identity');
      const deployer = new DataAwsIamSessionContext(this, 'deployer', { arn: caller.arn }).issuerArn;
      for (const role of VERIFY_ROLES) this.add(role, { Sid: 'Deployer', Effect: 'Allow', Principal: { AWS: deployer }, Action: 'sts:AssumeRole' });
    }
    const gh = t.githubActions;
    if (gh) {
      check(gh.subjects.length > 0, `${field}.githubActions.subjects`, gh.subjects, 'name at least one subject');
      gh.subjects.forEach((s, i) => check(GITHUB_SUBJECT.test(s), `${field}.githubActions.subjects[${i}]`, s, 'must be repo:<owner>/<repo>:<ref|environment|pull_request...> with a literal owner and repository'));
      this.githubProviderArn = gh.providerArn ?? new IamOpenidConnectProvider(this, 'github-oidc', { url: `https://${GITHUB_HOST}`, clientIdList: ['sts.amazonaws.com'], tags: props.tags ? { ...props.tags } : undefined }).arn;
      for (const role of roles(gh.roles, `${field}.githubActions.roles`, VERIFY_ROLES)) {
        this.add(role, {
          Sid: 'GitHubActions',
          Effect: 'Allow',
          Principal: { Federated: this.githubProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${GITHUB_HOST}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GITHUB_HOST}:sub`]: [...gh.subjects] } },
        });
      }
    }
    const tfc = t.terraformCloud;
    if (tfc) {
      check(TFC_NAME.test(tfc.organization), `${field}.terraformCloud.organization`, tfc.organization, 'must be an organization name ([A-Za-z0-9_-])');
      check(TFC_NAME.test(tfc.workspace), `${field}.terraformCloud.workspace`, tfc.workspace, 'must be a workspace name ([A-Za-z0-9_-]); a wildcard would trust every workspace');
      check(tfc.project === undefined || tfc.project === '*' || TFC_NAME.test(tfc.project), `${field}.terraformCloud.project`, tfc.project, 'must be a project name or *');
      const host = tfc.hostname ?? 'app.terraform.io';
      check(/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host), `${field}.terraformCloud.hostname`, host, 'must be a host name such as app.terraform.io');
      this.terraformCloudProviderArn = tfc.providerArn ?? new IamOpenidConnectProvider(this, 'terraform-cloud-oidc', { url: `https://${host}`, clientIdList: ['aws.workload.identity'], tags: props.tags ? { ...props.tags } : undefined }).arn;
      const sub = `organization:${tfc.organization}:project:${tfc.project ?? '*'}:workspace:${tfc.workspace}:run_phase:${tfc.runPhase ?? '*'}`;
      for (const role of roles(tfc.roles, `${field}.terraformCloud.roles`, VERIFY_ROLES)) {
        this.add(role, {
          Sid: 'TerraformCloud',
          Effect: 'Allow',
          Principal: { Federated: this.terraformCloudProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${host}:aud`]: 'aws.workload.identity' }, StringLike: { [`${host}:sub`]: sub } },
        });
      }
    }
  }

  private add(role: AssumableRole, s: PolicyStatement): void {
    this.statements.set(role, [...(this.statements.get(role) ?? []), s]);
  }

  /** Whether anyone is named for `role`. */
  isTrusted(role: AssumableRole): boolean {
    return (this.statements.get(role) ?? []).length > 0;
  }

  /** The trust policy JSON of `role`. */
  policyFor(role: AssumableRole): string {
    const s = this.statements.get(role);
    return s && s.length ? JSON.stringify(policyDocument(...s)) : TRUST_NOBODY;
  }
}
