import type { BreakerConfig, GatewayConfig, ProviderConfig } from '../config/schema.js';
import type { Capability, ProviderAdapter } from '../core/index.js';
import { breakerState, createVendorBreaker, type BreakerState, type VendorBreaker } from '../resilience/breaker.js';
import { Cooldown } from '../resilience/cooldown.js';
import { VendorLimiter } from '../resilience/limiter.js';
import { processQuotaBackend, type QuotaBackend } from '../resilience/vendor-quota.js';
import type { RouterEventEmitter } from '../core/events.js';
import { VendorStats } from './vendor-stats.js';
import { createVendorClient, type VendorClient } from '../transport/vendor-client.js';

/** An enabled vendor with everything a call needs: its adapter, settings, pool, breaker, limiter and live state. */
export interface VendorRuntime {
  name: string;
  adapter: ProviderAdapter;
  config: ProviderConfig;
  capabilities: ReadonlySet<Capability>;
  client: VendorClient;
  breaker: VendorBreaker;
  breakerSince: string;
  limiter: VendorLimiter;
  cooldown: Cooldown;
  /** Resting because another instance's breaker opened for this vendor (vendors/shared-state.ts). */
  ejectedElsewhere: Cooldown;
  stats: VendorStats;
}

/** What /v1/providers shows for every vendor, enabled or not. */
export interface VendorListing {
  name: string;
  enabled: boolean;
  disabledReason: string | null;
  tier: number | null;
  weight: number | null;
  capabilities: Capability[];
  docsUrl: string | null;
  baseUrl: string | null;
  runtime: VendorRuntime | null;
}

/** What a registry built by a reload takes over from the one it replaces. */
interface CarryOver {
  previous: VendorRegistry;
}

/** A breaker, the settings it was built with, and when it entered its state; shared by the runtimes that reuse it. */
interface TrackedBreaker {
  breaker: VendorBreaker;
  settings: readonly [BreakerConfig, number];
  since: string;
}

/** opossum's own timeout backs up the call's deadline by this much (resilience/breaker.ts). */
const breakerBackstopMarginMs = 250;

export class VendorRegistry {
  readonly listings: readonly VendorListing[];
  readonly enabled: readonly VendorRuntime[];
  /** The dearest enabled vendor's costPerCall, against which the health score rates cost. */
  readonly maxCostPerCall: number;
  private readonly breakers = new Map<string, TrackedBreaker>();

  constructor(
    config: GatewayConfig,
    adapters: readonly ProviderAdapter[],
    private readonly events: RouterEventEmitter,
    /** Where quota windows are counted: a reload's registry counts in the same place, so nothing is refilled. */
    private readonly quotas: QuotaBackend = processQuotaBackend(),
    carryOver?: CarryOver,
  ) {
    const listings: VendorListing[] = [];
    for (const adapter of adapters) {
      const vendorConfig = config.providers[adapter.name];
      const declared = Object.keys(adapter.capabilities) as Capability[];
      const capabilities = vendorConfig?.capabilities ?? declared;
      const disabledReason = disabledReasonOf(adapter, config);
      listings.push({
        name: adapter.name,
        enabled: disabledReason === null,
        disabledReason,
        tier: vendorConfig?.tier ?? null,
        weight: vendorConfig?.weight ?? null,
        capabilities,
        docsUrl: adapter.docsUrl,
        baseUrl: vendorConfig?.baseUrl ?? adapter.defaultBaseUrl,
        runtime:
          vendorConfig && disabledReason === null
            ? this.createRuntime(adapter, vendorConfig, capabilities, carryOver)
            : null,
      });
    }
    const known = new Set(adapters.map((adapter) => adapter.name));
    for (const [name, vendorConfig] of Object.entries(config.providers)) {
      if (known.has(name)) continue;
      listings.push({
        name,
        enabled: false,
        disabledReason: `no adapter named "${name}" in this build (known: ${[...known].join(', ')})`,
        tier: vendorConfig.tier,
        weight: vendorConfig.weight,
        capabilities: [],
        docsUrl: null,
        baseUrl: vendorConfig.baseUrl ?? null,
        runtime: null,
      });
    }
    this.listings = listings.sort((a, b) => a.name.localeCompare(b.name));
    this.enabled = listings.flatMap((listing) => (listing.runtime ? [listing.runtime] : []));
    this.maxCostPerCall = Math.max(0, ...this.enabled.map((vendor) => vendor.config.costPerCall));
  }

  /**
   * The registry for a reloaded configuration. A vendor that stays enabled keeps its live state: cooldown and stats
   * always; its breaker (state carried into a new one when its settings change, so an open breaker stays open), its
   * limiter (a new one when rateLimit changes, counting in the same quota ledger, so nothing is refilled) and its
   * connection pool (new when baseUrl, apiKey or maxConnections change).
   */
  static async reloaded(
    previous: VendorRegistry,
    config: GatewayConfig,
    adapters: readonly ProviderAdapter[],
    events: RouterEventEmitter,
  ): Promise<VendorRegistry> {
    return new VendorRegistry(config, adapters, events, previous.quotas, { previous });
  }

  find(name: string): VendorListing | undefined {
    return this.listings.find((listing) => listing.name === name);
  }

  serving(capability: Capability): VendorRuntime[] {
    return this.enabled.filter((vendor) => vendor.capabilities.has(capability));
  }

  /** Closes the pools, breakers and limiters of this registry that none of `others` uses. */
  async closeUnusedBy(others: readonly VendorRegistry[]): Promise<void> {
    const kept = others.flatMap((other) =>
      other.enabled.flatMap((vendor) => [vendor.client, vendor.breaker, vendor.limiter]),
    );
    await this.closeParts(new Set(kept));
  }

  async close(): Promise<void> {
    await this.closeParts(new Set());
  }

  private async closeParts(kept: ReadonlySet<unknown>): Promise<void> {
    await Promise.all(
      this.enabled.map(async (vendor) => {
        if (!kept.has(vendor.breaker)) vendor.breaker.shutdown();
        if (!kept.has(vendor.client)) vendor.client.close();
        if (!kept.has(vendor.limiter)) await vendor.limiter.stop();
      }),
    );
  }

  private createRuntime(
    adapter: ProviderAdapter,
    config: ProviderConfig,
    capabilities: Capability[],
    carryOver: CarryOver | undefined,
  ): VendorRuntime {
    const previous = carryOver?.previous.find(adapter.name)?.runtime ?? undefined;
    const tracked = this.trackBreaker(adapter.name, config, previous && carryOver?.previous.breakers.get(adapter.name));
    const sameClient =
      previous &&
      sameSettings(
        [previous.config.baseUrl, previous.config.apiKey, previous.config.maxConnections],
        [config.baseUrl, config.apiKey, config.maxConnections],
      );
    const sameLimiter = previous && sameSettings(previous.config.rateLimit, config.rateLimit);
    return {
      name: adapter.name,
      adapter,
      config,
      capabilities: new Set(capabilities),
      client:
        sameClient && previous
          ? previous.client
          : createVendorClient({
              name: adapter.name,
              baseUrl: config.baseUrl ?? adapter.defaultBaseUrl,
              auth: adapter.auth,
              apiKey: config.apiKey ?? null,
              maxConnections: config.maxConnections,
              maxResponseBytes: adapter.maxResponseBytes,
            }),
      breaker: tracked.breaker,
      get breakerSince() {
        return tracked.since;
      },
      limiter:
        sameLimiter && previous ? previous.limiter : new VendorLimiter(adapter.name, config.rateLimit, this.quotas),
      cooldown: previous?.cooldown ?? new Cooldown(),
      ejectedElsewhere: previous?.ejectedElsewhere ?? new Cooldown(),
      stats: previous?.stats ?? new VendorStats(),
    };
  }

  /** The vendor's breaker: the previous one when its settings are unchanged, else a new one in the previous state. */
  private trackBreaker(vendor: string, config: ProviderConfig, previous: TrackedBreaker | undefined): TrackedBreaker {
    const settings = [config.breaker, config.timeoutMs + breakerBackstopMarginMs] as const;
    if (previous && sameSettings(previous.settings, settings)) {
      this.breakers.set(vendor, previous);
      return previous;
    }
    const breaker = createVendorBreaker(vendor, config.breaker, settings[1], previous?.breaker);
    const tracked: TrackedBreaker = { breaker, settings, since: previous?.since ?? new Date().toISOString() };
    const transitions = [
      ['open', 'breakerOpened'],
      ['halfOpen', 'breakerHalfOpen'],
      ['close', 'breakerClosed'],
    ] as const;
    for (const [opossumEvent, routerEvent] of transitions) {
      breaker.on(opossumEvent as 'open', () => {
        tracked.since = new Date().toISOString();
        this.events.emit(routerEvent, { provider: vendor });
      });
    }
    this.breakers.set(vendor, tracked);
    return tracked;
  }
}

export function vendorBreakerState(vendor: VendorRuntime): BreakerState {
  return breakerState(vendor.breaker);
}

/** Whether two settings values are equal, field by field (they come from the same schema, so in the same key order). */
function sameSettings(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Why a vendor with an adapter is not in routing, or null when it is. */
export function disabledReasonOf(adapter: ProviderAdapter, config: GatewayConfig): string | null {
  const vendorConfig = config.providers[adapter.name];
  if (!vendorConfig) return `no providers.${adapter.name} block in the configuration`;
  if (!vendorConfig.enabled) return 'disabled in the configuration (enabled: false)';
  if (adapter.auth && !adapter.auth.optional && !vendorConfig.apiKey) {
    return `no API key: set ${adapter.name.toUpperCase()}_API_KEY`;
  }
  return null;
}
