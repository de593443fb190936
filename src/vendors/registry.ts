import type { GatewayConfig, ProviderConfig, RoutingConfig } from '../config/schema.js';
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

export class VendorRegistry {
  readonly listings: readonly VendorListing[];
  readonly enabled: readonly VendorRuntime[];
  /** The dearest enabled vendor's costPerCall, against which the health score rates cost. */
  readonly maxCostPerCall: number;

  constructor(
    config: GatewayConfig,
    adapters: readonly ProviderAdapter[],
    events: RouterEventEmitter,
    quotas: QuotaBackend = processQuotaBackend(),
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
            ? createRuntime(adapter, vendorConfig, capabilities, config.routing, events, quotas)
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

  find(name: string): VendorListing | undefined {
    return this.listings.find((listing) => listing.name === name);
  }

  serving(capability: Capability): VendorRuntime[] {
    return this.enabled.filter((vendor) => vendor.capabilities.has(capability));
  }

  async close(): Promise<void> {
    await Promise.all(
      this.enabled.map(async (vendor) => {
        vendor.breaker.shutdown();
        vendor.client.close();
        await vendor.limiter.stop();
      }),
    );
  }
}

/** Why a vendor with an adapter is not in routing, or null when it is. */
export function disabledReasonOf(adapter: ProviderAdapter, config: GatewayConfig): string | null {
  const vendorConfig = config.providers[adapter.name];
  if (!vendorConfig) return `no providers.${adapter.name} block in the configuration`;
  if (!vendorConfig.enabled) return 'disabled in the configuration (enabled: false)';
  if (adapter.auth && !adapter.auth.optional && !vendorConfig.apiKey)
    return `no API key: set ${adapter.name.toUpperCase()}_API_KEY`;
  return null;
}

function createRuntime(
  adapter: ProviderAdapter,
  config: ProviderConfig,
  capabilities: Capability[],
  routing: RoutingConfig,
  events: RouterEventEmitter,
  quotas: QuotaBackend,
): VendorRuntime {
  const breaker = createVendorBreaker(adapter.name, config.breaker, config.timeoutMs + 250);
  const runtime: VendorRuntime = {
    name: adapter.name,
    adapter,
    config,
    capabilities: new Set(capabilities),
    client: createVendorClient({
      name: adapter.name,
      baseUrl: config.baseUrl ?? adapter.defaultBaseUrl,
      auth: adapter.auth,
      apiKey: config.apiKey ?? null,
      maxConnections: config.maxConnections,
    }),
    breaker,
    breakerSince: new Date().toISOString(),
    limiter: new VendorLimiter(adapter.name, config.rateLimit, quotas),
    cooldown: new Cooldown(),
    stats: new VendorStats(),
  };
  const transitions = [
    ['open', 'breakerOpened'],
    ['halfOpen', 'breakerHalfOpen'],
    ['close', 'breakerClosed'],
  ] as const;
  for (const [opossumEvent, routerEvent] of transitions) {
    breaker.on(opossumEvent as 'open', () => {
      runtime.breakerSince = new Date().toISOString();
      events.emit(routerEvent, { provider: adapter.name });
    });
  }
  return runtime;
}

export function vendorBreakerState(vendor: VendorRuntime): BreakerState {
  return breakerState(vendor.breaker);
}
