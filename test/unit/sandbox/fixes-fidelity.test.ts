/**
 * The fidelity fixes (fixes-dynamodb, fixes-kms, fixes-sts) against a fake moto: each test names
 * the AWS behaviour and tries to get past it the way moto would let it.
 */
import type { BufferedResponse, ForwardRequest } from '../../../sandbox/forward';
import { findFix, newFixState, type FixContext } from '../../../sandbox/fixes';
import type { FixState } from '../../../sandbox/fix-kit';
import { parsePartiqlInsert } from '../../../sandbox/partiql';
import { numberProblem, tableIdOf, transactionSize } from '../../../sandbox/fixes-dynamodb';
import { trustPolicyProblem } from '../../../sandbox/fixes-iam';
import { trustAllows } from '../../../sandbox/trust';

type Handler = (input: Record<string, any>, req: ForwardRequest) => { status?: number; body: unknown } | string;

const jsonAnswer = (status: number, body: unknown): BufferedResponse =>
  ({ status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(body)) });

/** A fake moto answering by operation name (X-Amz-Target suffix or the query Action). */
function fakeMoto(handlers: Record<string, Handler>) {
  const seen: string[] = [];
  const answer = async (req: ForwardRequest): Promise<BufferedResponse> => {
    const target = req.headers['x-amz-target'];
    const form = new URLSearchParams(req.body.toString());
    const op = target ? target.slice(target.lastIndexOf('.') + 1) : form.get('Action') ?? '?';
    seen.push(op);
    const h = handlers[op];
    if (!h) return jsonAnswer(500, { message: `fake moto has no ${op}` });
    const input = target ? JSON.parse(req.body.toString() || '{}') : Object.fromEntries(form);
    const out = h(input, req);
    if (typeof out === 'string') return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(out) };
    return jsonAnswer(out.status ?? 200, out.body);
  };
  return { answer, seen };
}

async function run(service: string, operation: string, input: unknown, handlers: Record<string, Handler>, state: FixState = newFixState(), body?: string) {
  const moto = fakeMoto(handlers);
  const protocol = service === 'dynamodb' ? 'awsJson1_0' : service === 'kms' || service === 'cloudtrail' ? 'awsJson1_1' : 'awsQuery';
  const request: ForwardRequest = {
    method: 'POST', url: '/',
    headers: protocol === 'awsQuery' ? { 'content-type': 'application/x-www-form-urlencoded' } : { 'x-amz-target': `X.${operation}` },
    body: Buffer.from(body ?? JSON.stringify(input)),
  };
  const ctx: FixContext = { service, region: 'us-east-1', operation, protocol, request, state, forward: (r) => moto.answer(r ?? request), moto: moto.answer };
  const res = await findFix(service, operation)!.apply(ctx);
  const text = res.body.toString();
  return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : {}, seen: moto.seen };
}

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';
const describeKey = (state: string, extra: Record<string, unknown> = {}): Handler => () => ({ body: { KeyMetadata: { Arn: KEY, KeyId: '1111-2222', KeyState: state, KeyManager: 'CUSTOMER', ...extra } } });

describe('DynamoDB fidelity fixes', () => {
  const table = { TableName: 'orders', TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', CreationDateTime: 1700000000,
    LocalSecondaryIndexes: [{ IndexName: 'byDate' }], GlobalSecondaryIndexes: [] };

  it('DescribeTable answers a stable TableId and each index its IndexArn (moto leaves both out)', async () => {
    const res = await run('dynamodb', 'DescribeTable', { TableName: 'orders' }, { DescribeTable: () => ({ body: { Table: structuredClone(table) } }) });
    expect(res.body.Table).toMatchObject({
      TableId: tableIdOf(table.TableArn, 1700000000),
      LocalSecondaryIndexes: [{ IndexName: 'byDate', IndexArn: `${table.TableArn}/index/byDate`, IndexSizeBytes: 0, ItemCount: 0 }],
    });
    expect(res.body.Table.TableId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body.Table.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('CreateTable with a key id reaches moto with the key ARN, so SSEDescription names the ARN', async () => {
    let sent: any;
    await run('dynamodb', 'CreateTable', { TableName: 'orders', SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '1111-2222' } }, {
      DescribeKey: describeKey('Enabled'),
      CreateTable: (input) => { sent = input; return { body: { TableDescription: {} } }; },
    });
    expect(sent.SSESpecification.KMSMasterKeyId).toBe(KEY);
  });

  it.each([
    ['Disabled', /KMSMasterKeyId .* is disabled/],
    ['PendingDeletion', /KMSMasterKeyId .* is pending deletion/],
  ])('CreateTable with a %s key is a ValidationException and creates nothing', async (state, message) => {
    const res = await run('dynamodb', 'CreateTable', { TableName: 'orders', SSESpecification: { Enabled: true, KMSMasterKeyId: KEY } }, {
      DescribeKey: describeKey(state), CreateTable: () => ({ body: { TableDescription: {} } }),
    });
    expect([res.status, res.body.__type, res.body.message, res.seen]).toEqual([400, expect.stringMatching(/ValidationException$/), expect.stringMatching(message), ['DescribeKey']]);
  });

  it('UpdateTable to a key that does not exist is a ValidationException', async () => {
    const res = await run('dynamodb', 'UpdateTable', { TableName: 'orders', SSESpecification: { Enabled: true, KMSMasterKeyId: 'alias/nope' } }, {
      DescribeKey: () => ({ status: 400, body: { __type: 'NotFoundException', message: 'Alias not found' } }),
    });
    expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(/alias\/nope does not exist/)]);
  });

  it('BatchWriteItem with 26 requests is a ValidationException before moto sees it', async () => {
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { ID: { S: String(i) } } } }));
    const res = await run('dynamodb', 'BatchWriteItem', { RequestItems: { orders: requests } }, {});
    expect([res.status, res.body.message, res.seen]).toEqual([400, expect.stringMatching(/less than or equal to 25/), []]);
  });

  it('BatchWriteItem with 26 requests over two tables is "Too many items requested"', async () => {
    const put = (i: number) => ({ PutRequest: { Item: { ID: { S: String(i) } } } });
    const res = await run('dynamodb', 'BatchWriteItem', { RequestItems: { a: Array.from({ length: 13 }, (_, i) => put(i)), b: Array.from({ length: 13 }, (_, i) => put(i)) } }, {});
    expect(res.body.message).toBe('Too many items requested for the BatchWriteItem call');
  });

  it('a transaction over 4 MB is refused; its size counts names and values the way DynamoDB does', async () => {
    const item = (i: number) => ({ Put: { TableName: 't', Item: { ID: { S: `k${i}` }, blob: { S: 'x'.repeat(380_000) } } } });
    expect(transactionSize({ TransactItems: [{ Put: { Item: { ab: { S: 'xyz' }, n: { N: '123.45' } } } }] })).toBe(2 + 3 + 1 + 4);
    const res = await run('dynamodb', 'TransactWriteItems', { TransactItems: Array.from({ length: 12 }, (_, i) => item(i)) }, {});
    expect([res.status, res.body.message]).toEqual([400, 'Transaction request cannot be larger than 4 MB']);
  });

  it('a PartiQL INSERT of an existing key is DuplicateItemException (moto overwrites)', async () => {
    const state = newFixState();
    state.keyTypes.set('us-east-1/orders', { ID: 'S' });
    let key: unknown;
    const res = await run('dynamodb', 'ExecuteStatement', { Statement: `INSERT INTO "orders" VALUE {'ID': ?, 'v': 2}`, Parameters: [{ S: 'a' }] }, {
      GetItem: (input) => { key = input.Key; return { body: { Item: { ID: { S: 'a' } } } }; },
      ExecuteStatement: () => ({ body: {} }),
    }, state);
    expect([res.body.__type, res.body.message, key]).toEqual(['DuplicateItemException', 'Duplicate primary key exists in table', { ID: { S: 'a' } }]);
  });

  it('a PartiQL INSERT of a new key reaches moto', async () => {
    const state = newFixState();
    state.keyTypes.set('us-east-1/orders', { ID: 'S' });
    const res = await run('dynamodb', 'ExecuteStatement', { Statement: `INSERT INTO orders VALUE {'ID': 'b'}` }, { GetItem: () => ({ body: {} }), ExecuteStatement: () => ({ body: { Items: [] } }) }, state);
    expect([res.status, res.seen]).toEqual([200, ['GetItem', 'ExecuteStatement']]);
  });

  it('parses PartiQL INSERT values: strings with quotes, numbers, parameters, maps, lists, sets', () => {
    expect(parsePartiqlInsert(`insert into "t.1" value {'a': 'it''s', 'n': -1.5e3, 'p': ?, 'm': {'x': true}, 'l': [null], 's': <<'a','b'>>};`, [{ B: 'AA==' }])).toEqual({
      table: 't.1',
      item: { a: { S: "it's" }, n: { N: '-1.5e3' }, p: { B: 'AA==' }, m: { M: { x: { BOOL: true } } }, l: { L: [{ NULL: true }] }, s: { SS: ['a', 'b'] } },
    });
    expect(parsePartiqlInsert(`SELECT * FROM t`, [])).toBeUndefined();
  });

  it('enabling TTL twice is a ValidationException "TimeToLive is already enabled"', async () => {
    const res = await run('dynamodb', 'UpdateTimeToLive', { TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }, {
      DescribeTimeToLive: () => ({ body: { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' } } }),
    });
    expect([res.status, res.body.message]).toEqual([400, 'TimeToLive is already enabled']);
  });

  it('TTL calls on a missing table are ResourceNotFoundException (moto: ResourceNotFound)', async () => {
    const res = await run('dynamodb', 'DescribeTimeToLive', { TableName: 'gone' }, { DescribeTimeToLive: () => ({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFound', message: 'Table not found' } }) });
    expect(res.body.__type).toBe('ResourceNotFoundException');
  });
});

describe('more DynamoDB fixes', () => {
  it('numbers: 38 significant digits and a magnitude of 1E-130 to 1E126', () => {
    expect([
      numberProblem('1'.repeat(38)), numberProblem('1'.repeat(39)), numberProblem('100000000000000000000000000000000000000000'),
      numberProblem('9.9e125'), numberProblem('1e126'), numberProblem('1e-130'), numberProblem('1e-131'), numberProblem('-0.000'), numberProblem('abc'),
    ]).toEqual([undefined, expect.stringMatching(/more than 38 significant digits/), undefined, undefined, expect.stringMatching(/overflow/), undefined, expect.stringMatching(/underflow/), undefined, undefined]);
  });

  it('PutItem with a 39-digit number never reaches moto', async () => {
    const res = await run('dynamodb', 'PutItem', { TableName: 't', Item: { ID: { S: 'a' }, n: { M: { deep: { NS: ['1', '1'.repeat(39)] } } } } }, {});
    expect([res.status, res.body.message, res.seen]).toEqual([400, 'Attempting to store more than 38 significant digits in a Number', []]);
  });

  it('RestoreTableToPointInTime of a table without PITR is PointInTimeRecoveryUnavailableException', async () => {
    const res = await run('dynamodb', 'RestoreTableToPointInTime', { SourceTableName: 'orders', TargetTableName: 'copy' }, {
      DescribeContinuousBackups: () => ({ body: { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } } }),
    });
    expect([res.body.__type, res.body.message, res.seen]).toEqual(['PointInTimeRecoveryUnavailableException', "Point in time recovery is not enabled for table 'orders'", ['DescribeContinuousBackups']]);
  });

  it('DeleteTable of a protected table answers in DynamoDB\'s words', async () => {
    const res = await run('dynamodb', 'DeleteTable', { TableName: 'p' }, { DeleteTable: () => ({ status: 400, body: { __type: 'ValidationException', message: "1 validation error detected: Table 'p' can't be deleted while DeletionProtectionEnabled is set to True" } }) });
    expect(res.body.message).toBe('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  });
});

describe('KMS fidelity fixes', () => {
  it('ScheduleKeyDeletion outside 7-30 days is a ValidationException; inside it answers KeyState and the window', async () => {
    const short = await run('kms', 'ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 6 }, {});
    const ok = await run('kms', 'ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 7 }, { ScheduleKeyDeletion: () => ({ body: { KeyId: '1111-2222' } }), DescribeKey: describeKey('PendingDeletion') });
    expect([short.body.__type, ok.body]).toEqual(['ValidationException', { KeyId: KEY, KeyState: 'PendingDeletion', PendingWindowInDays: 7 }]);
  });

  it('CreateKey without KeyUsage creates an ENCRYPT_DECRYPT key', async () => {
    let sent: any;
    await run('kms', 'CreateKey', { Description: 'd' }, { CreateKey: (input) => { sent = input; return { body: {} }; } });
    expect(sent.KeyUsage).toBe('ENCRYPT_DECRYPT');
  });

  it('DisableKey given a key ARN reaches moto with the key id (moto crashes on the ARN)', async () => {
    let sent: any;
    await run('kms', 'DisableKey', { KeyId: KEY }, { DisableKey: (input) => { sent = input; return { body: {} }; } });
    expect(sent.KeyId).toBe('1111-2222');
  });

  it.each([
    ['Encrypt', 'Disabled', 'DisabledException', `${KEY} is disabled.`],
    ['GenerateDataKey', 'PendingDeletion', 'KMSInvalidStateException', `${KEY} is pending deletion.`],
  ])('%s with a %s key is %s', async (op, state, code, message) => {
    const res = await run('kms', op, { KeyId: KEY }, { DescribeKey: describeKey(state), [op]: () => ({ body: {} }) });
    expect([res.status, res.body.__type, res.body.message, res.seen]).toEqual([400, code, message, ['DescribeKey']]);
  });

  it('Decrypt with a disabled key (named only by the ciphertext) is DisabledException', async () => {
    const res = await run('kms', 'Decrypt', { CiphertextBlob: 'AAAA' }, { Decrypt: () => ({ body: { KeyId: KEY, Plaintext: 'eA==' } }), DescribeKey: describeKey('Disabled') });
    expect(res.body.__type).toBe('DisabledException');
  });

  it('Decrypt answers EncryptionAlgorithm', async () => {
    const res = await run('kms', 'Decrypt', { CiphertextBlob: 'AAAA' }, { Decrypt: () => ({ body: { KeyId: KEY, Plaintext: 'eA==' } }), DescribeKey: describeKey('Enabled') });
    expect(res.body.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
  });

  it('the AWS managed key reports KeyManager AWS (moto: CUSTOMER)', async () => {
    const res = await run('kms', 'DescribeKey', { KeyId: KEY }, {
      DescribeKey: describeKey('Enabled', { Description: 'Default key' }),
      ListAliases: () => ({ body: { Aliases: [{ AliasName: 'alias/aws/dynamodb', TargetKeyId: '1111-2222' }] } }),
    });
    expect(res.body.KeyMetadata.KeyManager).toBe('AWS');
  });

  it('a customer managed key stays CUSTOMER without an alias lookup', async () => {
    const res = await run('kms', 'DescribeKey', { KeyId: KEY }, { DescribeKey: describeKey('Enabled', { Description: 'data key' }) });
    expect([res.body.KeyMetadata.KeyManager, res.seen]).toEqual(['CUSTOMER', ['DescribeKey']]);
  });
});

describe('STS AssumeRole', () => {
  const getRole = (trust: unknown): Handler => () =>
    `<GetRoleResponse><GetRoleResult><Role><Arn>arn:aws:iam::123456789012:role/app</Arn><AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust))}</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`;
  const caller: Handler = () => '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:sts::123456789012:user/moto</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>';
  const assume = (roleArn: string, handlers: Record<string, Handler>) =>
    run('sts', 'AssumeRole', undefined, { GetCallerIdentity: caller, AssumeRole: () => '<AssumeRoleResponse/>', ...handlers }, newFixState(), `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=s1`);

  it('a role that does not exist is AccessDenied (403) naming the caller and the role (moto hands out credentials)', async () => {
    const res = await assume('arn:aws:iam::123456789012:role/nope', { GetRole: () => ({ status: 404, body: {} }) });
    expect([res.status, res.text]).toEqual([403, expect.stringMatching(/<Code>AccessDenied<\/Code><Message>User: arn:aws:iam::123456789012:user\/moto is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/nope/)]);
  });

  it('a role that trusts only a service is AccessDenied for a user', async () => {
    const res = await assume('arn:aws:iam::123456789012:role/app', { GetRole: getRole({ Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
    expect(res.status).toBe(403);
  });

  it('a role that trusts the account root is assumed', async () => {
    const res = await assume('arn:aws:iam::123456789012:role/app', { GetRole: getRole({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) });
    expect([res.status, res.seen]).toEqual([200, expect.arrayContaining(['AssumeRole'])]);
  });
});

describe('STS GetCallerIdentity', () => {
  const identity = (arn: string): Handler => () => `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
  const call = (arn: string) => run('sts', 'GetCallerIdentity', undefined, { GetCallerIdentity: identity(arn) }, newFixState(), 'Action=GetCallerIdentity&Version=2011-06-15');

  it("answers an IAM user's IAM ARN, the one a trust policy names (moto answers an sts ARN)", async () => {
    expect((await call('arn:aws:sts::123456789012:user/moto')).text).toContain('<Arn>arn:aws:iam::123456789012:user/moto</Arn>');
  });

  it('leaves an assumed-role session ARN as it is', async () => {
    expect((await call('arn:aws:sts::123456789012:assumed-role/app/s1')).text).toContain('<Arn>arn:aws:sts::123456789012:assumed-role/app/s1</Arn>');
  });
});

describe('IAM trust policy documents', () => {
  it('refuses what is not a policy, accepts a policy', () => {
    expect([
      trustPolicyProblem('{"not": "a policy"'),
      trustPolicyProblem('{"Statement": [{"Effect": "allow", "Principal": "*", "Action": "sts:AssumeRole"}]}'),
      trustPolicyProblem('{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}'),
      trustPolicyProblem('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}'),
    ]).toEqual(['This policy contains invalid Json', 'Syntax errors in policy.', 'Missing required field Principal', undefined]);
  });

  it('CreateRole with a malformed trust policy is MalformedPolicyDocument and creates nothing', async () => {
    const res = await run('iam', 'CreateRole', undefined, {}, newFixState(), `Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=${encodeURIComponent('{"not"')}`);
    expect([res.status, res.text, res.seen]).toEqual([400, expect.stringMatching(/<Code>MalformedPolicyDocument<\/Code>/), []]);
  });
});

describe('CloudTrail DescribeTrails', () => {
  it('answers only the trails it is asked for, by name or ARN (moto answers every trail)', async () => {
    const trail = (n: string) => ({ Name: n, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${n}` });
    const res = await run('cloudtrail', 'DescribeTrails', { trailNameList: ['a', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/c'] }, {
      DescribeTrails: () => ({ body: { trailList: [trail('a'), trail('b'), trail('c')] } }),
      GetEventSelectors: () => ({ body: {} }),
    });
    expect(res.body.trailList.map((t: { Name: string }) => t.Name)).toEqual(['a', 'c']);
  });
});

describe('trustAllows', () => {
  const backup = { service: 'backup.amazonaws.com', accountId: '123456789012' };
  const doc = (st: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [st] });

  it('allows the service the policy names, with a matching aws:SourceAccount condition', () => {
    expect(trustAllows(doc({ Effect: 'Allow', Principal: { Service: ['backup.amazonaws.com'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }), backup)).toBe(true);
  });

  it('refuses another service, another source account, a Deny, and an empty policy', () => {
    expect([
      trustAllows(doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), backup),
      trustAllows(doc({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }), backup),
      trustAllows(JSON.stringify({ Statement: [
        { Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: '*', Action: 'sts:*' },
      ] }), backup),
      trustAllows('{"Version":"2012-10-17","Statement":[]}', backup),
    ]).toEqual([false, false, false, false]);
  });
});
