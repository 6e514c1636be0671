import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { check } from '../common/validation';
import { policyDocument, PolicyStatement } from './policy';

export type RoleKind = 'app-reader' | 'app-writer' | 'backup' | 'restore-drill' | 'auditor';

export interface RoleProps {
  readonly roleName: string;
  /** Trust policy JSON (see `serviceTrust` / `accountTrust`). */
  readonly assumeRolePolicy: string;
  readonly kind: RoleKind;
  /** @default "tablesafe <kind> role" */
  readonly description?: string;
  /**
   * AWS managed policies attached by name (`service-role/AWSBackupServiceRolePolicyForBackup`).
   * @default none
   */
  readonly managedPolicyNames?: readonly string[];
  /** Partition for managed policy ARNs. @default "aws" */
  readonly partition?: string;
  /** @default no tags besides `tablesafe:role` */
  readonly tags?: Readonly<Record<string, string>>;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * An IAM role whose permissions are added as named inline policies, one per intent
 * (`grantReadData` → `<table>-read-data`), so a reviewer reads what each grant is for.
 */
export class Role extends Construct {
  readonly role: IamRole;
  readonly roleName: string;
  readonly roleArn: string;
  readonly kind: RoleKind;
  readonly managedPolicyArns: string[] = [];
  private readonly inlinePolicyNames: string[] = [];

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    check(ROLE_NAME.test(props.roleName), 'Role.roleName', props.roleName, 'must be 1-64 characters of [A-Za-z0-9+=,.@_-]');
    this.kind = props.kind;
    this.roleName = props.roleName;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `tablesafe ${props.kind} role`,
      assumeRolePolicy: props.assumeRolePolicy,
      tags: { ...props.tags, 'tablesafe:role': props.kind },
    });
    this.roleArn = this.role.arn;
    const partition = props.partition ?? 'aws';
    for (const name of props.managedPolicyNames ?? []) {
      const policyArn = `arn:${partition}:iam::aws:policy/${name}`;
      this.managedPolicyArns.push(policyArn);
      new IamRolePolicyAttachment(this, `managed-${name.replace(/[^A-Za-z0-9]/g, '-')}`, { role: this.role.name, policyArn });
    }
  }

  /** Adds an inline policy named `policyName` with the given statements. */
  addPolicy(policyName: string, ...statements: PolicyStatement[]): IamRolePolicy {
    check(!this.inlinePolicyNames.includes(policyName), `Role(${this.roleName}).policyName`, policyName, 'must be unique per role');
    check(statements.length > 0, `Role(${this.roleName}).statements`, statements, 'must not be empty');
    this.inlinePolicyNames.push(policyName);
    return new IamRolePolicy(this, `policy-${policyName}`, {
      name: policyName,
      role: this.role.id,
      policy: JSON.stringify(policyDocument(...statements)),
    });
  }

  /** Inline policy names in the order added (the contract lists them). */
  get policyNames(): readonly string[] {
    return [...this.inlinePolicyNames];
  }
}
