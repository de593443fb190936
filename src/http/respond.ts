import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedAnswer } from '../cache/response-cache.js';
import type { Meta } from './schemas/envelope.js';

const jsonContentType = 'application/json; charset=utf-8';

/**
 * Answers with the `{ data, meta }` envelope, and the same facts as X-Provider / X-Cache headers. Data that came
 * through the cache was checked against its model as it was stored, so its JSON is sent as it is, instead of
 * validating and serializing the same data on every hit; that reply is sent here. Other data is returned, for
 * Fastify to check and serialize against the route's response schema.
 */
export function respond<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  routed: CachedAnswer<T>,
): FastifyReply | { data: T; meta: Meta } {
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
  if (routed.json === undefined) return { data: routed.data, meta };
  return reply.type(jsonContentType).send(`{"data":${routed.json},"meta":${JSON.stringify(meta)}}`);
}
