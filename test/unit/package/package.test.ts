/**
 * The package's shape: what `exports` promises exists in what tsconfig.build.json compiles, the
 * binary runs compiled JavaScript, and the constructs entry point stays free of the AWS SDK, the
 * sandbox and verify. (test/e2e/consumer installs the packed tarball into a real app.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const json = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const pkg = json('package.json');
const build = json('tsconfig.build.json');

type Target = string | { types: string; default: string };
const codeExports = Object.entries(pkg.exports as Record<string, Target>).filter(([, t]) => typeof t !== 'string') as [string, { types: string; default: string }][];

/** `./dist/modules/index.js` → `modules/index.ts`. */
const sourceOf = (target: string) => target.replace(/^\.\/dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');

describe('package.json', () => {
  it.each(codeExports)('export %s points at a compiled source with its declarations', (_subpath, target) => {
    const source = sourceOf(target.default);
    const compiled = build.include.some((dir: string) => source === dir || source.startsWith(`${dir}/`));
    expect({ source, exists: existsSync(path.join(root, source)), compiled, types: sourceOf(target.types) }).toEqual({ source, exists: true, compiled: true, types: source });
  });

  it('main and types are the root export; typesVersions maps every subpath for classic node resolution', () => {
    expect([`./${pkg.main}`, `./${pkg.types}`]).toEqual([pkg.exports['.'].default, pkg.exports['.'].types]);
    const subpaths = codeExports.map(([s]) => s).filter((s) => s !== '.');
    expect(Object.entries(pkg.typesVersions['*']).map(([k, v]) => [`./${k}`, `./${(v as string[])[0]}`])).toEqual(subpaths.map((s) => [s, pkg.exports[s].types]));
  });

  it('ships dist and bin only (npm adds README, LICENSE, package.json), without the build info', () => {
    expect(pkg.files).toEqual(['dist', '!dist/.tsbuildinfo', 'bin']);
    expect(build.compilerOptions.tsBuildInfoFile).toBe('dist/.tsbuildinfo');
    expect(existsSync(path.join(root, 'LICENSE'))).toBe(true);
  });

  it('builds only shipped sources: no tests, benchmarks or scripts', () => {
    expect(build.include.filter((p: string) => /^(test|bench|scripts)\b/.test(p))).toEqual([]);
    expect(build.exclude).toEqual(expect.arrayContaining(['test', 'bench']));
  });

  it('keeps cdktf, constructs and the provider bindings as peers and only the AWS SDK in dependencies', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@cdktf/provider-aws', 'cdktf', 'constructs']);
    expect(Object.keys(pkg.dependencies).filter((d) => !d.startsWith('@aws-sdk/'))).toEqual([]);
  });
});

describe('bin/tablesafe.js', () => {
  const bin = readFileSync(path.join(root, 'bin', 'tablesafe.js'), 'utf8');
  it('runs dist/cli/main.js, never ts-node or a TypeScript source', () => {
    expect(bin).toMatch(/'dist', 'cli', 'main\.js'/);
    expect(bin).not.toMatch(/require\(['"]ts-node|register\(|\.\.\/cli\/main['"]/);
  });
});

describe('README', () => {
  it('shows the consumer app test/e2e/consumer installs, synthesizes, checks, applies and verifies', () => {
    const main = readFileSync(path.join(root, 'test', 'fixtures', 'consumer', 'main.ts'), 'utf8');
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${main}\`\`\``);
  });
});

describe('the root entry point', () => {
  it('loads cdktf and the constructs, but no AWS SDK, sandbox, verify, demo or cli module', () => {
    const probe = `require('./index'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], { cwd: root, encoding: 'utf8' })) as string[];
    const rel = loaded.map((f) => path.relative(root, f));
    expect(rel.filter((f) => /node_modules\/@aws-sdk\/|^(sandbox|verify|demo|cli)\//.test(f))).toEqual([]);
    expect(rel).toEqual(expect.arrayContaining([path.join('modules', 'index.ts'), path.join('stacks', 'index.ts')]));
  }, 60_000);
});
