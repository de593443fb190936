import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedAnswer, JsonAnswer } from '../cache/response-cache.js';
import type { Meta } from './schemas/envelope.js';

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
  return meta;
}
