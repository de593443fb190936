import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import type { RouterEventEmitter } from '../core/events.js';
import { redactUrl, secretHeaderNames } from '../transport/redact.js';
import type { AttemptRecord, CacheStatus } from '../core/outcomes.js';

/**
 * Logger options. Keys never reach a log line: vendor calls are logged as our own records (no client library error, no URL),
 * headers that carry keys are censored by path, and any error message passes through the URL scrubber.
 * Every redact path starts with a fixed key: a path that starts with a wildcard makes pino walk every field of every
 * line, which cost a cache hit about a tenth of its time (docs/performance.md).
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [...secretHeaderNames.map((name) => `req.headers["${name}"]`), 'config.providers.*.apiKey'],
      censor: '[REDACTED]',
    },
    serializers: {
      err: (error: Error) => {
        const serialized = pino.stdSerializers.err(error);
        return {
          type: serialized.type,
          message: redactUrl(serialized.message),
          code: (error as { code?: unknown }).code,
          stack: serialized.stack ? redactUrl(serialized.stack) : undefined,
        };
      },
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        url: redactUrl(request.url ?? ''),
      }),
    },
  };
}

export function createLogger(level: string, stream?: DestinationStream) {
  return stream ? pino(loggerOptions(level), stream) : pino(loggerOptions(level));
}

/** What a route learned about the request, for its one log line. */
export interface RequestOutcome {
  provider?: string;
  cache?: CacheStatus;
  attempts?: AttemptRecord[];
}

declare module 'fastify' {
  interface FastifyRequest {
    outcome: RequestOutcome | null;
  }
}

/**
 * One line per request, written when it completes: request id, route template, status, provider, attempts, latency.
 * Replaces Fastify's two lines (incoming, completed), which know nothing of vendors.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const level = error ? 'error' : reply.statusCode >= 500 ? 'warn' : 'info';
    // At LOG_LEVEL warn a cache hit then costs no line to build.
    if ((pino.levels.values[level] ?? 0) < (pino.levels.values[reply.log.level] ?? Infinity)) return;
    const outcome = request.outcome;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      // The key's name (never the key), so an operator can tell whose traffic it was.
      client: (request as { client?: { name: string | null } | null }).client?.name ?? undefined,
      provider: outcome?.provider,
      cache: outcome?.cache,
      attempts: outcome?.attempts?.map((entry) => `${entry.provider}:${entry.outcome}:${entry.ms}ms`),
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (level === 'warn') reply.log.warn(line, 'request failed');
    else reply.log.info(line, 'request completed');
  }
}

/** Each router event is logged once, at the level an operator would page or not page on. */
export function logRouterEvents(events: RouterEventEmitter, logger: FastifyBaseLogger): void {
  events.on('failover', (event) => logger.info({ event: 'failover', ...event }, 'failover'));
  events.on('breakerOpened', (event) => logger.warn({ event: 'breakerOpened', ...event }, 'breaker opened'));
  events.on('breakerHalfOpen', (event) => logger.info({ event: 'breakerHalfOpen', ...event }, 'breaker half-open'));
  events.on('breakerClosed', (event) => logger.info({ event: 'breakerClosed', ...event }, 'breaker closed'));
  events.on('providerHealthChanged', (event) => {
    const level = event.to === 'healthy' ? 'info' : event.to === 'degraded' ? 'warn' : 'error';
    logger[level]({ event: 'providerHealthChanged', ...event }, `vendor ${event.to}`);
  });
  events.on('cooldownStarted', (event) => logger.warn({ event: 'cooldownStarted', ...event }, 'vendor cooling down'));
  events.on('quotaExhausted', (event) => logger.warn({ event: 'quotaExhausted', ...event }, 'vendor quota spent'));
  events.on('budgetWarning', (event) => logger.warn({ event: 'budgetWarning', ...event }, 'vendor budget 80 % spent'));
  events.on('budgetExhausted', (event) =>
    logger.error({ event: 'budgetExhausted', ...event }, 'vendor budget spent: skipped until the period ends'),
  );
  events.on('noHealthyProviders', (event) =>
    logger.error({ event: 'noHealthyProviders', ...event }, 'no vendor available'),
  );
  events.on('configReloaded', (event) =>
    logger.info({ event: 'configReloaded', ...event }, `configuration reloaded (${event.trigger})`),
  );
  events.on('configRejected', (event) =>
    logger.error(
      { event: 'configRejected', ...event },
      `configuration reload (${event.trigger}) rejected, the running configuration stays: ${event.problems.join('; ')}`,
    ),
  );
  events.on('streamFailover', (event) => {
    const level = event.reason === 'recovered' ? 'info' : 'warn';
    logger[level]({ event: 'streamFailover', ...event }, `live ${event.channel}: ${event.from} → ${event.to}`);
  });
}
