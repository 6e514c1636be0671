/**
 * `tablesafe --version`: the tool's version (core/version.ts), the Node running it and the Node
 * versions tablesafe supports.
 */
import { toolVersion } from '../core/version';

export { toolVersion };

/** Node majors tablesafe runs on (package.json `engines.node`). */
export const MIN_NODE_MAJOR = 20;
/** From the first week of January 2027 new AWS SDK for JavaScript v3 releases require this Node major. */
export const SDK_LONG_TERM_NODE_MAJOR = 22;
export const SUPPORTED_NODE = `Node ${MIN_NODE_MAJOR} or newer (${SDK_LONG_TERM_NODE_MAJOR}+ recommended: AWS SDK v3 releases from January 2027 require it)`;

export function nodeMajor(version: string = process.version): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

/** The three lines `tablesafe --version` prints. */
export function versionText(nodeVersion: string = process.version): string {
  const major = nodeMajor(nodeVersion);
  const note = major < MIN_NODE_MAJOR ? ' — not supported' : major < SDK_LONG_TERM_NODE_MAJOR ? ` — supported; move to Node ${SDK_LONG_TERM_NODE_MAJOR} before January 2027` : '';
  return [`tablesafe ${toolVersion()}`, `node ${nodeVersion}${note}`, `supported: ${SUPPORTED_NODE}`].join('\n');
}

/**
 * The AWS SDK prints a 9-line notice on every command under Node < 22. tablesafe states its
 * supported Node versions in `--version` and the README instead, so the notice is off unless the
 * user set the SDK's variable themselves. Must run before the SDK is loaded.
 */
export function quietSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** One short line when Node is older than tablesafe supports; undefined otherwise. */
export function unsupportedNodeLine(nodeVersion: string = process.version): string | undefined {
  return nodeMajor(nodeVersion) < MIN_NODE_MAJOR ? `tablesafe: Node ${nodeVersion} is not supported; use ${SUPPORTED_NODE}` : undefined;
}
