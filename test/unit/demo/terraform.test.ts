/**
 * The terraform wrapper against a stand-in binary (a shell script), so no terraform and no network.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Terraform } from '../../../demo/terraform';

/** A stack dir with a config file, and a fake terraform that prints `stdout` and `stderr`. */
function fakeTerraform(stdout: string, stderr: string, exitCode = 0): Terraform {
  const dir = mkdtempSync(path.join(tmpdir(), 'tablesafe-fake-tf-'));
  writeFileSync(path.join(dir, 'cdk.tf.json'), '{}');
  const binary = path.join(dir, 'terraform');
  writeFileSync(binary, `#!/bin/sh\nprintf '%s' '${stderr}' >&2\nprintf '%s' '${stdout}'\nexit ${exitCode}\n`);
  chmodSync(binary, 0o755);
  return new Terraform({ cwd: dir, binary });
}

const CLI_CONFIG_WARNING = 'There are some problems with the CLI configuration:\n│ Warning: Unable to open CLI configuration file\n';

describe('Terraform.outputs', () => {
  it('parses stdout only, so a warning terraform prints on stderr (missing CLI config) does not break it', async () => {
    const tf = fakeTerraform('{"table_name":{"sensitive":false,"type":"string","value":"orders"}}', CLI_CONFIG_WARNING);
    await expect(tf.outputs()).resolves.toEqual({ table_name: 'orders' });
  });

  it('keeps both streams in the human-readable output', async () => {
    const run = await fakeTerraform('{}', CLI_CONFIG_WARNING).run(['output', '-json'], false);
    expect({ stdout: run.stdout, warned: run.output.includes('Unable to open CLI configuration file') }).toEqual({ stdout: '{}', warned: true });
  });

  it('fails with the command name and terraform\'s first error line when output exits non-zero', async () => {
    const tf = fakeTerraform('', 'Error: No state file was found!\n', 1);
    await expect(tf.outputs()).rejects.toThrow(/terraform output failed in .*: Error: No state file was found!/);
  });
});

const BOXED_WARNING = 'There are some problems with the CLI configuration:\n╷\n│ Warning: Unable to open CLI configuration file\n│\n│ The CLI configuration file at "/root/.terraformrc" does not exist.\n╵\n\n';

describe('Terraform failures', () => {
  it('names the Error: line, not the CLI-config warning printed before it', async () => {
    const tf = fakeTerraform('', `${BOXED_WARNING}Error: Backend initialization required, please run "terraform init"\n\nReason: Initial configuration of the requested backend "local"\n`, 1);
    await expect(tf.outputs()).rejects.toThrow(/terraform output failed in .*: Error: Backend initialization required, please run "terraform init"$/);
  });

  it('joins several boxed Error: lines', async () => {
    const tf = fakeTerraform('', `${BOXED_WARNING}╷\n│ Error: Invalid provider configuration\n│\n│ detail\n╵\n╷\n│ Error: No valid credential sources found\n╵\n`, 1);
    await expect(tf.apply()).rejects.toThrow(/terraform apply failed in .*: Error: Invalid provider configuration; Error: No valid credential sources found$/);
  });

  it('without an Error: line names the first line that is not a warning', async () => {
    const tf = fakeTerraform('', `${BOXED_WARNING}panic: runtime error: invalid memory address\n`, 2);
    await expect(tf.init()).rejects.toThrow(/terraform init failed in .*: panic: runtime error: invalid memory address$/);
  });

  it('says terraform printed no JSON instead of a bare SyntaxError', async () => {
    await expect(fakeTerraform('not json', '').outputs()).rejects.toMatchObject({ code: 'TS_E_TERRAFORM_OUTPUT', message: expect.stringMatching(/printed no JSON/) });
  });
});

