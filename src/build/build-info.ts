import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What runs: written into dist/ by `npm run build` (scripts/build-info.ts), read once at start. */
export interface BuildInfo {
  version: string;
  commit: string;
  builtAt: string;
  node: string;
}

/** dist/build/build-info.js → dist/build-info.json. */
const BUILD_INFO_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'build-info.json');
/** package.json, for a run from sources (tests), where no build wrote the file. */
const PACKAGE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');

export function loadBuildInfo(): BuildInfo {
  try {
    const built = JSON.parse(readFileSync(BUILD_INFO_FILE, 'utf8')) as Omit<BuildInfo, 'node'>;
    return { version: built.version, commit: built.commit, builtAt: built.builtAt, node: process.version };
  } catch {
    const { version } = JSON.parse(readFileSync(PACKAGE_FILE, 'utf8')) as { version: string };
    return { version, commit: 'unknown', builtAt: 'unknown', node: process.version };
  }
}
