import { spawnSync } from 'node:child_process';

export interface RequiredTool {
  available: boolean;
  /** What is missing, as a person would look for it (`promtool`, `/usr/bin/chromium`). */
  what: string;
  /** The Debian package that provides it (`.ci/run` installs it). */
  debianPackage: string;
}

export const promtool = (): RequiredTool => ({
  available: spawnSync('promtool', ['--version']).status === 0,
  what: 'promtool',
  debianPackage: 'prometheus',
});

export const alertmanager = (): RequiredTool => ({
  available: spawnSync('prometheus-alertmanager', ['--version']).status === 0,
  what: 'prometheus-alertmanager',
  debianPackage: 'prometheus-alertmanager',
});

/**
 * Tests that drive a Debian tool: reported as skipped, loudly, where it is missing, and a failure in
 * CI, where `.ci/run` installs it — never a silent pass.
 */
export function describeWithTool(name: string, tool: RequiredTool, fn: () => void): void {
  if (tool.available) return describe(name, fn);
  console.warn(`\n*** SKIPPED: ${tool.what} is missing; install Debian package \`${tool.debianPackage}\` (CI does) ***\n`);
  if (process.env.CI === 'true') throw new Error(`${tool.what} must be installed in CI (.ci/run installs ${tool.debianPackage})`);
  describe.skip(`${name} [skipped: no ${tool.what}]`, fn);
}
