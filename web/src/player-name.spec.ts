import { cleanName } from './player-name';

describe('cleanName', () => {
  it('applies the API rules: trimmed, no control characters, at most 32 characters', () => {
    expect(cleanName('  Ada  ')).toBe('Ada');
    expect(cleanName('a\u0000b\tc\u202Ed')).toBe('abcd');
    expect([...cleanName('🐦'.repeat(40))]).toHaveLength(32);
    expect(cleanName('   ')).toBe('');
  });
});
