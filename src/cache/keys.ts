import type { Capability, Interval } from '../core/index.js';
import type { CacheConfig } from '../config/schema.js';
import { defaultTtlMs } from '../config/schema.js';
import { marketPhase, type Market } from './market-hours.js';

/** Query fields that hold tickers or currency codes: case-insensitive, so the key upper-cases them. */
const tickerFields = new Set(['symbol', 'symbols', 'vs', 'base', 'quote']);

/**
 * The canonical cache key of a request: the capability, the query with its defaults filled (the routes resolve them),
 * its fields in name order, tickers upper case, every list sorted, and the pinned vendor if any. Equivalent requests
 * share one key; requests that may get different answers never do.
 *
 * Lists are sorted because no cached list is ordered: news for AAPL,MSFT is news for MSFT,AAPL, and a watchlist, whose
 * order is the answer's order, is cached per symbol (`stock-quote` keys) and assembled in the asked order.
 */
export function cacheKey(capability: Capability, query: object, provider?: string): string {
  const values = query as Record<string, unknown>;
  let key = `${capability}?`;
  let separator = '';
  for (const name of Object.keys(values).sort()) {
    const value = values[name];
    if (value === null || value === undefined) continue;
    const upper = tickerFields.has(name);
    let text: string;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      text = value
        .map((item) => canonical(item, upper))
        .sort()
        .join(',');
    } else {
      text = canonical(value, upper);
    }
    key += `${separator}${name}=${text}`;
    separator = '&';
  }
  // encodeURIComponent leaves no bare '&', '=', ',' or '@' inside a value, so the parts cannot run into each other.
  return provider ? `${key}@${provider}` : key;
}

function canonical(value: unknown, upper: boolean): string {
  const text = String(value);
  return encodeURIComponent(upper ? text.toUpperCase() : text);
}

const dayMs = 86_400_000;

/** How long an answer stays fresh, and whether that is longer than its TTL because its market is closed. */
export interface FreshnessRule {
  ttlMs: number;
  /** `meta.marketClosed`: fresh until the market opens (or cache.marketClosedMaxTtlMs), not for the usual TTL. */
  marketClosed: boolean;
}

/** The market whose hours bound how fast an answer can change; crypto trades around the clock. */
const marketOf: Partial<Record<Capability, Market>> = {
  'stock-quote': 'us-stocks',
  'stock-quotes': 'us-stocks',
  'stock-candles': 'us-stocks',
  'forex-rate': 'forex',
};

/**
 * How long an answer stays fresh. Candles whose last period has ended no longer change, so they keep
 * `closedCandlesTtlMs`; an answer about a market that is closed stays fresh until it opens, at most
 * `marketClosedMaxTtlMs` (src/cache/market-hours.ts); everything else has its capability's TTL. 0 means: do not cache.
 */
export function freshnessRule(
  config: CacheConfig,
  capability: Capability,
  query: object,
  nowMs: number,
): FreshnessRule {
  if ((capability === 'stock-candles' || capability === 'crypto-candles') && isClosedRange(query, nowMs)) {
    return { ttlMs: config.closedCandlesTtlMs, marketClosed: false };
  }
  const ttlMs = config.ttlMs[capability] ?? defaultTtlMs[capability];
  const market = marketOf[capability];
  if (ttlMs === 0 || !market || config.marketClosedMaxTtlMs === 0) return { ttlMs, marketClosed: false };
  const phase = marketPhase(market, nowMs);
  if (phase.open) return { ttlMs, marketClosed: false };
  const untilOpenMs = Math.min(phase.opensAt - nowMs, config.marketClosedMaxTtlMs);
  return untilOpenMs > ttlMs ? { ttlMs: untilOpenMs, marketClosed: true } : { ttlMs, marketClosed: false };
}

/** Whether the bar holding `to` has closed: its day before today (UTC), its week a full week ago, its month past. */
function isClosedRange(query: object, nowMs: number): boolean {
  const { to, interval } = query as { to?: string; interval?: Interval };
  if (!to) return false;
  const today = new Date(nowMs).toISOString().slice(0, 10);
  // Vendors start weeks on different days; a week-old `to` is past the end of any week that holds it.
  if (interval === '1w') return Date.parse(to) + 7 * dayMs <= Date.parse(today);
  if (interval === '1mo') return to.slice(0, 7) < today.slice(0, 7);
  return to < today;
}
