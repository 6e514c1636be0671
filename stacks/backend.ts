import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { INVALID_ENV, invalidInput, TablesafeError } from '../core/errors';

/**
 * Where Terraform keeps a stack's state, chosen by environment variables at synth:
 *
 * | TABLESAFE_BACKEND | also reads | state |
 * |---|---|---|
 * | `local` (default) | — | `cdktf.out/stacks/<stack>/terraform.<stack>.tfstate` |
 * | `s3` | `TABLESAFE_STATE_BUCKET` (required), `TABLESAFE_STATE_REGION` (default `AWS_REGION`), `TABLESAFE_STATE_LOCK_TABLE` (optional DynamoDB lock table), `TABLESAFE_STATE_KEY_PREFIX` (default `tablesafe/`) | `s3://bucket/<prefix><stack>.tfstate`, encrypted |
 * | `cloud` | `TF_CLOUD_ORGANIZATION` (required), `TF_CLOUD_HOSTNAME` (default app.terraform.io), `TABLESAFE_TFC_WORKSPACE_PREFIX` (default `tablesafe-`) | Terraform Cloud workspace `<prefix><stack>` |
 */
export type BackendKind = 'local' | 's3' | 'cloud';

export function configureBackend(stack: TerraformStack, stackName: string, env: NodeJS.ProcessEnv = process.env): BackendKind {
  const kind = (env.TABLESAFE_BACKEND ?? 'local') as BackendKind;
  const required = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new TablesafeError(INVALID_ENV, `TABLESAFE_BACKEND=${kind} needs ${name}: set it to ${name === 'TF_CLOUD_ORGANIZATION' ? 'your Terraform Cloud organization' : 'the state bucket name'}`, undefined, { field: name });
    }
    return value;
  };
  switch (kind) {
    case 'local':
      new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
      return kind;
    case 's3': {
      const region = env.TABLESAFE_STATE_REGION ?? env.AWS_REGION;
      if (!region) throw new TablesafeError(INVALID_ENV, 'TABLESAFE_BACKEND=s3 needs TABLESAFE_STATE_REGION (or AWS_REGION): the state bucket\'s region', undefined, { field: 'TABLESAFE_STATE_REGION' });
      new S3Backend(stack, {
        bucket: required('TABLESAFE_STATE_BUCKET'),
        key: `${env.TABLESAFE_STATE_KEY_PREFIX ?? 'tablesafe/'}${stackName}.tfstate`,
        region,
        encrypt: true,
        dynamodbTable: env.TABLESAFE_STATE_LOCK_TABLE || undefined,
      });
      return kind;
    }
    case 'cloud':
      new CloudBackend(stack, {
        hostname: env.TF_CLOUD_HOSTNAME ?? 'app.terraform.io',
        organization: required('TF_CLOUD_ORGANIZATION'),
        workspaces: new NamedCloudWorkspace(`${env.TABLESAFE_TFC_WORKSPACE_PREFIX ?? 'tablesafe-'}${stackName}`),
      });
      return kind;
    default:
      throw invalidInput('TABLESAFE_BACKEND', kind, 'must be local, s3 or cloud', { code: INVALID_ENV });
  }
}
