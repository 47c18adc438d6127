import { pathOf } from '../http/url-path.ts';
import { OPERATIONAL_ROUTES } from '../surface.ts';

/**
 * Probes and scrapes: very frequent, never interesting in a trace, and logged at debug only.
 * Matched on the path without its query string.
 */
const OPERATIONAL_PATHS: ReadonlySet<string> = new Set(OPERATIONAL_ROUTES);

export function isOperationalPath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path !== undefined && OPERATIONAL_PATHS.has(path);
}
