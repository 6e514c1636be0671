/** One terraform lookup for every caller, and the Error: line of its output. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadInputs, runTerraformOutput } from '../../../core/outputs';
import { findTerraform, terraformErrorSummary } from '../../../core/terraform';
import { contract, terraformOutputJson } from '../verify/fixtures';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-core-tf-'));

/** A stand-in terraform: prints `stdout` and `stderr`, exits `code`. */
function standIn(stdout: string, stderr = '', code = 0): string {
  const file = path.join(tmp(), 'terraform');
  // printf is a shell builtin: the script runs with any PATH.
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${stdout}'\nprintf '%s\\n' '${stderr}' >&2\nexit ${code}\n`);
  chmodSync(file, 0o755);
  return file;
}

const WARNING_THEN_ERROR = [
  'There are some problems with the CLI configuration:',
  '╷',
  '│ Warning: Unable to open CLI configuration file',
  '│',
  '│ The CLI configuration file at "/root/.terraformrc" does not exist.',
  '╵',
  '',
  '',
  'Error: Backend initialization required, please run "terraform init"',
  '',
  'Reason: Initial configuration of the requested backend "local"',
].join('\n');

describe('findTerraform', () => {
  it('prefers TABLESAFE_TERRAFORM', () => {
    expect(findTerraform({ TABLESAFE_TERRAFORM: '/opt/tf/terraform', PATH: '/usr/bin' })).toBe('/opt/tf/terraform');
  });

  it('finds terraform on PATH', () => {
    const bin = standIn('');
    expect(findTerraform({ PATH: `/nonexistent${path.delimiter}${path.dirname(bin)}` })).toBe(bin);
  });

  it('says what to install when there is none', () => {
    expect(() => findTerraform({ PATH: tmp() })).toThrow(expect.objectContaining({ code: 'TS_E_NO_TERRAFORM', remedy: expect.stringMatching(/TABLESAFE_TERRAFORM/) }));
  });
});

describe('terraformErrorSummary', () => {
  it('picks the Error: line after a warning', () => {
    expect(terraformErrorSummary(WARNING_THEN_ERROR)).toBe('Error: Backend initialization required, please run "terraform init"');
  });

  it('falls back to the first line outside the warning, then to the fallback', () => {
    expect(terraformErrorSummary('There are some problems with the CLI configuration:\n╷\n│ Warning: x\n╵\nsomething broke\n')).toBe('something broke');
    expect(terraformErrorSummary('╷\n│ Warning: x\n╵\n', 'exit code 1')).toBe('exit code 1');
  });
});

describe('runTerraformOutput', () => {
  it('runs the terraform TABLESAFE_TERRAFORM names', async () => {
    const bin = standIn('{"a":{"value":"b"}}');
    await expect(runTerraformOutput(tmp(), { PATH: '/nonexistent', TABLESAFE_TERRAFORM: bin })).resolves.toMatch(/"value":"b"/);
  });

  it('says it could not run a TABLESAFE_TERRAFORM that does not exist', async () => {
    await expect(runTerraformOutput(tmp(), { PATH: '/usr/bin:/bin', TABLESAFE_TERRAFORM: '/nonexistent/terraform' })).rejects.toMatchObject({ code: 'TS_E_TERRAFORM_SPAWN' });
  });
});

describe('loadInputs --stack with a real (stand-in) terraform', () => {
  const saved = process.env.TABLESAFE_TERRAFORM;
  afterEach(() => {
    if (saved === undefined) delete process.env.TABLESAFE_TERRAFORM;
    else process.env.TABLESAFE_TERRAFORM = saved;
  });

  function project(): string {
    const root = tmp();
    const dir = path.join(root, 'cdktf.out', 'stacks', 'demo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'tablesafe.contract.json'), JSON.stringify(contract()));
    return root;
  }

  it('honours TABLESAFE_TERRAFORM', async () => {
    process.env.TABLESAFE_TERRAFORM = standIn(terraformOutputJson());
    await expect(loadInputs({ stack: 'demo', cwd: project() })).resolves.toMatchObject({ outputs: { tableName: expect.any(String) } });
  });

  it('names the Error: line when terraform warned first', async () => {
    process.env.TABLESAFE_TERRAFORM = standIn('', WARNING_THEN_ERROR, 1);
    await expect(loadInputs({ stack: 'demo', cwd: project() })).rejects.toMatchObject({
      code: 'TS_E_TERRAFORM_OUTPUT',
      message: expect.stringMatching(/`terraform output -json` failed in .*demo: Error: Backend initialization required, please run "terraform init"$/),
    });
  });
});
