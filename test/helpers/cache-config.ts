import type { CacheConfig } from '../../src/config/schema.js';

/**
 * A cache config for unit tests: quotes fresh for 5 s, stale-if-error for a minute; batching, sweeps, market hours and
 * refresh-ahead off. Each test overrides what it is about.
 */
export function testCacheConfig(overrides: Partial<CacheConfig> = {}): CacheConfig {
  return {
    enabled: true,
    maxEntries: 100,
    maxBytes: 1_000_000,
    ttlMs: { 'stock-quote': 5_000, 'stock-quotes': 5_000 },
    closedCandlesTtlMs: 21_600_000,
    staleIfErrorMs: 60_000,
    notFoundTtlMs: 60_000,
    batchWindowMs: 0,
    batchMaxSymbols: 50,
    wholeMarketMinSymbols: 0,
    marketClosedMaxTtlMs: 0,
    refreshAheadMs: 0,
    ...overrides,
  };
}
