import { describe, expect, it } from 'vitest';
import { idHash } from '../../functions/engine/idHash.ts';

describe('idHash', () => {
  it('is 16 hex digits and the same for the same id', () => {
    expect(idHash('ind:abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(idHash('ind:abc')).toBe(idHash('ind:abc'));
  });

  it('tells apart ids that differ in one character, in order, or in length', () => {
    const ids = ['a', 'b', 'ab', 'ba', 'abc', 'abd', 'ab\u0000', '', 'ind:0:1', 'ind:1:0'];
    expect(new Set(ids.map(idHash)).size).toBe(ids.length);
  });

  it('has no collision among 200 000 ids shaped like Falcon composite ids', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 200_000; i++) hashes.add(idHash(`cid-${i % 7}:ind:${(i * 2654435761) >>> 0}-${i}`));
    expect(hashes.size).toBe(200_000);
  });
});
