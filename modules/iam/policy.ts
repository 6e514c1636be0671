/** IAM policy JSON, typed just enough to keep statements honest. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  /** Omitted in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** Trust policy letting the named AWS service assume a role. */
export function serviceTrust(service: string, sourceAccount?: string): string {
  return JSON.stringify(
    policyDocument({
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } } : {}),
    }),
  );
}

/** Trust policy letting principals of the given ARNs (account root = anyone the account's IAM allows) assume a role. */
export function accountTrust(principalArns: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principalArns.length === 1 ? principalArns[0] : [...principalArns] }, Action: 'sts:AssumeRole' }],
  });
}
