import { resolveRequestId } from './request-id.ts';

describe('request ids', () => {
  it.each(['a', 'A-b_c.d:e', 'x'.repeat(128)])('keeps %j', (id) => {
    expect(resolveRequestId(id)).toBe(id);
  });

  it.each([undefined, '', 'x'.repeat(129), 'has space', 'ünï', 'a\nb', ['a', 'b']])('replaces %j with a UUID', (id) => {
    expect(resolveRequestId(id as string | undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

});
