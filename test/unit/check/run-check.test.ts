import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { CheckReport, loadCheckInput, renderCheckReport, runCheck } from '../../../compliance';
import { requirementsFromContract } from '../../../compliance/facts/requirements';
import { DEFAULT_REQUIREMENTS } from '../../../compliance/facts/types';
import { CONTRACT_FILE_NAME } from '../../../core/contract';
import { dev } from '../../../stacks/config';
import { PlatformStack } from '../../../stacks/platform-stack';
import { thrownTablesafeError } from '../../helpers/errors';

/** PITR off, AWS-owned key, no deletion protection, no backup plan. */
const INSECURE = {
  provider: { aws: [{ region: 'us-east-1' }] },
  resource: {
    aws_dynamodb_table: {
      orders: { name: 'orders', billing_mode: 'PAY_PER_REQUEST', hash_key: 'ID', attribute: [{ name: 'ID', type: 'S' }], point_in_time_recovery: [{ enabled: false }] },
    },
  },
};
const INSECURE_RULES = ['TS-DDB-001', 'TS-DDB-002', 'TS-DDB-003', 'TS-DDB-004'];

const platform = () => new PlatformStack(Testing.app(), dev, { env: {} });

const ruleIds = (r: CheckReport) => r.compliance.violations.map((f) => f.ruleId).sort();
const thrown = thrownTablesafeError;

describe('runCheck (library)', () => {
  it('reports each violation of an insecure table and exit code 1', () => {
    const report = runCheck({ terraform: INSECURE });
    expect([report.exitCode, ruleIds(report)]).toEqual([1, INSECURE_RULES]);
  });

  it('holds the input to tablesafe-strict by default', () => {
    expect(runCheck({ terraform: INSECURE }).compliance.pack).toBe('tablesafe-strict');
  });

  it('evaluates the pack it is given', () => {
    expect(runCheck({ terraform: INSECURE }, { pack: 'tablesafe-baseline' }).compliance.pack).toBe('tablesafe-baseline');
  });

  it('exit code 0 when every violation is suppressed, listing the suppressions', () => {
    const suppressions = INSECURE_RULES.map((ruleId) => ({ ruleId, resource: 'orders', reason: 'fixture of an insecure table' }));
    const report = runCheck({ terraform: INSECURE }, { suppressions });
    expect([report.exitCode, report.compliance.suppressed.length]).toEqual([0, 4]);
  });

  it('uses the default requirements without a contract', () => {
    const report = runCheck({ terraform: INSECURE });
    expect([report.requirementsFrom, report.requirements]).toEqual(['default', DEFAULT_REQUIREMENTS]);
  });

  it('derives the requirements from a contract and passes a platform stack', () => {
    const stack = platform();
    const contract = JSON.parse(JSON.stringify(stack.contract()));
    const report = runCheck({ terraform: stack.toTerraform(), contract });
    expect(report).toMatchObject({ exitCode: 0, requirementsFrom: 'contract', requirements: requirementsFromContract(contract) });
  });

  it('names the scope it is given', () => {
    expect(runCheck({ terraform: INSECURE, scope: 'orders-stack' }).compliance.scope).toBe('orders-stack');
  });

  it('throws TS_E_INPUT_INVALID for JSON that is not Terraform, naming its file', () => {
    const e = thrown(() => runCheck({ terraform: { hello: 'world' }, files: { terraform: 'x.json' } }));
    expect([e.code, e.message]).toEqual(['TS_E_INPUT_INVALID', expect.stringMatching(/^x\.json is not Terraform JSON/)]);
  });

  it('throws TS_E_CONTRACT_INVALID for a contract of another schema version', () => {
    const contract = { ...platform().contract(), schemaVersion: 2 } as never;
    expect(thrown(() => runCheck({ terraform: INSECURE, contract })).toLine()).toMatch(/^TS_E_CONTRACT_INVALID: contract contract: schemaVersion is 2/);
  });

  it('throws TS_E_PACK_UNKNOWN naming the known packs', () => {
    expect(thrown(() => runCheck({ terraform: INSECURE }, { pack: 'loose' })).toLine()).toMatch(/^TS_E_PACK_UNKNOWN: pack "loose" is unknown — use one of tablesafe-baseline, tablesafe-strict/);
  });

  it('throws TS_E_SUPPRESSION_INVALID for a suppression without a reason', () => {
    const e = thrown(() => runCheck({ terraform: INSECURE }, { suppressions: [{ ruleId: 'TS-DDB-001', resource: 'orders', reason: '' }] }));
    expect(e.code).toBe('TS_E_SUPPRESSION_INVALID');
  });

  it('renders json as the compliance report and table, md, junit from the same findings', () => {
    const report = runCheck({ terraform: INSECURE });
    expect(JSON.parse(renderCheckReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report.compliance)));
    expect(renderCheckReport(report, 'junit').match(/<failure /g)).toHaveLength(4);
    expect(renderCheckReport(report, 'table')).toMatch(/FAIL\s+TS-DDB-001/);
    expect(renderCheckReport(report, 'md')).toMatch(/TS-DDB-001/);
  });
});

describe('loadCheckInput', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-load-'));
  const stackDir = (withContract: boolean) => {
    const dir = path.join(tmp(), 'dev');
    fs.mkdirSync(dir);
    const stack = platform();
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack.toTerraform()));
    if (withContract) fs.writeFileSync(path.join(dir, CONTRACT_FILE_NAME), JSON.stringify(stack.contract()));
    return dir;
  };

  it('reads a stack dir with its contract, named after the dir', () => {
    const dir = stackDir(true);
    const input = loadCheckInput(dir);
    expect(input).toMatchObject({ scope: 'dev', contract: { stack: 'dev' }, files: { terraform: path.join(dir, 'cdk.tf.json'), contract: path.join(dir, CONTRACT_FILE_NAME) } });
  });

  it('reads the contract beside a cdk.tf.json', () => {
    const dir = stackDir(true);
    expect(loadCheckInput(path.join(dir, 'cdk.tf.json'))).toMatchObject({ scope: 'dev', contract: { stack: 'dev' } });
  });

  it('reads a stack dir without a contract', () => {
    const input = loadCheckInput(stackDir(false));
    expect([input.contract, input.files?.contract]).toEqual([undefined, undefined]);
  });

  it('feeds runCheck: the contract\'s requirements hold the stack', () => {
    expect(runCheck(loadCheckInput(stackDir(true)))).toMatchObject({ exitCode: 0, requirementsFrom: 'contract' });
  });

  it('throws TS_E_INPUT_UNREADABLE for a missing file', () => {
    expect(thrown(() => loadCheckInput(path.join(tmp(), 'missing.tf.json'))).toLine()).toMatch(/^TS_E_INPUT_UNREADABLE: cannot read Terraform JSON .*missing\.tf\.json: ENOENT/);
  });

  it('throws TS_E_INPUT_UNREADABLE for a stack dir without cdk.tf.json', () => {
    expect(thrown(() => loadCheckInput(tmp())).code).toBe('TS_E_INPUT_UNREADABLE');
  });

  it('throws TS_E_INPUT_INVALID for a file that is not JSON', () => {
    const file = path.join(tmp(), 'bad.tf.json');
    fs.writeFileSync(file, '{ not json');
    expect(thrown(() => loadCheckInput(file)).toLine()).toMatch(/^TS_E_INPUT_INVALID: Terraform JSON .*bad\.tf\.json is not valid JSON/);
  });

  it('throws TS_E_CONTRACT_INVALID for a contract that is not one, naming the file', () => {
    const dir = stackDir(false);
    fs.writeFileSync(path.join(dir, CONTRACT_FILE_NAME), JSON.stringify({ schemaVersion: 1 }));
    expect(thrown(() => loadCheckInput(dir)).toLine()).toMatch(/^TS_E_CONTRACT_INVALID: contract .*tablesafe\.contract\.json: stack must be a non-empty string/);
  });
});
