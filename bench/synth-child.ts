/**
 * One synth, measured from inside: `node -r ts-node/register/transpile-only bench/synth-child.ts <prod|one-table> <outdir>`.
 * Both variants load the same modules (the import cost is what deep imports keep small), then
 * build and synthesize either the full prod PlatformStack or a single key + table.
 */
import { performance } from 'node:perf_hooks';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { prod } from '../stacks/config';
import { PlatformStack } from '../stacks/platform-stack';
import { EncryptionKey } from '../modules/kms/encryption-key';
import { Table } from '../modules/table/table';

const [variant, outdir] = process.argv.slice(2);
const loaded = performance.now();
const app = new App({ outdir });
if (variant === 'prod') {
  new PlatformStack(app, prod, { env: {} });
} else if (variant === 'one-table') {
  const stack = new TerraformStack(app, 'one-table');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const key = new EncryptionKey(stack, 'key', { alias: 'one-table', region: 'us-east-1', services: ['dynamodb'] });
  new Table(stack, 'table', { tableName: 'one-table', region: 'us-east-1', partitionKey: { name: 'ID', type: 'S' }, encryptionKey: key });
} else {
  throw new Error(`variant: "${variant}" is invalid: must be prod or one-table`);
}
app.synth();
const done = performance.now();
process.stdout.write(
  JSON.stringify({ variant, startupMs: loaded, synthMs: done - loaded, totalMs: done, maxRssKb: process.resourceUsage().maxRSS }) + '\n',
);
