import type { CacheStatus } from '../../src/core/outcomes.js';

export type CacheCounts = Record<CacheStatus, number>;

const sample = /^gateway_cache_results_total\{([^}]*)\}\s+(\S+)$/;
const resultLabel = /(?:^|,)result="([^"]*)"/;

/** Sums gateway_cache_results_total over capabilities, by result, from /metrics (Prometheus text format). */
export function cacheCounts(exposition: string): CacheCounts {
  const counts: CacheCounts = { hit: 0, miss: 0, stale: 0, coalesced: 0 };
  for (const line of exposition.split('\n')) {
    const match = sample.exec(line);
    const result = match && resultLabel.exec(match[1] ?? '')?.[1];
    if (match && result && result in counts) counts[result as CacheStatus] += Number(match[2]);
  }
  return counts;
}

/** Answers served without a vendor call of their own (fresh, stale or joined to another's call) over all lookups. */
export function hitRatio(counts: CacheCounts): number | null {
  const total = counts.hit + counts.miss + counts.stale + counts.coalesced;
  return total === 0 ? null : (total - counts.miss) / total;
}

export function countsSince(now: CacheCounts, before: CacheCounts): CacheCounts {
  return {
    hit: now.hit - before.hit,
    miss: now.miss - before.miss,
    stale: now.stale - before.stale,
    coalesced: now.coalesced - before.coalesced,
  };
}
