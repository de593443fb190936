import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedAnswer } from '../cache/response-cache.js';
import type { Meta } from './schemas/envelope.js';

/** Writes the `{ data, meta }` envelope and the same facts as X-Provider / X-Cache headers. */
export function respond<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  routed: CachedAnswer<T>,
): { data: T; meta: Meta } {
  request.outcome = { provider: routed.provider, cache: routed.cache, attempts: routed.attempts };
  reply.header('x-provider', routed.provider).header('x-cache', routed.cache);
  const { json } = routed;
  // Data that came through the cache was checked against its model as it was stored: write its JSON as it is,
  // instead of validating and serializing the same data on every hit.
  if (json !== undefined)
    reply.serializer(({ meta }: { meta: Meta }) => `{"data":${json},"meta":${JSON.stringify(meta)}}`);
  return {
    data: routed.data,
    meta: {
      provider: routed.provider,
      cache: routed.cache,
      attempts: routed.attempts,
      requestId: request.id,
      latencyMs: routed.latencyMs,
      ...(routed.ageMs === undefined ? {} : { ageMs: routed.ageMs }),
    },
  };
}
