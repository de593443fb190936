import type { RoutingConfig, StrategyName } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { RouterEventEmitter } from '../core/events.js';
import type { Capability, QueryOf, ResultOf } from '../core/index.js';
import { skippedOutcomes, type AttemptOutcome, type AttemptRecord } from '../core/outcomes.js';
import { Deadline } from '../resilience/deadline.js';
import { hedgeDelayMs } from '../resilience/hedging.js';
import type { Priority } from '../resilience/limiter.js';
import type { MetricsStore } from '../store/metrics-store.js';
import type { VendorRegistry, VendorRuntime } from '../vendors/registry.js';
import { attempt, type AttemptResult } from './attempt.js';
import { BudgetGuard } from './budget.js';
import { splitCandidates } from './candidates.js';
import { FailoverRace } from './failover.js';
import { HealthWatcher, scoreVendor } from './health.js';
import type { HealthScore } from './score.js';
import { createStrategy, type Candidate, type Strategy } from './strategies/index.js';

export interface RouteOptions {
  requestId: string;
  priority: Priority;
  /** Pins one vendor: no failover. */
  provider?: string | undefined;
  /** The client's signal: a client that goes away stops the attempts. */
  signal?: AbortSignal | undefined;
  /** What the request is about, for strategies that keep a key on one vendor. */
  key?: string;
  /** A budget shared by several routes (a watchlist's fan-out); by default each route gets routing.deadlineMs. */
  deadline?: Deadline;
  /** Only these vendors, in this order, instead of the strategy's choice (one lane of a merged news request). */
  only?: readonly string[];
  /**
   * Vendors that already said they do not know the subject (a batch answer that left the symbol out): not asked again,
   * and their word counts toward the 404 quorum.
   */
  notFoundFrom?: readonly string[];
}

/** Routing options once the request's deadline is set. */
export type RouteOptionsWithin = RouteOptions & { deadline: Deadline };

/**
 * A copy of `options` with `extra` on top. Not `{ ...options, ...extra }`: on Node 20 an object spread followed by
 * more properties costs about 1.6 µs, Object.assign onto a new object 0.14 µs
 * (docs/performance.md#the-fourth-round-what-a-miss-allocates-and-awaits).
 */
export function withRouteOptions<O extends RouteOptions, E extends Partial<RouteOptions>>(options: O, extra: E): O & E {
  return Object.assign({}, options, extra);
}

function hasDeadline(options: RouteOptions): options is RouteOptionsWithin {
  return options.deadline !== undefined;
}

/** A vendor's answer and how it was reached; the cache, above the router, adds how the cache answered. */
export interface RoutedResult<C extends Capability> {
  data: ResultOf<C>;
  provider: string;
  attempts: AttemptRecord[];
  latencyMs: number;
}

/** How many vendors must agree that a symbol does not exist before the gateway says 404 without asking the rest. */
const notFoundQuorum = 2;

/** Retry-After for a 503 when no skipped vendor tells us better (quota windows refill on their own schedule). */
const defaultRetryAfterMs = 5_000;

/**
 * Routes requests over one registry with one routing configuration, both fixed for its life: a configuration reload
 * builds a new router (`reconfigured`), and a request keeps the router it started with.
 */
export class Router {
  private readonly strategies = new Map<Capability, Strategy>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    readonly registry: VendorRegistry,
    private readonly routing: RoutingConfig,
    readonly events: RouterEventEmitter,
    readonly store: MetricsStore,
    private readonly random: () => number = Math.random,
    /** Shared with the routers a reload builds from this one, so a vendor's last status carries over. */
    readonly health: HealthWatcher = new HealthWatcher(events, store),
    /** Shared the same way, so a reload does not tell a budget crossing again. */
    readonly budget: BudgetGuard = new BudgetGuard(store, events),
  ) {
    this.unsubscribe = (['breakerOpened', 'breakerHalfOpen', 'breakerClosed'] as const).map((event) =>
      events.on(event, ({ provider }) => {
        const vendor = this.registry.find(provider)?.runtime;
        if (vendor) this.health.check(vendor);
      }),
    );
  }

  /** A router for a reloaded configuration, sharing this one's events, store and health watcher. */
  reconfigured(registry: VendorRegistry, routing: RoutingConfig): Router {
    return new Router(registry, routing, this.events, this.store, this.random, this.health, this.budget);
  }

  /** Stops listening to the events: this router is retired, and only requests already on it still use it. */
  detach(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  /**
   * Tries the capable vendors in the strategy's order inside one deadline, hedging slow attempts, and returns the
   * first valid answer. Throws only GatewayError; `attempts` on both paths lists every vendor tried or passed over,
   * except a half-open vendor's probe still running when another vendor answered (it finishes on its own).
   */
  async route<C extends Capability>(capability: C, query: QueryOf<C>, options: RouteOptions): Promise<RoutedResult<C>> {
    return this.withinDeadline(options, (within) => this.routeWithin(capability, query, within));
  }

  /**
   * Runs `work` within the request's deadline: the one `options` carries (a budget shared by several routes), or a new
   * one of routing.deadlineMs, ended when the work is.
   */
  async withinDeadline<T>(options: RouteOptions, work: (options: RouteOptionsWithin) => Promise<T>): Promise<T> {
    if (hasDeadline(options)) return work(options);
    const deadline = new Deadline(this.routing.deadlineMs, options.signal);
    try {
      return await work(withRouteOptions(options, { deadline }));
    } finally {
      deadline.end();
    }
  }

  private async routeWithin<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    options: RouteOptionsWithin,
  ): Promise<RoutedResult<C>> {
    const started = performance.now();
    const pinned = options.provider ? this.pinned(options.provider, capability) : undefined;
    const asked = options.notFoundFrom ?? [];
    const vendors = pinned
      ? [pinned]
      : this.registry.serving(capability).filter((vendor) => !asked.includes(vendor.name));
    // With every vendor already asked, the answer is their not-found (failure below).
    if (vendors.length === 0 && asked.length === 0) {
      throw new GatewayError('GW_NO_PROVIDER', `no enabled vendor serves ${capability}; see /v1/providers`);
    }
    const { deadline } = options;
    const { available, skipped, retryAfterMs } = splitCandidates(vendors, this.overBudget);
    const ordered = pinned
      ? available
      : options.only
        ? inListedOrder(available, options.only)
        : this.order(capability, available, options.key ?? '');

    const { answer, tried, quotaRetryAfterMs } = await this.race(capability, query, ordered, options, !!pinned);
    const attempts = [...skipped, ...tried];
    if (answer) {
      const winner = answer.vendor.name;
      const failed = tried.find((entry) => entry.provider !== winner && !isExpectedMiss(entry.outcome));
      if (failed) {
        this.events.emit('failover', {
          capability,
          from: failed.provider,
          to: winner,
          reason: failed.outcome,
          requestId: options.requestId,
        });
      }
      return { data: answer.result, provider: winner, attempts, latencyMs: elapsedSince(started) };
    }
    throw this.failure(capability, attempts, deadline, soonest(retryAfterMs, quotaRetryAfterMs), options);
  }

  /**
   * Runs the failover race over `ordered` until a vendor answers or enough vendors agree the subject does not exist;
   * returns the answer (if any) and every attempt, in the order they were started.
   */
  private async race<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    ordered: readonly VendorRuntime[],
    options: RouteOptionsWithin,
    pinned: boolean,
  ): Promise<{
    answer?: { vendor: VendorRuntime; result: ResultOf<C> };
    tried: AttemptRecord[];
    /** The soonest a spent quota window has room again, among vendors refused for quota. */
    quotaRetryAfterMs: number | null;
  }> {
    const hedging = !pinned && this.routing.hedging.enabled;
    const race = new FailoverRace(
      ordered.map((vendor) => ({
        item: vendor,
        hedgeAfterMs: hedging ? this.hedgeAfterMs(vendor) : null,
        cancellable: !vendor.breaker.halfOpen,
      })),
      (vendor, cancel): Promise<AttemptResult<C>> =>
        attempt({
          vendor,
          capability,
          query,
          deadline: options.deadline,
          priority: options.priority,
          events: this.events,
          retry: this.routing.retry,
          cancel,
        }),
      () => options.deadline.expired,
    );
    const tried: AttemptRecord[] = [];
    let quotaRetryAfterMs: number | null = null;
    const hear = (result: AttemptResult<C>) => {
      tried.push(result.record);
      if (result.retryAfterMs !== undefined) quotaRetryAfterMs = soonest(quotaRetryAfterMs, result.retryAfterMs);
    };
    let answer: { vendor: VendorRuntime; result: ResultOf<C> } | undefined;
    let notFound = options.notFoundFrom?.length ?? 0;
    try {
      for await (const { item: vendor, result } of race) {
        hear(result);
        this.health.check(vendor);
        if (result.result !== undefined) {
          answer = { vendor, result: result.result };
          break;
        }
        if (result.record.outcome === 'not-found' && ++notFound >= notFoundQuorum) break;
      }
    } finally {
      for (const { item: vendor, result } of await race.stop()) {
        hear(result);
        this.health.check(vendor);
      }
    }
    // In the order they were started, whatever order they settled in.
    const startOrder = (entry: AttemptRecord) => ordered.findIndex((vendor) => vendor.name === entry.provider);
    tried.sort((a, b) => startOrder(a) - startOrder(b));
    return answer ? { answer, tried, quotaRetryAfterMs } : { tried, quotaRetryAfterMs };
  }

  /** The vendors that may take this request now, in the strategy's order (no call is made). */
  plan(capability: Capability, key: string): string[] {
    const { available } = splitCandidates(this.registry.serving(capability), this.overBudget);
    return this.order(capability, available, key).map((vendor) => vendor.name);
  }

  private readonly overBudget = (vendor: VendorRuntime): string | null =>
    this.budget.refusal(vendor.name, vendor.config.budget);

  /** How long an attempt at `vendor` may run before the next vendor starts beside it. */
  hedgeAfterMs(vendor: VendorRuntime): number {
    return hedgeDelayMs(this.routing.hedging, vendor.stats.latencyPercentile(0.95));
  }

  scoreOf(vendor: VendorRuntime): HealthScore {
    return scoreVendor(
      vendor,
      this.store.window(vendor.name),
      this.registry.maxCostPerCall,
      this.routing.healthScore.referenceLatencyMs,
    );
  }

  strategyName(capability: Capability): StrategyName {
    return this.routing.strategyByCapability[capability] ?? this.routing.strategy;
  }

  private order(capability: Capability, vendors: readonly VendorRuntime[], key: string): VendorRuntime[] {
    let strategy = this.strategies.get(capability);
    if (!strategy) {
      strategy = createStrategy[this.strategyName(capability)]();
      this.strategies.set(capability, strategy);
    }
    const candidates = vendors.map((vendor): Candidate => ({
      vendor,
      score: strategy.name === 'health-based' ? this.scoreOf(vendor).value : 0,
      inFlight: vendor.stats.running,
      latencyMs: vendor.stats.latencyEwmaMs,
      costPerCall: vendor.config.costPerCall,
      quotaShareLeft: vendor.limiter.shareLeft,
    }));
    return strategy.order(candidates, { key, random: this.random }).map((candidate) => candidate.vendor);
  }

  /** Whether any enabled vendor (or the pinned one) declares the capability, without throwing. */
  serves(capability: Capability, provider?: string): boolean {
    if (provider) return this.registry.find(provider)?.runtime?.capabilities.has(capability) ?? false;
    return this.registry.serving(capability).length > 0;
  }

  private pinned(name: string, capability: Capability): VendorRuntime {
    const listing = this.registry.find(name);
    if (!listing) {
      const known = this.registry.listings.map((entry) => entry.name).join(', ');
      throw new GatewayError('GW_BAD_INPUT', `provider: unknown vendor "${name}" (known: ${known})`);
    }
    if (!listing.runtime)
      throw new GatewayError('GW_NO_PROVIDER', `provider: ${name} is disabled: ${listing.disabledReason}`);
    if (!listing.runtime.capabilities.has(capability)) {
      throw new GatewayError('GW_BAD_INPUT', `provider: ${name} does not serve ${capability}`);
    }
    return listing.runtime;
  }

  /** Chooses the status that tells the client the most: 404 agreed, 504 out of time, 503 nobody free, else 502. */
  private failure(
    capability: Capability,
    attempts: AttemptRecord[],
    deadline: Deadline,
    retryAfterMs: number | null,
    options: RouteOptions,
  ): GatewayError {
    const called = attempts.filter((entry) => !isSkip(entry));
    if (called.some((entry) => entry.outcome === 'not-found') || (options.notFoundFrom?.length ?? 0) > 0) {
      const subject = `${subjectOf(capability)}${options.key ? ` ${options.key}` : ''}`;
      return new GatewayError('GW_NOT_FOUND', `no vendor knows ${subject}`, { attempts });
    }
    if (attempts.length > 0 && attempts.every((entry) => entry.outcome === 'unsupported')) {
      return new GatewayError('GW_BAD_INPUT', `no vendor serves these ${capability} options`, { attempts });
    }
    if (deadline.expired) {
      return new GatewayError('GW_DEADLINE', `no vendor answered within ${this.routing.deadlineMs} ms`, { attempts });
    }
    if (called.length === 0) {
      this.events.emit('noHealthyProviders', { capability, requestId: options.requestId });
      return new GatewayError('GW_NO_PROVIDER', `every vendor for ${capability} is unavailable right now`, {
        attempts,
        retryAfterSeconds: Math.max(1, Math.ceil((retryAfterMs ?? defaultRetryAfterMs) / 1000)),
      });
    }
    return new GatewayError('GW_ALL_FAILED', `every vendor for ${capability} failed`, { attempts });
  }
}

/** The sooner of two optional delays. */
function soonest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function inListedOrder(vendors: readonly VendorRuntime[], names: readonly string[]): VendorRuntime[] {
  return names.flatMap((name) => vendors.find((vendor) => vendor.name === name) ?? []);
}

/** Outcomes that say nothing about the vendor's health: no failover to report when another vendor answers. */
function isExpectedMiss(outcome: AttemptOutcome): boolean {
  return outcome === 'not-found' || outcome === 'unsupported' || outcome === 'aborted';
}

function isSkip(entry: AttemptRecord): boolean {
  return skippedOutcomes.has(entry.outcome);
}

function subjectOf(capability: Capability): string {
  if (capability === 'forex-rate') return 'the currency pair';
  if (capability.startsWith('news')) return 'news for';
  return 'the symbol';
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
