/**
 * Helpers for writing cases: one operation and its input drive both the CLI call
 * (`aws <service> <operation> --cli-input-json …`, the same in v1 and v2) and the SDK v3 command.
 */
import type { Case, Env, Variant } from './harness';

const PACKAGES: Record<string, { pkg: string; client: keyof Env['sdk']; cli: string }> = {
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', client: 'ddb', cli: 'dynamodb' },
  kms: { pkg: '@aws-sdk/client-kms', client: 'kms', cli: 'kms' },
  sts: { pkg: '@aws-sdk/client-sts', client: 'sts', cli: 'sts' },
  iam: { pkg: '@aws-sdk/client-iam', client: 'iam', cli: 'iam' },
  cloudtrail: { pkg: '@aws-sdk/client-cloudtrail', client: 'trail', cli: 'cloudtrail' },
  backup: { pkg: '@aws-sdk/client-backup', client: 'backup', cli: 'backup' },
  s3: { pkg: '@aws-sdk/client-s3', client: 's3', cli: 's3api' },
};

export type Service = keyof typeof PACKAGES;

export const kebab = (op: string): string => op.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();

/** Sends one SDK v3 command by operation name. */
export async function send(e: Env, service: Service, operation: string, input: unknown): Promise<any> {
  const { pkg, client } = PACKAGES[service];
  const Command = (require(pkg) as Record<string, new (i: unknown) => unknown>)[`${operation}Command`];
  if (!Command) throw new Error(`${pkg} has no ${operation}Command`);
  return (e.sdk[client] as unknown as { send(c: unknown): Promise<any> }).send(new Command(input));
}

export type Input = (e: Env, v: Variant, data: any) => Record<string, unknown>;

/** The `cli` and `sdk` halves of a case that makes one call. */
export function api(service: Service, operation: string, input: Input, cliExtra: readonly string[] = []): Pick<Case, 'cli' | 'sdk'> {
  return {
    cli: (e, v, d) => [PACKAGES[service].cli, kebab(operation), '--cli-input-json', JSON.stringify(input(e, v, d)), ...cliExtra],
    sdk: (e, v, d) => send(e, service, operation, input(e, v, d)),
  };
}

/** A name unique to the case and the variant (DynamoDB wants ≥ 3 characters). */
export const nameOf = (base: string, v: Variant): string => `fid-${base}-${v.tag}`;

export const keySchema = { KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }] };

export function tableInput(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { TableName: name, ...keySchema, BillingMode: 'PAY_PER_REQUEST', ...extra };
}

export async function createTable(e: Env, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await send(e, 'dynamodb', 'CreateTable', tableInput(name, extra));
  return out.TableDescription.TableArn as string;
}

/** Binary blobs: the CLI reads them from a file (`fileb://`), identically in v1 and v2. */
export function blobFile(v: Variant, name: string, bytes: Uint8Array | string): string {
  const { writeFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const file = join(v.dir, name);
  writeFileSync(file, bytes);
  return `fileb://${file}`;
}

export const error = (code: string, message?: RegExp, status?: number) => ({ error: code, ...(message ? { message } : {}), ...(status ? { status } : {}) });
