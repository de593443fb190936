import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';
import type { RedisConnections } from '../../store/redis.js';

/**
 * Requests per client and window on every route but the public ones, counted under the identity the auth hook gave
 * the request (its key's name, or its IP by /64 without a key), so one runaway frontend cannot spend everyone's vendor
 * quota. With Redis the counts are shared by every instance; while Redis is away each request is let through rather
 * than refused. Answers carry the IETF draft's RateLimit-* headers, and a 429 carries Retry-After.
 */
export async function registerClientRateLimit(
  app: FastifyInstance,
  settings: GatewayConfig['server']['clientRateLimit'],
  redis: RedisConnections | null,
  keyPrefix: string,
): Promise<void> {
  if (!settings.enabled) return;
  await app.register(rateLimit, {
    global: true,
    timeWindow: settings.windowMs,
    keyGenerator: (request) => (request.client as typeof request.client | null)?.id ?? request.ip,
    max: (request) => (request.client as typeof request.client | null)?.requestsPerWindow ?? settings.max,
    enableDraftSpec: true,
    ...(redis ? { redis: redis.command, nameSpace: `${keyPrefix}:ratelimit:`, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new GatewayError('GW_CLIENT_RATE_LIMITED', `more than ${context.max} requests in ${context.after}; slow down`, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
