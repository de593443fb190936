import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { providers } from '../providers/index.js';
import type { GatewayConfig } from './config/schema.js';
import type { ProviderAdapter } from './core/index.js';
import { cacheHeapShortfall } from './cache/memory-budget.js';
import { DataService } from './data/data-service.js';
import { registerAuth } from './http/plugins/auth.js';
import { registerClientRateLimit } from './http/plugins/client-rate-limit.js';
import { registerCors } from './http/plugins/cors.js';
import { registerLoadShedding } from './http/plugins/load-shedding.js';
import { registerSecurityHeaders } from './http/plugins/security-headers.js';
import { serverLimits } from './http/server-options.js';
import { frameworkErrorProblem, problemOnClientError, registerErrorHandler } from './http/plugins/error-handler.js';
import { registerRequestContext, requestIdFor } from './http/plugins/request-context.js';
import { cryptoRoutes } from './http/routes/crypto.js';
import { forexRoutes } from './http/routes/forex.js';
import { healthRoutes } from './http/routes/health.js';
import { newsRoutes } from './http/routes/news.js';
import { providersRoutes } from './http/routes/providers.js';
import { stocksRoutes } from './http/routes/stocks.js';
import { registerSwagger } from './http/plugins/swagger.js';
import { createLogger, logRouterEvents, RequestLogController } from './observability/log.js';
import { VendorRegistry } from './vendors/registry.js';
import { ActiveHealthChecks } from './vendors/health-checks.js';
import { RedisClientKeys } from './store/client-keys.js';
import { ClientSpendMeter } from './store/client-spend.js';
import { createMetricsStore } from './store/create.js';
import { GatewayMetrics } from './observability/metrics.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { eventsRoutes } from './http/routes/events.js';
import { EventHub } from './observability/event-hub.js';
import { WebhookNotifier } from './observability/webhooks.js';
import { redisEventBus } from './store/event-bus.js';
import { RouterEventEmitter } from './core/events.js';
import { Router } from './routing/router.js';

export interface AppDependencies {
  config: GatewayConfig;
  /** Defaults to every adapter in providers/index.ts. */
  adapters?: readonly ProviderAdapter[];
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: DestinationStream;
}

/** Builds the gateway without listening: plugins in Fastify's order (docs → own hooks → routes). */
declare module 'fastify' {
  interface FastifyInstance {
    /** The routing engine: its events, registry and health watcher, for operations routes and tests. */
    router: Router;
    /** Prometheus metrics; the response cache counts its results here. */
    metrics: GatewayMetrics;
  }
}

export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config } = dependencies;
  const logger: FastifyBaseLogger = createLogger(config.server.logLevel, dependencies.logStream);
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    logController: new RequestLogController(),
    genReqId: requestIdFor,
    // Timeouts and size limits (server.*): docs/security.md#hardening.
    ...serverLimits(config.server),
    // Errors raised before routing, and connections Node's parser refuses, answer problem+json too.
    frameworkErrors: frameworkErrorProblem,
    clientErrorHandler: problemOnClientError(logger),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const events = new RouterEventEmitter();
  logRouterEvents(events, app.log);
  const registry = new VendorRegistry(config, dependencies.adapters ?? providers, events);
  const store = await createMetricsStore(
    config,
    registry.enabled.map((vendor) => vendor.name),
    app.log,
  );
  events.on('callFinished', (call) => {
    const vendor = registry.find(call.provider)?.runtime;
    store.metrics.recordCall({ ...call, vendor: call.provider, cost: vendor?.config.costPerCall ?? 0 });
  });
  const router = new Router(registry, config.routing, events, store.metrics);
  app.decorate('router', router);
  const hub = new EventHub(events, store.redis ? redisEventBus(store.redis, config.store.keyPrefix) : null);
  const webhooks = new WebhookNotifier(hub, config.alerts.webhooks, app.log);
  const metrics = new GatewayMetrics(router, registry, store.metrics, events, hub);
  app.decorate('metrics', metrics);
  metrics.instrument(app);
  const data = new DataService(
    router,
    {
      cache: config.cache,
      watchlistConcurrency: config.routing.watchlistConcurrency,
      newsSources: config.routing.newsSources,
    },
    { redis: store.redis ?? undefined, keyPrefix: config.store.keyPrefix },
  );
  data.onCacheResult((capability, result) => metrics.cacheResult(capability, result));
  const heapShortfall = config.cache.enabled ? cacheHeapShortfall(config.cache.maxBytes) : undefined;
  if (heapShortfall) app.log.warn({ event: 'cacheHeapShortfall' }, heapShortfall);
  for (const listing of registry.listings) {
    if (listing.disabledReason)
      app.log.warn({ provider: listing.name, reason: listing.disabledReason }, 'vendor disabled');
  }
  const healthChecks = new ActiveHealthChecks(registry.enabled, (vendor, result) => {
    store.metrics.recordProbe(vendor.name, result.outcome);
    router.health.check(vendor);
  });
  if (config.routing.healthChecks) app.addHook('onReady', async () => healthChecks.start());
  app.addHook('onClose', async () => {
    healthChecks.stop();
    data.close();
    await registry.close();
    await webhooks.close();
    await hub.close();
    await store.close();
  });

  // Security headers and CORS first: every answer carries them, a preflight is answered before any key is asked for.
  await registerSecurityHeaders(app);
  await registerCors(app, config.server.cors);
  await registerSwagger(app);
  registerRequestContext(app);
  registerErrorHandler(app);
  const load = await registerLoadShedding(app, config.server.underPressure);
  registerAuth(app, {
    auth: config.auth,
    clientRateLimit: config.server.clientRateLimit,
    spend: new ClientSpendMeter(config.server.clientRateLimit.windowMs, store.redis, config.store.keyPrefix),
    costPerCall: new Map(registry.enabled.map((vendor) => [vendor.name, vendor.config.costPerCall])),
    issuedKeys: store.redis ? new RedisClientKeys(store.redis, config.store.keyPrefix) : null,
  });
  await registerClientRateLimit(app, config.server.clientRateLimit, store.redis, config.store.keyPrefix);

  await app.register(healthRoutes, { registry, store: store.metrics, load });
  await app.register(metricsRoutes, { metrics });
  await app.register(eventsRoutes, { prefix: '/v1/events', hub, ...config.events });
  await app.register(providersRoutes, { prefix: '/v1/providers', registry, router, healthChecks });
  await app.register(stocksRoutes, { prefix: '/v1/stocks', data });
  await app.register(cryptoRoutes, { prefix: '/v1/crypto', data });
  await app.register(forexRoutes, { prefix: '/v1/forex', data });
  await app.register(newsRoutes, { prefix: '/v1/news', data });
  return app;
}
