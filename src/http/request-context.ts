import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Priority } from '../resilience/limiter.js';
import type { RouteOptions } from '../routing/router.js';

const clientRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/** A client's X-Request-Id is kept when it is safe to echo and log; anything else gets a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && clientRequestId.test(offered) ? offered : randomUUID();
}

export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('outcome', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

/** The routing options a data request carries: its id, X-Priority, ?provider= and its abort signal. */
export function routeOptionsFrom(request: FastifyRequest, key: string): RouteOptions {
  const headers = request.headers as { 'x-priority'?: Priority };
  const query = request.query as { provider?: string };
  return {
    requestId: request.id,
    priority: headers['x-priority'] ?? 'normal',
    provider: query.provider,
    signal: request.signal,
    key,
  };
}
