import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutedResult } from '../routing/router.js';
import type { Meta } from './schemas/envelope.js';

type Routed<T> = Omit<RoutedResult<never>, 'data'> & { data: T };

/** Writes the `{ data, meta }` envelope and the same facts as X-Provider / X-Cache headers. */
export function respond<T>(request: FastifyRequest, reply: FastifyReply, routed: Routed<T>): { data: T; meta: Meta } {
  request.outcome = { provider: routed.provider, cache: routed.cache, attempts: routed.attempts };
  reply.header('x-provider', routed.provider).header('x-cache', routed.cache);
  return {
    data: routed.data,
    meta: {
      provider: routed.provider,
      cache: routed.cache,
      attempts: routed.attempts,
      requestId: request.id,
      latencyMs: routed.latencyMs,
    },
  };
}
