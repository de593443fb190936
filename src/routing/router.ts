import type { GatewayConfig } from '../config/schema.js';
import type { Capability, QueryOf, ResultOf } from '../contract/index.js';
import { GatewayError } from '../errors.js';
import type { VendorRegistry, VendorRuntime } from '../registry/registry.js';
import { Deadline } from '../resilience/deadline.js';
import type { Priority } from '../resilience/limiter.js';
import { attempt } from './attempt.js';
import type { AttemptRecord } from './attempt-record.js';
import { splitCandidates } from './candidates.js';
import type { RouterEventEmitter } from './events.js';
import { strategyByName, type Strategy } from './strategies/index.js';

export type CacheStatus = 'hit' | 'miss' | 'stale' | 'coalesced';

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
}

export interface RoutedResult<C extends Capability> {
  data: ResultOf<C>;
  provider: string;
  cache: CacheStatus;
  attempts: AttemptRecord[];
  latencyMs: number;
}

/** How many vendors must agree that a symbol does not exist before the gateway says 404 without asking the rest. */
const notFoundQuorum = 2;

/** Retry-After for a 503 when no skipped vendor tells us better (quota windows refill on their own schedule). */
const defaultRetryAfterMs = 5_000;

export class Router {
  private readonly strategy: Strategy;

  constructor(
    private readonly registry: VendorRegistry,
    private readonly routing: GatewayConfig['routing'],
    readonly events: RouterEventEmitter,
    private readonly random: () => number = Math.random,
  ) {
    this.strategy = strategyByName[routing.strategy];
  }

  /**
   * Tries the capable vendors in the strategy's order inside one deadline, and returns the first valid answer. Throws
   * only GatewayError; `attempts` on both paths lists every vendor tried or passed over.
   */
  async route<C extends Capability>(capability: C, query: QueryOf<C>, options: RouteOptions): Promise<RoutedResult<C>> {
    const started = performance.now();
    const vendors = options.provider ? [this.pinned(options.provider, capability)] : this.registry.serving(capability);
    if (vendors.length === 0) {
      throw new GatewayError('GW_NO_PROVIDER', `no enabled vendor serves ${capability}; see /v1/providers`);
    }
    const deadline = options.deadline ?? this.newDeadline(options.signal);
    const { available, skipped, retryAfterMs } = splitCandidates(vendors);
    const attempts: AttemptRecord[] = [...skipped];
    const ordered = this.strategy.order(available, { capability, key: options.key ?? '', random: this.random });

    let notFound = 0;
    let firstFailed: string | undefined;
    for (const vendor of ordered) {
      if (deadline.expired) break;
      const { record, result } = await attempt({
        vendor,
        capability,
        query,
        deadline,
        priority: options.priority,
        events: this.events,
      });
      attempts.push(record);
      if (result !== undefined) {
        if (firstFailed) {
          this.events.emit('failover', {
            capability,
            from: firstFailed,
            to: vendor.name,
            reason: attempts.find((entry) => entry.provider === firstFailed)?.outcome ?? 'unavailable',
            requestId: options.requestId,
          });
        }
        return { data: result, provider: vendor.name, cache: 'miss', attempts, latencyMs: elapsedSince(started) };
      }
      if (record.outcome === 'not-found' && ++notFound >= notFoundQuorum) break;
      if (record.outcome !== 'not-found' && record.outcome !== 'unsupported') firstFailed ??= vendor.name;
    }
    throw this.failure(capability, attempts, deadline, retryAfterMs, options);
  }

  newDeadline(signal?: AbortSignal): Deadline {
    return new Deadline(this.routing.deadlineMs, signal);
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
    if (called.some((entry) => entry.outcome === 'not-found')) {
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

function isSkip(entry: AttemptRecord): boolean {
  return (
    entry.outcome === 'breaker-open' ||
    entry.outcome === 'cooling-down' ||
    entry.outcome === 'quota-skip' ||
    entry.outcome === 'unsupported'
  );
}

function subjectOf(capability: Capability): string {
  if (capability === 'forex-rate') return 'the currency pair';
  if (capability.startsWith('news')) return 'news for';
  return 'the symbol';
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
