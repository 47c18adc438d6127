import { pathOf } from '../http/url-path.js';

/**
 * Probes and scrapes: very frequent, never interesting in a trace, and logged at debug only.
 * Matched on the path without its query string.
 */
export const OPERATIONAL_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export function isOperationalPath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path !== undefined && OPERATIONAL_PATHS.has(path);
}
