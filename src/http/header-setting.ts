/**
 * A request header a setting names — chaos' cohort (`CHAOS_HEADER`, `chaos.header`) and the players'
 * `--header` — written `name=value` wherever it is text (the value may contain "="). It imports
 * nothing, so the chart and the players load it with Node's type stripping.
 */

/** A header name as HTTP defines it (a token), at most 64 characters. */
export const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

export interface HeaderSetting {
  name: string;
  value: string;
}

/** `name=value` split at the first "=" (name trimmed); undefined without one. Validating is the caller's. */
export function parseHeaderSetting(text: string): HeaderSetting | undefined {
  const at = text.indexOf('=');
  return at < 0 ? undefined : { name: text.slice(0, at).trim(), value: text.slice(at + 1) };
}

export function formatHeaderSetting({ name, value }: HeaderSetting): string {
  return `${name}=${value}`;
}
