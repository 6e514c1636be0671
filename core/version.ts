/**
 * tablesafe's version: read from package.json in the nearest directory above this file that holds
 * tablesafe's (the sources and a compiled dist/ alike). `tablesafe --version` prints it; every
 * report carries it in its provenance.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export function toolVersion(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'tablesafe' && pkg.version) return pkg.version;
      } catch {
        // not ours
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
