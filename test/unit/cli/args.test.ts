import { choiceOption, integerOption, pathOption, positiveNumberOption, readCommandLine } from '../../../core/args';
import { usageError } from '../../../core/errors';

const SPEC = { command: 'tablesafe demo', options: { '--out': 'value', '--items': 'value', '--json': 'switch' }, maxPositionals: 1 } as const;

describe('readCommandLine', () => {
  it('reads values in both forms, switches and positionals', () => {
    const line = readCommandLine(['stack', '--out', 'r', '--items=3', '--json'], SPEC);
    expect({ values: Object.fromEntries(line.values), switches: [...line.switches], positionals: line.positionals, help: line.help })
      .toEqual({ values: { '--out': 'r', '--items': '3' }, switches: ['--json'], positionals: ['stack'], help: false });
  });

  it('keeps "=" inside an inline value', () => {
    expect(readCommandLine(['--out=a=b'], SPEC).values.get('--out')).toBe('a=b');
  });

  it('answers help for --help or -h anywhere, even next to bad options', () => {
    expect([readCommandLine(['--nope', '--help'], SPEC).help, readCommandLine(['-h'], SPEC).help]).toEqual([true, true]);
  });

  it('names an unknown option and where to look', () => {
    expect(() => readCommandLine(['--fast'], SPEC)).toThrow(usageError('--fast: unknown option (see tablesafe demo --help)'));
  });

  it('throws TablesafeError TS_E_USAGE naming the option as its field', () => {
    expect(() => readCommandLine(['--fast'], SPEC)).toThrow(expect.objectContaining({ name: 'TablesafeError', code: 'TS_E_USAGE', field: '--fast' }));
  });

  it('does not take the next option as a missing value', () => {
    expect(() => readCommandLine(['--out', '--json'], SPEC)).toThrow(usageError('--out: a value is required'));
  });

  it('takes a value that starts with a single dash (a negative number is for the rule to judge)', () => {
    expect(readCommandLine(['--items', '-1'], SPEC).values.get('--items')).toBe('-1');
  });

  it('rejects a value given to a switch', () => {
    expect(() => readCommandLine(['--json=yes'], SPEC)).toThrow(usageError('--json: "yes" is invalid: --json takes no value'));
  });

  it('rejects more positionals than the command takes', () => {
    expect(() => readCommandLine(['a', 'b'], SPEC)).toThrow(usageError('"b": unexpected argument (see tablesafe demo --help)'));
  });
});

describe('typed options', () => {
  const line = (...argv: string[]) => readCommandLine(argv, { command: 't', options: { '--n': 'value' } });

  it('leave an option that was not given undefined', () => {
    expect([integerOption(line(), '--n', 0), positiveNumberOption(line(), '--n'), choiceOption(line(), '--n', ['a']), pathOption(line(), '--n')])
      .toEqual([undefined, undefined, undefined, undefined]);
  });

  it('integerOption names the value and the range', () => {
    expect(integerOption(line('--n', '7'), '--n', 1, 10)).toBe(7);
    expect(() => integerOption(line('--n', '2.5'), '--n', 1, 10)).toThrow('--n: "2.5" is invalid: must be an integer from 1 to 10');
    expect(() => integerOption(line('--n', '-1'), '--n', 0)).toThrow('--n: "-1" is invalid: must be a whole number >= 0');
  });

  it('positiveNumberOption rejects zero, blanks and words', () => {
    expect(positiveNumberOption(line('--n', '0.5'), '--n')).toBe(0.5);
    for (const bad of ['0', ' ', 'fast']) expect(() => positiveNumberOption(line('--n', bad), '--n')).toThrow(`--n: "${bad}" is invalid: must be a number > 0`);
  });

  it('choiceOption lists the choices', () => {
    expect(() => choiceOption(line('--n', 'c'), '--n', ['a', 'b'])).toThrow('--n: "c" is invalid: must be one of a, b');
  });

  it('pathOption rejects a blank path', () => {
    expect(() => pathOption(line('--n='), '--n')).toThrow('--n: "" is invalid: must be a path');
  });
});
