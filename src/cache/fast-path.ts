import type { IncomingHttpHeaders } from 'node:http';
import type { Capability, QueryOf } from '../core/index.js';
import type { JsonAnswer, ResponseCache } from './response-cache.js';

export type PathParams = Record<string, string | undefined>;

/** What the fast path reads of an HTTP request, before Fastify has parsed or validated anything. */
export interface PlainRequest {
  url: string | undefined;
  headers: IncomingHttpHeaders;
  params: PathParams;
}

/**
 * A fresh cache hit for a request that has not been validated yet, or undefined. On the hottest routes validation (three
 * zod schemas) and the handler's promise chain cost more than the hit itself, so the HTTP layer asks here first
 * (docs/decisions.md#cache-hits-on-the-three-hottest-routes-skip-validation).
 *
 * Only the plain form of a request is taken, whose answer depends on its path alone: no query string, no Cache-Control
 * (no-cache must skip the cache) and no X-Priority (a bad value must be answered 400). `queryFrom` turns the path's
 * params into the query the route's own schemas would produce, for params already in canonical form (see
 * isCanonical), so both paths share one cache entry. Anything else goes on to validation and the data service.
 */
export function freshHit<C extends Capability>(
  cache: ResponseCache<unknown>,
  capability: C,
  request: PlainRequest,
  queryFrom: (params: PathParams) => QueryOf<C> | undefined,
): JsonAnswer<unknown> | undefined {
  const { url, headers } = request;
  if (url?.includes('?') || headers['cache-control'] !== undefined || headers['x-priority'] !== undefined) return;
  const query = queryFrom(request.params);
  return query && cache.hit(capability, query);
}

/**
 * Whether a path param is already in its canonical form: the form the route's schema gives it, which the schema returns
 * unchanged (test/unit/cache/fast-path.test.ts holds each pattern to its schema). Checking a pattern allocates
 * nothing; running the schema would cost the hit about a tenth of its time and memory.
 */
export function isCanonical(pattern: RegExp, value: string | undefined): value is string {
  return value !== undefined && pattern.test(value);
}
