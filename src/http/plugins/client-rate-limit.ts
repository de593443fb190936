import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';

/**
 * Per-client (IP) limit on every route, so one runaway frontend cannot spend everyone's vendor quota. Liveness and
 * readiness opt out (`config: { rateLimit: false }`): an orchestrator's probes must never be throttled.
 */
export async function registerClientRateLimit(
  app: FastifyInstance,
  settings: GatewayConfig['server']['clientRateLimit'],
): Promise<void> {
  if (!settings.enabled) return;
  await app.register(rateLimit, {
    global: true,
    max: settings.max,
    timeWindow: settings.windowMs,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new GatewayError('GW_CLIENT_RATE_LIMITED', `more than ${context.max} requests in ${context.after}; slow down`, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
