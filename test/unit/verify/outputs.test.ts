import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadInputs } from '../../../core/outputs';
import { contract, outputs, terraformOutputJson, TABLE } from './fixtures';

function project(withContract = true): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ts-outputs-'));
  const dir = path.join(root, 'cdktf.out', 'stacks', 'demo');
  mkdirSync(dir, { recursive: true });
  if (withContract) writeFileSync(path.join(dir, 'tablesafe.contract.json'), JSON.stringify(contract()));
  return root;
}

describe('loadInputs --stack', () => {
  it('reads the contract and runs terraform output -json in the stack directory', async () => {
    const root = project();
    const runner = jest.fn(async () => terraformOutputJson());
    const inputs = await loadInputs({ stack: 'demo', cwd: root, terraformOutput: runner });
    expect(runner).toHaveBeenCalledWith(path.join(root, 'cdktf.out', 'stacks', 'demo'));
    expect(inputs.outputs.tableName).toBe(TABLE);
    expect(inputs.contract.table.name).toBe(TABLE);
  });

  it('treats empty-string outputs of absent features as undefined', async () => {
    const inputs = await loadInputs({ stack: 'demo', cwd: project(), terraformOutput: async () => terraformOutputJson() });
    expect(inputs.outputs.drVaultName).toBeUndefined();
  });

  it('says to run cdktf synth when the contract is missing', async () => {
    await expect(loadInputs({ stack: 'demo', cwd: project(false), terraformOutput: async () => '{}' })).rejects.toThrow(/contract .*tablesafe.contract.json does not exist/);
    await expect(loadInputs({ stack: 'demo', cwd: project(false), terraformOutput: async () => '{}' })).rejects.toMatchObject({ code: 'TS_E_CONTRACT_MISSING', remedy: expect.stringMatching(/npx cdktf synth/) });
  });

  it('says the stack is not applied when terraform has no outputs', async () => {
    await expect(loadInputs({ stack: 'demo', cwd: project(), terraformOutput: async () => '{}\n' })).rejects.toMatchObject({
      code: 'TS_E_NOT_APPLIED',
      remedy: expect.stringMatching(/stack not applied: run `npx cdktf deploy demo`/),
    });
  });

  it('names the missing required outputs', async () => {
    const partial = terraformOutputJson(outputs({ tableArn: '' }));
    await expect(loadInputs({ stack: 'demo', cwd: project(), terraformOutput: async () => partial })).rejects.toThrow(/lacks output\(s\) table_arn/);
  });

  it('reports a failing terraform with its first error line', async () => {
    const failing = async () => {
      throw Object.assign(new Error('exit 1'), { stderr: '╷\n│ Error: Backend initialization required\n' });
    };
    await expect(loadInputs({ stack: 'demo', cwd: project(), terraformOutput: failing })).rejects.toThrow(/terraform output -json` failed in .*: Error: Backend initialization required/);
  });

  it('reports the Error: line, not a CLI-config warning terraform printed before it', async () => {
    const failing = async () => {
      throw Object.assign(new Error('Command failed'), {
        stderr: 'There are some problems with the CLI configuration:\n╷\n│ Warning: Unable to open CLI configuration file\n╵\n\n\nError: Backend initialization required, please run "terraform init"\n\nReason: ...\n',
      });
    };
    await expect(loadInputs({ stack: 'demo', cwd: project(), terraformOutput: failing })).rejects.toThrow(/failed in .*: Error: Backend initialization required, please run "terraform init"$/);
  });
});

describe('loadInputs --contract --outputs', () => {
  it('reads both files', async () => {
    const root = project();
    writeFileSync(path.join(root, 'outputs.json'), terraformOutputJson());
    const inputs = await loadInputs({ cwd: root, contractFile: 'cdktf.out/stacks/demo/tablesafe.contract.json', outputsFile: 'outputs.json' });
    expect(inputs.outputs.vaultName).toBe('tablesafe-demo-vault');
  });

  it('rejects an outputs file that is not JSON', async () => {
    const root = project();
    writeFileSync(path.join(root, 'outputs.json'), 'not json');
    await expect(loadInputs({ cwd: root, contractFile: 'cdktf.out/stacks/demo/tablesafe.contract.json', outputsFile: 'outputs.json' })).rejects.toThrow(/outputs.json is not valid JSON/);
  });

  it('rejects a contract of another schema version naming the field', async () => {
    const root = project();
    writeFileSync(path.join(root, 'c.json'), JSON.stringify({ ...contract(), schemaVersion: 99 }));
    writeFileSync(path.join(root, 'outputs.json'), terraformOutputJson());
    await expect(loadInputs({ cwd: root, contractFile: 'c.json', outputsFile: 'outputs.json' })).rejects.toThrow(/schemaVersion is 99/);
  });

  it('requires a stack or both files', async () => {
    await expect(loadInputs({ contractFile: 'c.json' })).rejects.toThrow(/no stack given/);
  });
});

describe('suppressions beside the contract', () => {
  it('are read from tablesafe.compliance.json', async () => {
    const root = project();
    const suppressions = [{ ruleId: 'TS-DDB-003', resource: 'orders', reason: 'demo table is torn down every run' }];
    writeFileSync(path.join(root, 'cdktf.out', 'stacks', 'demo', 'tablesafe.compliance.json'), JSON.stringify({ pack: 'p', suppressions }));
    const inputs = await loadInputs({ stack: 'demo', cwd: root, terraformOutput: async () => terraformOutputJson() });
    expect(inputs.suppressions).toEqual(suppressions);
  });
});
