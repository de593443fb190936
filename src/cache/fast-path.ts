import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import type { ResponseCache } from './response-cache.js';
import type { Capability, QueryOf } from '../core/index.js';
import { sendJson } from '../http/respond.js';

type Params = Record<string, string | undefined>;
type PreParsingDone = (error: Error | null, payload?: RequestPayload) => void;

/**
 * A preParsing hook that answers a fresh cache hit before Fastify validates the request and runs its handler: on the
 * hottest routes that work (three zod schemas, the handler's promise chain) cost more than the hit itself. It runs after
 * every onRequest hook, so the client rate limit (a route-level onRequest hook) still counts and refuses these requests.
 *
 * It takes only the plain form of a request, whose answer depends on its path alone: no query string, no
 * Cache-Control (no-cache must skip the cache) and no X-Priority (a bad value must be answered 400). `queryFrom` turns
 * the path's params into the query the route's own schemas would produce, for params already in canonical form (see
 * isCanonical), so both paths share one cache entry. Anything else (a lower-case or bad param, no fresh entry) goes on
 * to validation and the handler, which answer it as they always do.
 */
export function answerFromCache<C extends Capability>(
  cache: ResponseCache,
  capability: C,
  queryFrom: (params: Params) => QueryOf<C> | undefined,
) {
  return (request: FastifyRequest, reply: FastifyReply, payload: RequestPayload, done: PreParsingDone): void => {
    const { url, headers } = request.raw;
    if (url?.includes('?') || headers['cache-control'] !== undefined || headers['x-priority'] !== undefined) {
      done(null, payload);
      return;
    }
    const query = queryFrom(request.params as Params);
    const answer = query && cache.hit(capability, query);
    if (answer) sendJson(request, reply, answer);
    else done(null, payload);
  };
}

/**
 * Whether a path param is already in its canonical form: the form the route's schema gives it, which the schema returns
 * unchanged (test/unit/http/cache-fast-path.test.ts holds each pattern to its schema). Checking a pattern allocates
 * nothing; running the schema would cost the hit about a tenth of its time and memory.
 */
export function isCanonical(pattern: RegExp, value: string | undefined): value is string {
  return value !== undefined && pattern.test(value);
}
