import { TablesafeError } from '../../../core/errors';
import { main } from '../../../cli/main';

const runCheckCli = jest.fn<Promise<number>, [string[]]>();
jest.mock('../../../cli/check', () => ({ runCheckCli: (argv: string[]) => runCheckCli(argv) }));

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  const lines: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    return { code: await main(argv), err: lines.join('\n') };
  } finally {
    error.mockRestore();
  }
}

beforeEach(() => runCheckCli.mockReset());

describe('tablesafe: errors that reach the top', () => {
  it('reports a bug in one line without a stack and exits 2', async () => {
    runCheckCli.mockRejectedValue(new Error('cannot read properties of undefined'));
    const { code, err } = await run(['check', 'x.tf.json']);
    expect(code).toBe(2);
    expect(err).toBe('tablesafe: unexpected error: cannot read properties of undefined — please report it (run again with --debug for the stack)');
  });

  it('prints the stack with --debug anywhere, and the command never sees --debug', async () => {
    runCheckCli.mockRejectedValue(new Error('boom'));
    for (const argv of [['--debug', 'check', 'x.tf.json'], ['check', '--debug', 'x.tf.json'], ['check', 'x.tf.json', '--debug']]) {
      const { code, err } = await run(argv);
      expect(code).toBe(2);
      expect(err).toMatch(/^tablesafe: unexpected error: Error: boom\n\s+at /);
      expect(runCheckCli).toHaveBeenLastCalledWith(['x.tf.json']);
    }
  });

  it('reports a TablesafeError as code, message and remedy, its stack only with --debug', async () => {
    runCheckCli.mockRejectedValue(new TablesafeError('TS_E_X', 'it broke', 'do this'));
    expect(await run(['check'])).toEqual({ code: 2, err: 'tablesafe: TS_E_X: it broke — do this' });
    expect((await run(['check', '--debug'])).err).toMatch(/^tablesafe: TS_E_X: it broke — do this\nTablesafeError: it broke\n\s+at /);
  });

  it('passes the command\'s exit code through', async () => {
    runCheckCli.mockResolvedValue(1);
    expect(await run(['check', 'x.tf.json'])).toEqual({ code: 1, err: '' });
  });
});
