/**
 * The wire protocol: requests without SigV4 credentials are refused in each service's own error
 * shape (the CLI's --no-sign-request and an SDK client whose signer signs nothing).
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BackupClient, ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { api, error } from '../kit';
import type { Case, Env } from '../harness';

/** An SDK client that sends requests unsigned. */
const unsigned = <C>(Client: new (o: object) => C, e: Env, extra: object = {}): C =>
  new Client({ endpoint: e.endpoint, maxAttempts: 1, signer: { sign: async (request: unknown) => request }, ...extra });

export const PROTOCOL_CASES: Case[] = [
  {
    id: 'protocol.any-credentials',
    reference: 'AWS STS API Reference, common errors: an access key AWS does not know → InvalidClientTokenId (HTTP 403)',
    difference: 'Without --strict-auth the sandbox accepts any SigV4 credentials (the suite signs with test/test) and serves one account, 123456789012',
    ...api('sts', 'GetCallerIdentity', () => ({})),
    expect: (out) => expect(out.Account).toBe('123456789012'),
  },
  {
    id: 'protocol.unsigned.dynamodb',
    reference: 'DynamoDB API Reference, common errors: a request without credentials → MissingAuthenticationTokenException (HTTP 400)',
    cli: () => ['--no-sign-request', 'dynamodb', 'list-tables'],
    sdk: (e) => unsigned(DynamoDBClient, e).send(new ListTablesCommand({})),
    expect: error('MissingAuthenticationTokenException', /Authentication Token/, 400),
  },
  {
    id: 'protocol.unsigned.kms',
    reference: 'AWS KMS API Reference, common errors: a request without credentials → MissingAuthenticationTokenException',
    cli: () => ['--no-sign-request', 'kms', 'list-keys'],
    sdk: (e) => unsigned(KMSClient, e).send(new ListKeysCommand({})),
    expect: error('MissingAuthenticationTokenException'),
  },
  {
    id: 'protocol.unsigned.sts',
    reference: 'AWS STS API Reference, common errors: a request without credentials → MissingAuthenticationToken (HTTP 403)',
    cli: () => ['--no-sign-request', 'sts', 'get-caller-identity'],
    sdk: (e) => unsigned(STSClient, e).send(new GetCallerIdentityCommand({})),
    expect: error('MissingAuthenticationToken', undefined, 403),
  },
  {
    id: 'protocol.unsigned.s3',
    reference: 'Amazon S3 API Reference, error responses: an anonymous request to a private resource → AccessDenied (HTTP 403)',
    cli: () => ['--no-sign-request', 's3api', 'list-buckets'],
    sdk: (e) => unsigned(S3Client, e, { forcePathStyle: true }).send(new ListBucketsCommand({})),
    expect: error('AccessDenied', undefined, 403),
  },
  {
    id: 'protocol.unsigned.backup',
    reference: 'AWS Backup API Reference, common errors: a request without credentials → MissingAuthenticationTokenException (HTTP 403)',
    cli: () => ['--no-sign-request', 'backup', 'list-backup-vaults'],
    sdk: (e) => unsigned(BackupClient, e).send(new ListBackupVaultsCommand({})),
    expect: error('MissingAuthenticationTokenException', undefined, 403),
  },
];
