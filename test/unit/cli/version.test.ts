/** `tablesafe --version`, `tablesafe help <command>` and the AWS SDK's Node notice. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../cli/main';
import { quietSdkNodeNotice, toolVersion, unsupportedNodeLine, versionText } from '../../../cli/version';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { version: string };

let out: string;
let err: string;
beforeEach(() => {
  out = '';
  err = '';
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
});
afterEach(() => jest.restoreAllMocks());

describe('tablesafe --version', () => {
  it('prints the tool version, the Node version and the supported Node versions, exit 0', async () => {
    expect(await main(['--version'])).toBe(0);
    expect(out.trim().split('\n')).toEqual([
      `tablesafe ${pkg.version}`,
      expect.stringMatching(new RegExp(`^node ${process.version.replace(/\./g, '\\.')}`)),
      expect.stringMatching(/^supported: Node 20 or newer \(22\+ recommended/),
    ]);
  });

  it('reads the version from package.json', () => {
    expect(toolVersion()).toBe(pkg.version);
  });

  it('marks Node 20 as supported until January 2027, Node 18 as unsupported, Node 22 plainly', () => {
    expect(versionText('v20.1.0').split('\n')[1]).toBe('node v20.1.0 — supported; move to Node 22 before January 2027');
    expect(versionText('v18.19.0').split('\n')[1]).toBe('node v18.19.0 — not supported');
    expect(versionText('v22.3.0').split('\n')[1]).toBe('node v22.3.0');
  });

  it('warns in one line only below the supported Node versions', () => {
    expect(unsupportedNodeLine('v20.0.0')).toBeUndefined();
    expect(unsupportedNodeLine('v18.0.0')).toMatch(/^tablesafe: Node v18\.0\.0 is not supported; use Node 20 or newer/);
  });
});

describe('tablesafe help <command>', () => {
  it('prints the command\'s own usage, like <command> --help', async () => {
    expect(await main(['help', 'verify'])).toBe(0);
    const viaHelp = out;
    out = '';
    expect(await main(['verify', '--help'])).toBe(0);
    expect(viaHelp).toBe(out);
    expect(viaHelp).toMatch(/tablesafe verify {2}\(--stack NAME/);
  });

  it('works for every command', async () => {
    for (const name of ['demo', 'check', 'verify', 'drill', 'janitor', 'sandbox']) {
      out = '';
      expect(await main(['help', name])).toBe(0);
      expect(out).toMatch(/usage/);
    }
  });

  it('exits 2 naming an unknown command', async () => {
    expect(await main(['help', 'nosuch'])).toBe(2);
    expect(err).toMatch(/^tablesafe: unknown command "nosuch"/);
  });

  it('prints the overview for help alone, exit 0', async () => {
    expect(await main(['help'])).toBe(0);
    expect(out).toMatch(/tablesafe help <command>/);
  });

  it('treats an inherited property name as an unknown command, not a crash', async () => {
    expect(await main(['toString'])).toBe(2);
    expect(err).toMatch(/unknown command "toString"/);
  });
});

describe('AWS SDK Node notice', () => {
  it('is switched off once the command line module loads, before any command loads the SDK', () => {
    const saved = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    try {
      jest.isolateModules(() => require('../../../cli/main'));
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    } finally {
      if (saved === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = saved;
    }
  });

  it('stays on when the user asked for it', () => {
    const env: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietSdkNodeNotice(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
    const unset: NodeJS.ProcessEnv = {};
    quietSdkNodeNotice(unset);
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
});
