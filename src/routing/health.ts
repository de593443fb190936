import type { VendorHealthStatus } from '../core/outcomes.js';
import type { VendorRuntime } from '../vendors/registry.js';
import type { RouterEventEmitter } from '../core/events.js';
import { healthScore, type HealthScore } from './score.js';
import { breakerState } from '../resilience/breaker.js';
import type { MetricsStore, VendorWindow } from '../store/metrics-store.js';

/** Above this error rate in the window (and with enough calls to mean it) a vendor is degraded. */
const degradedErrorRate = 0.5;
const minCallsForErrorRate = 5;

/** down: its breaker is open. degraded: it answers but something is wrong, said in `reasons`. */
export function vendorHealth(
  vendor: VendorRuntime,
  window: VendorWindow,
): { status: VendorHealthStatus; reasons: string[] } {
  const reasons: string[] = [];
  const breaker = breakerState(vendor.breaker);
  const { lastProbe } = vendor.stats;
  if (breaker !== 'closed') reasons.push(`breaker ${breaker}`);
  if (vendor.ejectedElsewhere.active) {
    reasons.push(`breaker open on another instance until ${vendor.ejectedElsewhere.endsAt() ?? ''}`);
  }
  if (vendor.cooldown.active) reasons.push(`cooling down after a 429 until ${vendor.cooldown.endsAt() ?? ''}`);
  if (vendor.limiter.shareLeft === 0) reasons.push('a quota window is spent');
  if (window.errorRate !== null && window.calls >= minCallsForErrorRate && window.errorRate > degradedErrorRate) {
    reasons.push(`error rate ${Math.round(window.errorRate * 100)} %`);
  }
  if (lastProbe && lastProbe.outcome !== 'ok') reasons.push(`health check: ${lastProbe.outcome}`);
  const status: VendorHealthStatus = breaker === 'open' ? 'down' : reasons.length > 0 ? 'degraded' : 'healthy';
  return { status, reasons };
}

export function scoreVendor(
  vendor: VendorRuntime,
  window: VendorWindow,
  maxCostPerCall: number,
  referenceLatencyMs: number,
): HealthScore {
  return healthScore(
    {
      checks: window.checks,
      breaker: breakerState(vendor.breaker),
      latencyMs: window.latencyMs.mean,
      errorRate: window.errorRate,
      costPerCall: vendor.config.costPerCall,
      maxCostPerCall,
      tier: vendor.config.tier,
    },
    referenceLatencyMs,
  );
}

/** Emits providerHealthChanged when a vendor's status moves; checked after every call, probe and breaker change. */
export class HealthWatcher {
  private readonly last = new Map<string, VendorHealthStatus>();

  constructor(
    private readonly events: RouterEventEmitter,
    private readonly store: MetricsStore,
  ) {}

  check(vendor: VendorRuntime): void {
    const { status, reasons } = vendorHealth(vendor, this.store.window(vendor.name));
    const previous = this.last.get(vendor.name) ?? 'healthy';
    if (status === previous) return;
    this.last.set(vendor.name, status);
    this.events.emit('providerHealthChanged', { provider: vendor.name, from: previous, to: status, reasons });
  }
}
