import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Capability } from '../../core/index.js';
import type { DataRequest } from '../../data/data-service.js';
import { authorizeData, mayBypassCache, refuseOverSpend } from './auth.js';
import type { Priority } from '../../resilience/limiter.js';

const clientRequestId = /^[A-Za-z0-9._-]{1,64}$/;
const noCacheDirective = /(?:^|,)\s*no-cache\s*(?:,|$)/i;

/** A client's X-Request-Id is kept when it is safe to echo and log; anything else gets a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && clientRequestId.test(offered) ? offered : randomUUID();
}

export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('outcome', null);
  // A callback hook, not an async one: an async hook costs each request a promise and a microtask turn.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}

/**
 * What a data request asks of the data service: its id, X-Priority, ?provider=, Cache-Control and its abort signal,
 * once this client is known to be allowed all of it (plugins/auth.ts): throws 403 or 429 otherwise.
 */
export function dataRequestFrom(request: FastifyRequest, capability: Capability): DataRequest {
  const headers = request.headers as { 'x-priority'?: Priority; 'cache-control'?: string };
  const query = request.query as { provider?: string };
  const priority = headers['x-priority'] ?? 'normal';
  authorizeData(request, capability, { provider: query.provider, priority });
  const noCache =
    headers['cache-control'] !== undefined &&
    noCacheDirective.test(headers['cache-control']) &&
    mayBypassCache(request);
  return {
    requestId: request.id,
    priority,
    provider: query.provider,
    // Fastify builds the signal (an AbortController and a listener) on first read: a cache hit never reads it.
    clientSignal: () => request.signal,
    noCache,
    // A client over its spend is answered from the cache only; the data service asks this before any vendor call.
    refuseVendorCall: () => refuseOverSpend(request),
  };
}
