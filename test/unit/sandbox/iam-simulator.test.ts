/** The evaluator behind `--enforce-iam` is loaded only when installed, and says what to install otherwise. */
import { loadPolicySimulator } from '../../../sandbox/iam/simulator';
import { accessDeniedError, accessDeniedMessage } from '../../../sandbox/iam/enforcer';

describe('loadPolicySimulator', () => {
  it('fails with TS_E_IAM_SIMULATOR_MISSING naming the package and the install command when it is not installed', async () => {
    const missing = loadPolicySimulator({ load: async (name) => { throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' }); } });
    await expect(missing).rejects.toMatchObject({
      code: 'TS_E_IAM_SIMULATOR_MISSING',
      message: expect.stringContaining('@cloud-copilot/iam-simulate'),
      remedy: expect.stringContaining('npm install'),
    });
  });

  it('decides with the installed evaluator: an identity allow, an implicit deny, an explicit deny in the resource policy', async () => {
    const sim = await loadPolicySimulator();
    const base = {
      principal: 'arn:aws:sts::123456789012:assumed-role/r/s',
      accountId: '123456789012',
      context: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/r' },
      identityPolicies: [{ name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' }] } }],
    };
    const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/t';
    expect(await sim.decide({ ...base, action: 'dynamodb:Scan', resource: table })).toBe('Allowed');
    expect(await sim.decide({ ...base, action: 'dynamodb:DeleteTable', resource: table })).toBe('ImplicitlyDenied');
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:Scan', Resource: '*' }] };
    expect(await sim.decide({ ...base, action: 'dynamodb:Scan', resource: table, resourcePolicy: deny })).toBe('ExplicitlyDenied');
    expect(await sim.action('dynamodb:ListTables')).toEqual({ exists: true, wildcardOnly: true });
    expect(await sim.action('dynamodb:NoSuchAction')).toEqual({ exists: false, wildcardOnly: false });
  });
});

describe('AccessDenied as AWS words and shapes it', () => {
  it('names the principal, the action, the resource and why', () => {
    expect(accessDeniedMessage('arn:aws:sts::1:assumed-role/r/s', 'kms:Decrypt', 'arn:aws:kms:us-east-1:1:key/k', 'ImplicitlyDenied'))
      .toBe('User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:1:key/k because no identity-based policy allows the kms:Decrypt action');
    expect(accessDeniedMessage('u', 'backup:DeleteRecoveryPoint', 'rp', 'ExplicitlyDenied', { kind: 'vault', region: 'us-east-1', resourceArn: 'rp' }))
      .toBe('User: u is not authorized to perform: backup:DeleteRecoveryPoint on resource: rp with an explicit deny in a resource-based policy or an identity-based policy');
  });

  it('per protocol: JSON AccessDeniedException 400, REST-JSON 403, query and REST-XML AccessDenied 403', () => {
    expect([accessDeniedError('awsJson1_0', 'm'), accessDeniedError('restJson1', 'm'), accessDeniedError('awsQuery', 'm'), accessDeniedError('restXml', 'm')].map((e) => [e.code, e.status]))
      .toEqual([['AccessDeniedException', 400], ['AccessDeniedException', 403], ['AccessDenied', 403], ['AccessDenied', 403]]);
  });
});
