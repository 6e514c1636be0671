import { newFixState } from '../../../sandbox/fixes';
import { classify, isKnownOperation, scopeOnlyAuthorization, writeScope } from '../../../sandbox/server';

const dynamo = (op: string, body: unknown) => classify('POST', '/', {
  'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}`, authorization: scopeOnlyAuthorization('eu-west-1', 'dynamodb'),
}, Buffer.from(JSON.stringify(body)));

describe('classify', () => {
  it('routes by the credential scope and names the operation', () => {
    const call = dynamo('PutItem', {});
    expect([call.service, call.region, call.protocol, call.operation, call.mutating]).toEqual(['dynamodb', 'eu-west-1', 'awsJson1_0', 'PutItem', true]);
  });

  it('journals a KMS read that names an AWS managed key alias, since moto creates that key on first mention', () => {
    const kms = (body: unknown) => classify('POST', '/', {
      'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.DescribeKey', authorization: scopeOnlyAuthorization('us-east-1', 'kms'),
    }, Buffer.from(JSON.stringify(body))).mutating;
    expect({
      alias: kms({ KeyId: 'alias/aws/dynamodb' }),
      aliasArn: kms({ KeyId: 'arn:aws:kms:us-east-1:123456789012:alias/aws/sns' }),
      customerAlias: kms({ KeyId: 'alias/tablesafe-data' }),
      keyId: kms({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }),
    }).toEqual({ alias: true, aliasArn: true, customerAlias: false, keyId: false });
  });

  it('treats an unsigned request as moto\'s default', () => {
    expect(classify('GET', '/', {}, Buffer.alloc(0)).service).toBe('unsigned');
  });

  it('routes a presigned S3 URL by X-Amz-Credential', () => {
    const call = classify('GET', '/bucket/key?X-Amz-Credential=AK%2F20240101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Signature=ab', {}, Buffer.alloc(0));
    expect([call.service, call.region, call.operation]).toEqual(['s3', 'us-west-2', 'GetObject']);
  });
});

describe('writeScope', () => {
  it('scopes an item write to its table and key once the key schema is known', () => {
    const state = newFixState();
    state.keyTypes.set('eu-west-1/orders', { ID: 'S' });
    expect(writeScope(dynamo('PutItem', { TableName: 'orders', Item: { ID: { S: '1' }, v: { N: '2' } } }), state))
      .toEqual({ resource: 'dynamodb:eu-west-1/orders', item: '[["ID",{"S":"1"}]]' });
  });

  it('scopes an item write to the whole table when the key schema is unknown', () => {
    expect(writeScope(dynamo('DeleteItem', { TableName: 'orders', Key: { ID: { S: '1' } } }), newFixState())).toEqual({ resource: 'dynamodb:eu-west-1/orders', item: undefined });
  });

  it('scopes a control-plane write to everything', () => {
    expect(writeScope(dynamo('CreateTable', { TableName: 'orders' }), newFixState())).toEqual({});
  });

  it('scopes an S3 object write to its bucket and key', () => {
    const call = classify('PUT', '/bucket/a/b.txt', { authorization: scopeOnlyAuthorization('us-east-1', 's3') }, Buffer.from('x'));
    expect(writeScope(call, newFixState())).toEqual({ resource: 's3:bucket', item: 'a/b.txt' });
  });
});

describe('isKnownOperation', () => {
  it('knows an operation the SDK has', () => {
    expect(isKnownOperation('dynamodb', 'PutItem')).toBe(true);
  });

  it('does not know an invented operation', () => {
    expect(isKnownOperation('iam', 'FrobnicateRole')).toBe(false);
  });
});
