/**
 * What a player name may be, for the API (which refuses anything else with a 400) and the game (which
 * cleans what is typed so it is never refused). The aim is that two names that look the same are the
 * same string: text is NFC-normalised, spaces are collapsed, and nothing invisible survives.
 */

export const MAX_PLAYER_LENGTH = 32;
export const DEFAULT_PLAYER = 'Guest';

export type NameCheck = { ok: true; name: string } | { ok: false; problem: string };

// Control characters, line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Unicode's default-ignorable code points (zero-width characters, word joiner, bidi controls, Hangul
// fillers, tag characters, variation selectors…) and blanks that are not spaces (braille blank).
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
const ZERO_WIDTH_JOINER = '\u200D';
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const EMOJI_SEQUENCE_PART = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const EMOJI = /\p{Extended_Pictographic}/u;
// A variation selector modifies the visible character before it; alone it is just invisible.
const VISIBLE_BASE = /[\p{L}\p{N}\p{S}\p{P}]/u;
// Space separators (U+0020, no-break, em, ideographic…); tabs and newlines are control characters.
const SPACES = /\p{Zs}+/gu;

const hex = (codePoint: string) => `U+${(codePoint.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * An invisible code point is allowed only where it is part of what is visible: a zero-width joiner
 * inside an emoji sequence (👩‍💻), a variation selector right after the character it styles (❤️).
 */
function invisibleAllowed(codePoint: string, before: string | undefined, after: string | undefined): boolean {
  if (codePoint === ZERO_WIDTH_JOINER) return EMOJI_SEQUENCE_PART.test(before ?? '') && EMOJI.test(after ?? '');
  if (VARIATION_SELECTOR.test(codePoint)) return VISIBLE_BASE.test(before ?? '');
  return false;
}

/** The first code point the rules refuse, with the reason; undefined when the text is acceptable. */
function firstRefused(codePoints: readonly string[]): string | undefined {
  for (const [index, codePoint] of codePoints.entries()) {
    if (CONTROL.test(codePoint)) return `must not contain control characters (${hex(codePoint)})`;
    if (INVISIBLE.test(codePoint) && !invisibleAllowed(codePoint, codePoints[index - 1], codePoints[index + 1])) {
      return `must not contain invisible characters (${hex(codePoint)})`;
    }
  }
  return undefined;
}

const normalise = (raw: string) => raw.normalize('NFC').replace(SPACES, ' ').replace(/^ | $/g, '');

/**
 * The API's rule: NFC-normalised, runs of spaces collapsed to one and trimmed, no control or invisible
 * characters, at most MAX_PLAYER_LENGTH code points of the normalised name; empty means DEFAULT_PLAYER.
 */
export function checkPlayerName(raw: string): NameCheck {
  if (!raw.isWellFormed()) return { ok: false, problem: 'must be valid Unicode text (no lone surrogates)' };
  const codePoints = [...normalise(raw)];
  const refused = firstRefused(codePoints);
  if (refused) return { ok: false, problem: refused };
  if (codePoints.length > MAX_PLAYER_LENGTH) return { ok: false, problem: `must be at most ${MAX_PLAYER_LENGTH} characters` };
  return { ok: true, name: codePoints.join('') || DEFAULT_PLAYER };
}

/**
 * What the game sends for a typed name: the refused code points dropped and the rest cut to the
 * limit, so `checkPlayerName` always accepts it. Empty stays empty (the server says DEFAULT_PLAYER).
 */
export function cleanPlayerName(raw: string): string {
  let text = raw.toWellFormed();
  // Dropping one code point can leave another without its context (a joiner, a selector): repeat
  // until nothing changes; each pass only removes, so this ends.
  for (;;) {
    const codePoints = [...normalise(text)];
    const kept = codePoints.filter(
      (codePoint, index) =>
        !CONTROL.test(codePoint) &&
        (!INVISIBLE.test(codePoint) || invisibleAllowed(codePoint, codePoints[index - 1], codePoints[index + 1])),
    );
    const next = kept.slice(0, MAX_PLAYER_LENGTH).join('');
    if (next === text) return text;
    text = next;
  }
}
