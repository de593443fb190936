/**
 * How long the gateway keeps each kind of answer fresh, as config/gateway.yaml ships it (`cache.ttlMs`; docs/api.md,
 * Cache headers): the fallback for answers without a max-age (the cache was bypassed). A cached answer's
 * Cache-Control max-age, the deployment's real freshness, wins over these.
 */
export const shippedTtlMs = {
  stockQuote: 5_000,
  stockQuotes: 5_000,
  stockCandles: 60_000,
  cryptoPrice: 5_000,
  cryptoCandles: 60_000,
  forexRate: 10_000,
  news: 60_000,
  /** Not cached: vendor state changes with every call, so it is asked for on this period. */
  providers: 10_000,
} as const;

/**
 * Milliseconds until the answer is worth asking for again: Cache-Control max-age less Age when the answer carries
 * them, otherwise `ttlMs` less the cached answer's age (`meta.ageMs`, present on a hit or a stale answer).
 */
export function freshForMs(response: Response, ttlMs: number, ageMs = 0): number {
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get('cache-control') ?? '');
  if (maxAge) return Math.max(0, (Number(maxAge[1]) - Number(response.headers.get('age') ?? 0)) * 1000);
  return Math.max(0, ttlMs - ageMs);
}
