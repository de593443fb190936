import { describe, expect, it } from 'vitest';
import { cacheHeapShortfall, heapBesidesCacheBytes } from '../../../src/cache/memory-budget.js';

const mib = 2 ** 20;

describe('cacheHeapShortfall', () => {
  it('accepts a cache whose worst case (two bytes a character) fits beside the rest of the heap', () => {
    expect(cacheHeapShortfall(32 * mib, heapBesidesCacheBytes + 64 * mib)).toBeUndefined();
  });

  it('names the bound, the need and the limit, and both ways out, when it does not fit', () => {
    const shortfall = cacheHeapShortfall(64 * mib, 160 * mib);
    expect(shortfall).toBe(
      'cache.maxBytes (64 MiB) does not fit the heap: a full cache needs up to 192 MiB and node allows 160 MiB; ' +
        'raise --max-old-space-size (e.g. in NODE_OPTIONS) or lower cache.maxBytes',
    );
  });
});
