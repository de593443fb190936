import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import type { PathParams } from '../cache/fast-path.js';
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
export function respond<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  routed: CachedAnswer<T>,
): FastifyReply | { data: T; meta: Meta } {
  if (hasJson(routed)) return sendJson(request, reply, routed);
  return { data: routed.data, meta: describe(request, reply, routed) };
}

/**
 * Sends an answer that came through the cache. Its data was checked against its model as it was stored, so its JSON is
 * written as it is, instead of validating and serializing the same data on every hit.
 */
export function sendJson<T>(request: FastifyRequest, reply: FastifyReply, answer: JsonAnswer<T>): FastifyReply {
  const meta = describe(request, reply, answer);
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
  return respond(request, reply, await data.get(capability, query, dataRequestFrom(request, capability)));
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
    if (answer) sendJson(request, reply, answer);
    else done(null, payload);
  };
}

function hasJson<T>(answer: CachedAnswer<T>): answer is JsonAnswer<T> {
  return answer.json !== undefined;
}

/** The answer's `meta`, also told to the request log line and the X-Provider / X-Cache headers. */
function describe(request: FastifyRequest, reply: FastifyReply, routed: CachedAnswer<unknown>): Meta {
  request.outcome = { provider: routed.provider, cache: routed.cache, attempts: routed.attempts };
  reply.header('x-provider', routed.provider).header('x-cache', routed.cache);
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
