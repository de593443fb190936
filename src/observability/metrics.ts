import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { capabilities, type CacheStatus, type Capability } from '../core/index.js';
import type { EventHub } from './event-hub.js';
import { breakerState } from '../resilience/breaker.js';
import type { RouterEventEmitter } from '../core/events.js';
import { vendorHealth } from '../routing/health.js';
import type { LiveSnapshot } from '../data/snapshot.js';
import type { StreamEngine } from '../stream/engine.js';
import type { FeedState } from '../stream/vendor-feed.js';
import { isBilled, type MetricsStore } from '../store/metrics-store.js';

/** Upstream latency buckets in seconds, dense where vendors answer (docs/libraries.md#prom-client). */
const upstreamBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5];
const breakerValue = { closed: 0, 'half-open': 1, open: 2 } as const;
const healthValue = { healthy: 0, degraded: 1, down: 2 } as const;

/**
 * Everything /metrics exposes, on a registry of its own (one per app: tests build many). Labels are bounded: vendor,
 * capability, outcome, window, route template, method, status — never a symbol, a client or a raw URL. Counters follow
 * the router's events; gauges are read from the live state when Prometheus scrapes.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly cacheResults: Counter<'capability' | 'result'>;

  constructor(live: LiveSnapshot, store: MetricsStore, events: RouterEventEmitter, hub: EventHub) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });

    const upstreamRequests = new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Calls to vendors, by vendor, capability and outcome.',
      labelNames: ['vendor', 'capability', 'outcome'] as const,
      registers,
    });
    const upstreamDuration = new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Vendor call latency, queueing for a quota slot included.',
      labelNames: ['vendor', 'capability'] as const,
      buckets: upstreamBuckets,
      registers,
    });
    const queueWait = new Histogram({
      name: 'gateway_vendor_queue_wait_seconds',
      help: 'Time a call waited for a quota slot at its vendor.',
      labelNames: ['vendor'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const cost = new Counter({
      name: 'gateway_vendor_cost_total',
      help: 'What calls that reached the vendor cost (costPerCall each), by vendor and capability.',
      labelNames: ['vendor', 'capability'] as const,
      registers,
    });
    const failovers = new Counter({
      name: 'gateway_failovers_total',
      help: 'Requests answered by another vendor than the one tried first.',
      labelNames: ['capability', 'from', 'to'] as const,
      registers,
    });
    const breakerTransitions = new Counter({
      name: 'gateway_breaker_transitions_total',
      help: 'Breaker state changes, by vendor and new state.',
      labelNames: ['vendor', 'state'] as const,
      registers,
    });
    const cooldowns = new Counter({
      name: 'gateway_vendor_cooldowns_total',
      help: 'Rests started after a vendor 429.',
      labelNames: ['vendor'] as const,
      registers,
    });
    const quotaExhausted = new Counter({
      name: 'gateway_vendor_quota_exhausted_total',
      help: 'Quota windows found spent.',
      labelNames: ['vendor', 'window'] as const,
      registers,
    });
    const noHealthy = new Counter({
      name: 'gateway_no_healthy_vendor_total',
      help: 'Requests no vendor could take (every capable vendor open, resting or out of quota).',
      labelNames: ['capability'] as const,
      registers,
    });
    this.cacheResults = new Counter({
      name: 'gateway_cache_results_total',
      help: 'Response cache lookups by capability and result (hit, miss, stale, coalesced).',
      labelNames: ['capability', 'result'] as const,
      registers,
    });

    const upstreamRequestsOf = childrenOf(upstreamRequests);
    const upstreamDurationOf = childrenOf(upstreamDuration);
    const queueWaitOf = childrenOf(queueWait);
    events.on('callFinished', (call) => {
      upstreamRequestsOf(call.provider, call.capability, call.outcome).inc();
      upstreamDurationOf(call.provider, call.capability).observe(call.ms / 1000);
      queueWaitOf(call.provider).observe(call.queuedMs / 1000);
      const costPerCall = live.current.registry.find(call.provider)?.runtime?.config.costPerCall ?? 0;
      if (isBilled(call.outcome) && costPerCall > 0) {
        cost.inc({ vendor: call.provider, capability: call.capability }, costPerCall);
      }
    });
    events.on('failover', (event) => failovers.inc({ capability: event.capability, from: event.from, to: event.to }));
    events.on('breakerOpened', ({ provider }) => breakerTransitions.inc({ vendor: provider, state: 'open' }));
    events.on('breakerHalfOpen', ({ provider }) => breakerTransitions.inc({ vendor: provider, state: 'half-open' }));
    events.on('breakerClosed', ({ provider }) => breakerTransitions.inc({ vendor: provider, state: 'closed' }));
    events.on('cooldownStarted', ({ provider }) => cooldowns.inc({ vendor: provider }));
    events.on('quotaExhausted', ({ provider, window }) => quotaExhausted.inc({ vendor: provider, window }));
    events.on('noHealthyProviders', ({ capability }) => noHealthy.inc({ capability }));

    const vendors = () => live.current.registry.enabled;
    new Gauge({
      name: 'gateway_breaker_state',
      help: 'Breaker state per vendor: 0 closed, 1 half-open, 2 open.',
      labelNames: ['vendor'] as const,
      registers,
      collect() {
        for (const vendor of vendors()) this.set({ vendor: vendor.name }, breakerValue[breakerState(vendor.breaker)]);
      },
    });
    new Gauge({
      name: 'gateway_vendor_health_score',
      help: 'Health score per vendor, 0–1 (docs/configuration.md#health-score).',
      labelNames: ['vendor'] as const,
      registers,
      collect() {
        for (const vendor of vendors()) this.set({ vendor: vendor.name }, live.current.router.scoreOf(vendor).value);
      },
    });
    new Gauge({
      name: 'gateway_vendor_health_status',
      help: 'Health per vendor: 0 healthy, 1 degraded, 2 down.',
      labelNames: ['vendor'] as const,
      registers,
      collect() {
        for (const vendor of vendors()) {
          this.set({ vendor: vendor.name }, healthValue[vendorHealth(vendor, store.window(vendor.name)).status]);
        }
      },
    });
    new Gauge({
      name: 'gateway_capability_available_vendors',
      help: 'Enabled vendors per capability that can take a call now (breaker not open, not resting, quota left).',
      labelNames: ['capability'] as const,
      registers,
      collect() {
        for (const capability of capabilities) {
          const serving = live.current.registry.serving(capability as Capability);
          const available = serving.filter(
            (vendor) =>
              !vendor.breaker.opened &&
              !vendor.ejectedElsewhere.active &&
              !vendor.cooldown.active &&
              vendor.limiter.shareLeft > 0,
          );
          if (serving.length > 0) this.set({ capability }, available.length);
        }
      },
    });
    for (const [name, help, field] of [
      ['gateway_vendor_quota_remaining', 'Calls left in each quota window per vendor.', 'remaining'],
      ['gateway_vendor_quota_limit', 'Size of each configured quota window per vendor.', 'limit'],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['vendor', 'window'] as const,
        registers,
        async collect() {
          for (const vendor of vendors()) {
            for (const state of await vendor.limiter.windowStates()) {
              this.set({ vendor: vendor.name, window: state.window }, state[field]);
            }
          }
        },
      });
    }
    for (const [name, help, field] of [
      [
        'gateway_vendor_spend',
        'What each vendor has cost this UTC day and month (all instances), per capped period.',
        'spent',
      ],
      ['gateway_vendor_budget', 'Spend cap of each vendor per period (providers.NAME.budget).', 'limit'],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['vendor', 'period'] as const,
        registers,
        collect() {
          for (const vendor of vendors()) {
            for (const state of live.current.router.budget.states(vendor.name, vendor.config.budget)) {
              this.set({ vendor: vendor.name, period: state.period }, state[field]);
            }
          }
        },
      });
    }
    new Gauge({
      name: 'gateway_vendor_queue_length',
      help: 'Calls waiting for a quota slot per vendor.',
      labelNames: ['vendor'] as const,
      registers,
      collect() {
        for (const vendor of vendors()) this.set({ vendor: vendor.name }, vendor.limiter.counts().queued);
      },
    });
    new Gauge({
      name: 'gateway_vendor_in_flight',
      help: 'Calls in flight per vendor.',
      labelNames: ['vendor'] as const,
      registers,
      collect() {
        for (const vendor of vendors()) this.set({ vendor: vendor.name }, vendor.stats.running);
      },
    });
    new Gauge({
      name: 'gateway_event_subscribers',
      help: 'Open /v1/events streams and webhooks listening to router events.',
      registers,
      collect() {
        this.set(hub.subscribers);
      },
    });
    new Gauge({
      name: 'gateway_store_up',
      help: '1 when the metrics store works as configured (memory, or Redis reachable); 0 when degraded.',
      labelNames: ['kind'] as const,
      registers,
      collect() {
        const status = store.status();
        this.set({ kind: status.kind }, status.state === 'ok' ? 1 : 0);
      },
    });
  }

  /** For the response cache: one lookup's result. */
  cacheResult(capability: Capability, result: CacheStatus): void {
    this.cacheResults.inc({ capability, result });
  }

  /**
   * The streaming engine's numbers (docs/operations.md#streaming). The engine counts in plain numbers on its hot
   * path (a fan-out to thousands of subscribers); these counters copy them at scrape time.
   */
  instrumentStream(engine: StreamEngine): void {
    const registers = [this.registry];
    const { stats } = engine;
    const copied = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    copied('gateway_stream_messages_out_total', 'Updates written to live-stream subscribers.', () => stats.delivered);
    copied(
      'gateway_stream_conflations_total',
      'Updates replaced by a newer one for the same symbol before a slow subscriber took them.',
      () => stats.conflated,
    );
    copied(
      'gateway_stream_slow_disconnects_total',
      'Subscribers disconnected for being too slow (conflated for stream.slowConsumerMs).',
      () => stats.slowDisconnects,
    );
    copied(
      'gateway_stream_failovers_total',
      'Live channels that changed source (streamFailover).',
      () => stats.failovers,
    );
    new Counter({
      name: 'gateway_stream_messages_in_total',
      help: 'Vendor ticks and polled answers accepted into the live streams, by source (a vendor, or poller).',
      labelNames: ['source'] as const,
      registers,
      collect() {
        this.reset();
        for (const [source, count] of stats.received) this.inc({ source }, count);
      },
    });
    new Gauge({
      name: 'gateway_stream_subscribers',
      help: 'Open live streams (/v1/stream and /v1/stream/sse) on this instance.',
      registers,
      collect() {
        this.set(engine.sessions.size);
      },
    });
    new Gauge({
      name: 'gateway_stream_upstream_topics',
      help: 'Channel and symbol pairs this instance follows upstream (with Redis: the ones it leads).',
      registers,
      collect() {
        this.set(engine.upstreamTopics);
      },
    });
    const feedStates: readonly FeedState[] = ['idle', 'connecting', 'live', 'failing'];
    new Gauge({
      name: 'gateway_stream_upstream_feeds',
      help: 'Upstream vendor sockets by vendor and state (idle, connecting, live, failing).',
      labelNames: ['vendor', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const feed of engine.feedStates()) {
          for (const state of feedStates) this.inc({ vendor: feed.vendor, state }, feed.state === state ? 1 : 0);
        }
      },
    });
  }

  /** HTTP requests by route template, method and status, timed from arrival to response. */
  instrument(app: FastifyInstance): void {
    const requests = new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests by route template, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [this.registry],
    });
    const duration = new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP request duration by route template and method.',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const requestsOf = childrenOf(requests);
    const durationOf = childrenOf(duration);
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requestsOf(route, request.method, String(reply.statusCode)).inc();
      durationOf(route, request.method).observe(reply.elapsedTime / 1000);
      done();
    });
  }
}

/**
 * A metric's child per label values, made once: prom-client checks and copies a labels object on every call otherwise
 * (docs/performance.md#what-profiling-the-miss-changed). Label values are bounded (see GatewayMetrics), and so is this.
 */
function childrenOf<Child>(metric: { labels(...values: string[]): Child }): (...values: string[]) => Child {
  const children = new Map<string, Child>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      child = metric.labels(...values);
      children.set(key, child);
    }
    return child;
  };
}
