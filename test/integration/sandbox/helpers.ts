import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';

/** Test credentials and region come from the environment, as for any SDK user; clients set only `endpoint`. */
export function useSandboxEnv(): void {
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

export function tempStateDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'tablesafe-sandbox-'));
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  useSandboxEnv();
  return startSandbox({ quiet: true, stateDir: tempStateDir(), timeScale: 100, ...options });
}

export async function postFault(endpoint: string, fault: unknown): Promise<Response> {
  return fetch(`${endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(fault), headers: { 'content-type': 'application/json' } });
}

/** The trust policy AWS Backup needs to assume a job role. */
export const BACKUP_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Creates an IAM role AWS Backup can assume (jobs with any other role are refused); answers its ARN. */
export async function createBackupRole(endpoint: string, name = 'backup'): Promise<string> {
  const out = await new IAMClient({ endpoint }).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: BACKUP_TRUST_POLICY }));
  return out.Role!.Arn!;
}
