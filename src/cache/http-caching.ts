import { hash } from 'node:crypto';

/** When an answer was stored and how long it is fresh: what HTTP caches downstream are told about it. */
export interface Freshness {
  /** Epoch ms on the cache's clock. */
  storedAt: number;
  ttlMs: number;
}

/**
 * A strong entity tag for an answer's `data` JSON: equal tags mean byte-equal data. `meta` is left out on purpose: it
 * describes one delivery (request id, latency, age), not the data (docs/decisions.md#http-caching).
 */
export function strongEtag(json: string): string {
  return `"${hash('sha256', json, 'base64url').slice(0, 27)}"`;
}

/**
 * The Cache-Control freshness directives for an answer, in whole seconds from `now`, rounded down so a downstream cache
 * never holds an answer longer than this cache would:
 * - max-age: what is left of its freshness (0 once stale);
 * - stale-while-revalidate: what is left, past freshness, of the window this cache serves it stale while refreshing
 *   (one more TTL, cache/response-cache.ts);
 * - stale-if-error: what is left, past freshness, of cache.staleIfErrorMs from when it was stored.
 */
export function freshnessDirectives(answer: Freshness, staleIfErrorMs: number, now: number): string {
  const freshUntil = answer.storedAt + answer.ttlMs;
  const staleFrom = Math.max(now, freshUntil);
  const maxAge = seconds(freshUntil - now);
  const whileRevalidate = seconds(freshUntil + answer.ttlMs - staleFrom);
  const ifError = seconds(answer.storedAt + staleIfErrorMs - staleFrom);
  return `max-age=${maxAge}, stale-while-revalidate=${whileRevalidate}, stale-if-error=${ifError}`;
}

function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000));
}

/**
 * Whether an If-None-Match header matches `etag`: `*`, or any tag in its list by the weak comparison RFC 9110 §13.1.2
 * asks for (a W/ prefix is ignored).
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}
