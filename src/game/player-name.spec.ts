import fc from 'fast-check';
import { checkPlayerName, cleanPlayerName, DEFAULT_PLAYER, MAX_PLAYER_LENGTH } from './player-name.ts';

const accepted = (raw: string) => {
  const checked = checkPlayerName(raw);
  if (!checked.ok) throw new Error(`refused ${JSON.stringify(raw)}: ${checked.problem}`);
  return checked.name;
};
const problem = (raw: string) => {
  const checked = checkPlayerName(raw);
  return checked.ok ? undefined : checked.problem;
};

describe('checkPlayerName', () => {
  it('normalises to NFC, so one name has one spelling', () => {
    const decomposed = 'Zoe\u0301'; // e + combining acute
    expect(accepted(decomposed)).toBe('Zoé');
    expect(accepted(decomposed)).toBe(accepted('Zo\u00e9'));
  });

  it('collapses runs of spaces of any kind and trims them', () => {
    expect(accepted('  Ada \u00a0\u3000 Lovelace\u2003')).toBe('Ada Lovelace');
    expect(accepted('   ')).toBe(DEFAULT_PLAYER);
    expect(accepted('')).toBe(DEFAULT_PLAYER);
  });

  it.each([
    ['zero-width space', 'Ada\u200B', 'U+200B'],
    ['zero-width non-joiner', 'A\u200Cda', 'U+200C'],
    ['word joiner', '\u2060Ada', 'U+2060'],
    ['Hangul filler', '\u3164', 'U+3164'],
    ['Hangul choseong filler', '\u115F', 'U+115F'],
    ['halfwidth Hangul filler', 'Ada\uFFA0', 'U+FFA0'],
    ['tag characters', 'Ada\u{E0041}\u{E0064}', 'U+E0041'],
    ['a variation selector standing alone', '\uFE0FAda', 'U+FE0F'],
    ['a variation selector after a space', 'Ada \uFE0F', 'U+FE0F'],
    ['two variation selectors', '\u2764\uFE0F\uFE0F', 'U+FE0F'],
    ['soft hyphen', 'A\u00ADda', 'U+00AD'],
    ['byte order mark', '\uFEFFAda', 'U+FEFF'],
    ['right-to-left override', '\u202Eevil', 'U+202E'],
    ['left-to-right isolate', 'a\u2066b', 'U+2066'],
    ['a zero-width joiner between letters', 'A\u200Dda', 'U+200D'],
    ['braille blank', '\u2800', 'U+2800'],
  ])('refuses %s, naming the code point', (_what, raw, codePoint) => {
    expect(problem(raw)).toBe(`must not contain invisible characters (${codePoint})`);
  });

  it.each([
    ['a tab', 'tab\there', 'U+0009'],
    ['a newline', 'Ada\n', 'U+000A'],
    ['NUL', 'a\u0000b', 'U+0000'],
    ['a C1 control', 'a\u0085b', 'U+0085'],
    ['a line separator', 'a\u2028b', 'U+2028'],
  ])('refuses %s as a control character', (_what, raw, codePoint) => {
    expect(problem(raw)).toBe(`must not contain control characters (${codePoint})`);
  });

  it.each([
    ['emoji ZWJ sequence', '👩\u200D💻 dev'],
    ['family', '👨\u200D👩\u200D👧'],
    ['rainbow flag (selector then joiner)', '🏳\uFE0F\u200D🌈'],
    ['skin tone then joiner', '🧑🏽\u200D🚀'],
    ['heart with its emoji selector', 'I \u2764\uFE0F ducts'],
    ['keycap', '1\uFE0F\u20E3'],
    ['ideographic variation sequence', '葛\u{E0100}'],
    ['Hebrew', 'שלום'],
    ['markup stays text', '<script>alert(1)</script>'],
  ])('accepts %s', (_what, raw) => {
    expect(accepted(raw)).toBe(raw.normalize('NFC'));
  });

  it('counts the limit in code points of the normalised name', () => {
    expect(accepted('x'.repeat(MAX_PLAYER_LENGTH))).toHaveLength(MAX_PLAYER_LENGTH);
    expect(accepted('🐦'.repeat(MAX_PLAYER_LENGTH))).toBe('🐦'.repeat(MAX_PLAYER_LENGTH));
    expect(problem('x'.repeat(MAX_PLAYER_LENGTH + 1))).toBe(`must be at most ${MAX_PLAYER_LENGTH} characters`);
    // 33 code points decomposed, 32 once composed.
    expect(accepted(`${'x'.repeat(31)}e\u0301`)).toHaveLength(MAX_PLAYER_LENGTH);
    // Extra spaces do not count once collapsed.
    expect(accepted(`${'x'.repeat(16)}     ${'y'.repeat(15)}`)).toHaveLength(MAX_PLAYER_LENGTH);
  });

  it('refuses lone surrogates', () => {
    expect(problem('lone \ud800 surrogate')).toMatch(/valid Unicode/);
  });
});

describe('cleanPlayerName', () => {
  it('drops what the API refuses and keeps what it accepts', () => {
    expect(cleanPlayerName('  Ada\u200B  ')).toBe('Ada');
    expect(cleanPlayerName('a\u0000b\tc\u202Ed')).toBe('abcd');
    expect(cleanPlayerName('👩\u200D💻')).toBe('👩\u200D💻');
    expect([...cleanPlayerName('🐦'.repeat(40))]).toHaveLength(MAX_PLAYER_LENGTH);
    expect(cleanPlayerName('\u3164')).toBe('');
  });

  it('always produces a name the API accepts, whatever is typed or pasted', () => {
    const anyCodePoint = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', ' ', '\u00a0', '\u200D', '\u200B', '\uFE0F', '\u{E0100}', '👩', '💻', '🏽', 'e', '\u0301', '\t', '\ud800', '\u3164') }),
    );
    fc.assert(
      fc.property(anyCodePoint, (raw) => {
        const cleaned = cleanPlayerName(raw);
        const checked = checkPlayerName(cleaned);
        return checked.ok && (cleaned === '' || checked.name === cleaned);
      }),
      { numRuns: 2000 },
    );
  });
});
