/**
 * IAM policy JSON as the simulator reads it: typed loosely enough for any policy a stack, AWS or a
 * user writes (NotAction, NotResource, NotPrincipal), strictly enough to keep field names honest.
 */
export interface IamPolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly (string | boolean)[]>>>>;
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17' | '2008-10-17';
  readonly Id?: string;
  readonly Statement: readonly IamPolicyStatement[] | IamPolicyStatement;
}
