import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { providers } from '../providers/index.js';
import type { GatewayConfig } from './config/schema.js';
import type { ProviderAdapter } from './core/index.js';
import { cacheHeapShortfall } from './cache/memory-budget.js';
import { ConfigReloader } from './data/config-reload.js';
import { DataService } from './data/data-service.js';
import { LiveSnapshot } from './data/snapshot.js';
import { registerAuth } from './http/plugins/auth.js';
import { registerClientRateLimit } from './http/plugins/client-rate-limit.js';
import { registerCors } from './http/plugins/cors.js';
import { Drain, registerDrain } from './http/plugins/drain.js';
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
import { adminRoutes } from './http/routes/admin.js';
import { stocksRoutes } from './http/routes/stocks.js';
import { registerSwagger } from './http/plugins/swagger.js';
import { createLogger, logRouterEvents, RequestLogController } from './observability/log.js';
import { VendorRegistry } from './vendors/registry.js';
import { SharedVendorState } from './vendors/shared-state.js';
import { ActiveHealthChecks } from './vendors/health-checks.js';
import { RedisClientKeys } from './store/client-keys.js';
import { ClientSpendMeter } from './store/client-spend.js';
import { createMetricsStore } from './store/create.js';
import { InstanceDirectory } from './store/instances.js';
import { AlertClaims } from './store/alert-claims.js';
import { createQuotaStore } from './store/quota-backend.js';
import { GatewayMetrics } from './observability/metrics.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { eventsRoutes } from './http/routes/events.js';
import { registerWebSocket, streamRoutes } from './http/routes/stream.js';
import { StreamEngine } from './stream/engine.js';
import { instancesRoutes } from './http/routes/instances.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { EventHub } from './observability/event-hub.js';
import { WebhookNotifier } from './observability/webhooks.js';
import { redisEventBus } from './store/event-bus.js';
import { RouterEventEmitter } from './core/events.js';
import { Router } from './routing/router.js';

export interface AppDependencies {
  config: GatewayConfig;
  /**
   * The file `config` came from and how to read it again (server.ts: loadConfig's own pipeline): enables POST
   * /admin/reload, SIGHUP (app.reloader) and, with reload.watch, the file watch. Without it the configuration is fixed.
   */
  configFile?: { path: string; load: () => GatewayConfig };
  /** Defaults to every adapter in providers/index.ts. */
  adapters?: readonly ProviderAdapter[];
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: DestinationStream;
}

/** Builds the gateway without listening: plugins in Fastify's order (docs → own hooks → routes). */
declare module 'fastify' {
  interface FastifyInstance {
    /** The routing engine new requests start on (a reload replaces it): its events, registry and health watcher. */
    router: Router;
    /** Hot reload (SIGHUP, the file watch, POST /admin/reload); null without AppDependencies.configFile. */
    reloader: ConfigReloader | null;
    /** Prometheus metrics; the response cache counts its results here. */
    metrics: GatewayMetrics;
    /** Graceful shutdown's first step: not ready, connections closed after each answer (server.ts). */
    drain: Drain;
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
    // Graceful shutdown (docs/operations.md#graceful-shutdown): a request that arrives on a connection accepted before
    // the listener closed is served like any in-flight one, not refused with Fastify's bare 503, which no load balancer
    // retries.
    return503OnClosing: false,
    // Errors raised before routing, and connections Node's parser refuses, answer problem+json too.
    frameworkErrors: frameworkErrorProblem,
    clientErrorHandler: problemOnClientError(logger),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const events = new RouterEventEmitter();
  logRouterEvents(events, app.log);
  const adapters = dependencies.adapters ?? providers;
  // Every vendor a reload could enable, so one added later is shared through Redis too.
  const store = await createMetricsStore(
    config,
    adapters.map((adapter) => adapter.name),
    app.log,
  );
  const hub = new EventHub(events, store.redis ? redisEventBus(store.redis, config.store.keyPrefix) : null);
  const instances = new InstanceDirectory(
    hub.instance,
    store.redis,
    config.store.keyPrefix,
    config.store.syncIntervalMs,
  );
  const quotas = createQuotaStore(config, store.redis, store.keyPrefix, instances, (problem) =>
    app.log.error({ event: 'quotaStateFile' }, problem),
  );
  const registry = new VendorRegistry(config, adapters, events, quotas.backend);
  const live = new LiveSnapshot({
    config,
    registry,
    router: new Router(registry, config.routing, events, store.metrics),
  });
  const costPerCall = (vendor: string) => live.current.registry.find(vendor)?.runtime?.config.costPerCall ?? 0;
  events.on('callFinished', (call) => {
    const { provider, capability, outcome, ms, failed } = call;
    store.metrics.recordCall({ vendor: provider, capability, outcome, ms, failed, cost: costPerCall(provider) });
  });
  app.decorate('router', { getter: () => live.current.router });
  if (store.redis) {
    const shared = new SharedVendorState(
      () => live.current.registry,
      store.redis,
      config.store.keyPrefix,
      hub.instance,
      events,
      config.store.syncIntervalMs,
    );
    hub.subscribe((event) => shared.applyRemote(event));
    app.addHook('onClose', async () => shared.close());
  }
  const webhooks = new WebhookNotifier(
    hub,
    config.alerts.webhooks,
    new AlertClaims(store.redis, config.store.keyPrefix),
    app.log,
  );
  const metrics = new GatewayMetrics(live, store.metrics, events, hub);
  app.decorate('metrics', metrics);
  metrics.instrument(app);
  const data = new DataService(live, {
    redis: store.redis ?? undefined,
    keyPrefix: config.store.keyPrefix,
    deadlineMs: config.routing.deadlineMs,
  });
  data.onCacheResult((capability, result) => metrics.cacheResult(capability, result));
  const stream = config.stream.enabled
    ? new StreamEngine({
        live,
        data,
        events,
        redis: store.redis,
        keyPrefix: store.keyPrefix,
        instance: hub.instance,
      })
    : null;
  if (stream) metrics.instrumentStream(stream);
  const heapShortfall = config.cache.enabled ? cacheHeapShortfall(config.cache.maxBytes) : undefined;
  if (heapShortfall) app.log.warn({ event: 'cacheHeapShortfall' }, heapShortfall);
  for (const listing of registry.listings) {
    if (listing.disabledReason)
      app.log.warn({ provider: listing.name, reason: listing.disabledReason }, 'vendor disabled');
  }
  const healthChecks = new ActiveHealthChecks(registry.enabled, (vendor, result) => {
    store.metrics.recordProbe(vendor.name, result.outcome);
    live.current.router.health.check(vendor);
  });
  const { configFile } = dependencies;
  const reloader = configFile
    ? new ConfigReloader({
        live,
        load: configFile.load,
        adapters,
        events,
        onSwapped: (next) => {
          data.reconfigureCache(next.config.cache);
          if (next.config.routing.healthChecks) healthChecks.restart(next.registry.enabled);
          else healthChecks.stop();
        },
      })
    : null;
  app.decorate('reloader', reloader);
  if (config.routing.healthChecks) app.addHook('onReady', async () => healthChecks.start());
  if (reloader && configFile && config.reload.watch) {
    app.addHook('onReady', async () => reloader.watch(configFile.path, config.reload));
  }
  app.addHook('onClose', async () => {
    healthChecks.stop();
    data.close();
    // Before the store: the engine gives its Redis leases back, so another instance takes its symbols over at once.
    await stream?.close();
    // Vendors first (the reloader also closes what retired snapshots still held): their unspent quota tokens go back
    // to the ledger before it closes.
    if (reloader) await reloader.close();
    else await live.current.registry.close();
    await quotas.close();
    await webhooks.close(config.server.shutdown.webhookDrainMs);
    await hub.close();
    await instances.close();
    await store.close();
  });

  // Security headers and CORS first: every answer carries them, a preflight is answered before any key is asked for.
  await registerSecurityHeaders(app);
  await registerCors(app, config.server.cors);
  await registerSwagger(app);
  registerRequestContext(app);
  registerErrorHandler(app);
  if (stream) await registerWebSocket(app, stream);
  const load = await registerLoadShedding(app, config.server.underPressure);
  const drain = new Drain();
  app.decorate('drain', drain);
  registerDrain(app, drain);
  registerAuth(app, {
    auth: config.auth,
    clientRateLimit: config.server.clientRateLimit,
    spend: new ClientSpendMeter(config.server.clientRateLimit.windowMs, store.redis, config.store.keyPrefix),
    costPerCall,
    issuedKeys: store.redis ? new RedisClientKeys(store.redis, config.store.keyPrefix) : null,
  });
  await registerClientRateLimit(app, config.server.clientRateLimit, store.redis, config.store.keyPrefix);

  await app.register(healthRoutes, { live, store: store.metrics, load, drain });
  await app.register(metricsRoutes, { metrics });
  await app.register(eventsRoutes, { prefix: '/v1/events', hub, ...config.events });
  await app.register(providersRoutes, {
    prefix: '/v1/providers',
    live,
    healthChecks,
    ...(stream ? { streamFeeds: () => stream.feedStates() } : {}),
  });
  await app.register(adminRoutes, { prefix: '/admin', reloader });
  await app.register(instancesRoutes, { prefix: '/v1/instances', instances, selfId: hub.instance });
  await app.register(dashboardRoutes, { prefix: '/dashboard' });
  await app.register(stocksRoutes, { prefix: '/v1/stocks', data });
  await app.register(cryptoRoutes, { prefix: '/v1/crypto', data });
  await app.register(forexRoutes, { prefix: '/v1/forex', data });
  await app.register(newsRoutes, { prefix: '/v1/news', data });
  if (stream) await app.register(streamRoutes, { prefix: '/v1/stream', engine: stream, config: config.stream });
  return app;
}
