/**
 * Probes and scrapes: very frequent, never interesting in a trace, and logged at debug only.
 * Matched on the path without its query string.
 */
export const OPERATIONAL_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export function isOperationalPath(url: string | undefined): boolean {
  if (!url) return false;
  const queryAt = url.indexOf('?');
  return OPERATIONAL_PATHS.has(queryAt === -1 ? url : url.slice(0, queryAt));
}
