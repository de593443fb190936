import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import type { PathParams } from '../cache/fast-path.js';
import { noneMatch } from '../cache/http-caching.js';
import type { CachedAnswer, JsonAnswer } from '../cache/response-cache.js';
import type { Capability, QueryOf, ResultOf } from '../core/index.js';
import type { DataService } from '../data/data-service.js';
import { mayRead } from './plugins/auth.js';
import { dataRequestFrom } from './plugins/request-context.js';
import type { Meta } from './schemas/envelope.js';

type PreParsingDone = (error: Error | null, payload?: RequestPayload) => void;

const jsonContentType = 'application/json; charset=utf-8';

/**
 * Answers with the `{ data, meta }` envelope, and the same facts as X-Provider / X-Cache headers. An answer that came
 * through the cache is sent here (sendJson); any other is returned, for Fastify to check and serialize against the
 * route's response schema.
 */
function respond<T>(
  data: DataService,
  request: FastifyRequest,
  reply: FastifyReply,
  routed: CachedAnswer<T>,
): FastifyReply | { data: T; meta: Meta } {
  if (hasJson(routed)) return sendJson(data, request, reply, routed);
  return { data: routed.data, meta: describe(data, request, reply, routed) };
}

/**
 * Sends an answer that came through the cache. Its data was checked against its model as it was stored, so its JSON is
 * written as it is, instead of validating and serializing the same data on every hit. A client that already holds
 * these data (If-None-Match) gets 304 with no body.
 */
function sendJson<T>(data: DataService, request: FastifyRequest, reply: FastifyReply, answer: JsonAnswer<T>) {
  const meta = describe(data, request, reply, answer);
  if (answer.etag !== undefined && noneMatch(request.headers['if-none-match'], answer.etag)) {
    return reply.code(304).send();
  }
  return reply.type(jsonContentType).send(`{"data":${answer.json},"meta":${JSON.stringify(meta)}}`);
}

/** Asks the data service for `capability` on this request's behalf, and answers with the envelope. */
export async function answerWith<C extends Capability>(
  data: DataService,
  request: FastifyRequest,
  reply: FastifyReply,
  capability: C,
  query: QueryOf<C>,
): Promise<FastifyReply | { data: ResultOf<C>; meta: Meta }> {
  return respond(data, request, reply, await data.get(capability, query, dataRequestFrom(request, capability)));
}

/**
 * A preParsing hook that answers a fresh cache hit before Fastify validates the request and runs its handler
 * (cache/fast-path.ts says which requests qualify). It runs after every onRequest hook, so the key check and the client
 * rate limit still apply; a key without this capability in its scopes goes on to the handler, which refuses it.
 */
export function answerFreshHits<C extends Capability>(
  data: DataService,
  capability: C,
  queryFrom: (params: PathParams) => QueryOf<C> | undefined,
) {
  return (request: FastifyRequest, reply: FastifyReply, payload: RequestPayload, done: PreParsingDone): void => {
    const { url, headers } = request.raw;
    const answer =
      mayRead(request, capability) &&
      data.fresh(capability, { url, headers, params: request.params as PathParams }, queryFrom);
    if (answer) sendJson(data, request, reply, answer);
    else done(null, payload);
  };
}

function hasJson<T>(answer: CachedAnswer<T>): answer is JsonAnswer<T> {
  return answer.json !== undefined;
}

/**
 * The answer's `meta`, also told to the request log line and the X-Provider / X-Cache headers; and how HTTP caches
 * downstream may keep it (Cache-Control, ETag). A shared cache (nginx, a CDN) may keep only what any caller may read:
 * an answer to a caller with a key is `private`, as the shared cache would not check the key of the next caller
 * (docs/decisions.md#http-caching). An answer that did not go through the cache is not kept at all.
 */
function describe(
  data: DataService,
  request: FastifyRequest,
  reply: FastifyReply,
  routed: CachedAnswer<unknown>,
): Meta {
  request.outcome = { provider: routed.provider, cache: routed.cache, attempts: routed.attempts };
  reply.header('x-provider', routed.provider).header('x-cache', routed.cache);
  if (routed.freshness && routed.etag !== undefined) {
    const audience = request.client.name === null ? 'public' : 'private';
    reply
      .header('cache-control', `${audience}, ${data.freshnessDirectives(routed.freshness)}`)
      .header('etag', routed.etag);
  }
  const meta: Meta = {
    provider: routed.provider,
    cache: routed.cache,
    attempts: routed.attempts,
    requestId: request.id,
    latencyMs: routed.latencyMs,
  };
  if (routed.ageMs !== undefined) meta.ageMs = routed.ageMs;
  if (routed.marketClosed) meta.marketClosed = true;
  return meta;
}
