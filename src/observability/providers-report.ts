import type { AttemptOutcome, VendorHealthStatus } from '../core/index.js';
import { vendorBreakerState, type VendorListing } from '../vendors/registry.js';
import type { BreakerState } from '../resilience/breaker.js';
import type { QuotaWindowState } from '../resilience/limiter.js';
import { vendorHealth } from '../routing/health.js';
import type { BudgetState } from '../routing/budget.js';
import type { Router } from '../routing/router.js';
import type { HealthScore } from '../routing/score.js';
import type { VendorWindow } from '../store/metrics-store.js';
import type { FeedState } from '../stream/vendor-feed.js';
import type { ProbeRecord } from '../vendors/vendor-stats.js';

/** One socket of the streaming engine (StreamEngine.feedStates()). */
export interface StreamFeedState {
  vendor: string;
  state: FeedState;
  framesIn: number;
}

export interface ProviderReport extends Omit<VendorListing, 'runtime'> {
  breaker: { state: BreakerState; since: string } | null;
  cooldownUntil: string | null;
  ejectedUntil: string | null;
  quota: QuotaWindowState[];
  inFlight: number;
  queued: number;
  calls: number;
  windowCalls: number;
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null; mean: number | null; ewma: number | null };
  costPerCall: number | null;
  usageToday: VendorWindow['usageToday'];
  /** Each capped period: cap, spend, and whether the vendor is skipped for it (budget-skip). */
  budget: (BudgetState & { skipped: boolean })[];
  lastSuccessAt: string | null;
  lastError: { outcome: AttemptOutcome; detail: string | null; at: string } | null;
  health: { status: VendorHealthStatus; reasons: string[] } | null;
  score: HealthScore | null;
  hedgeAfterMs: number | null;
  /** This instance's sockets to the vendor's streaming API (one per channel cluster); [] when it has none open. */
  streamFeeds: { state: FeedState; framesIn: number }[];
  healthCheck: { enabled: boolean; intervalMs: number; passed: number; total: number; last: ProbeRecord | null } | null;
}

/**
 * What /v1/providers shows of one vendor: its listing, live state (breaker, cooldown, quota windows, in flight), the
 * windowed stats every instance shares, and the router's view (health, score, hedge delay). Secrets stay out: the base
 * URL loses any credentials and query string.
 */
export async function providerReport(
  listing: VendorListing,
  router: Router,
  streamFeeds: readonly StreamFeedState[] = [],
): Promise<ProviderReport> {
  const runtime = listing.runtime;
  const stats = runtime?.stats.snapshot();
  const window = runtime ? router.store.window(runtime.name) : undefined;
  const counts = runtime?.limiter.counts();
  return {
    name: listing.name,
    enabled: listing.enabled,
    disabledReason: listing.disabledReason,
    tier: listing.tier,
    weight: listing.weight,
    capabilities: listing.capabilities,
    docsUrl: listing.docsUrl,
    baseUrl: listing.baseUrl ? withoutCredentials(listing.baseUrl) : null,
    breaker: runtime ? { state: vendorBreakerState(runtime), since: runtime.breakerSince } : null,
    cooldownUntil: runtime?.cooldown.endsAt() ?? null,
    ejectedUntil: runtime?.ejectedElsewhere.endsAt() ?? null,
    quota: runtime ? await runtime.limiter.windowStates() : [],
    inFlight: stats?.inFlight ?? 0,
    queued: counts?.queued ?? 0,
    calls: stats?.calls ?? 0,
    windowCalls: window?.calls ?? 0,
    errorRate: window?.errorRate ?? null,
    latencyMs: {
      p50: window?.latencyMs.p50 ?? null,
      p95: window?.latencyMs.p95 ?? null,
      mean: window?.latencyMs.mean ?? null,
      ewma: stats?.latencyEwmaMs ?? null,
    },
    costPerCall: runtime?.config.costPerCall ?? null,
    usageToday: window?.usageToday ?? {},
    budget: runtime
      ? router.budget
          .states(runtime.name, runtime.config.budget)
          .map((state) => ({ ...state, skipped: state.spent >= state.limit }))
      : [],
    lastSuccessAt: stats?.lastSuccessAt ?? null,
    lastError: stats?.lastFailure ?? null,
    health: runtime && window ? vendorHealth(runtime, window) : null,
    score: runtime ? router.scoreOf(runtime) : null,
    hedgeAfterMs: runtime ? router.hedgeAfterMs(runtime) : null,
    streamFeeds: streamFeeds
      .filter((feed) => feed.vendor === listing.name)
      .map(({ state, framesIn }) => ({ state, framesIn })),
    healthCheck:
      runtime?.adapter.healthCheck && stats && window
        ? {
            enabled: runtime.config.healthCheck.enabled,
            intervalMs: runtime.config.healthCheck.intervalMs,
            ...window.checks,
            last: stats.lastProbe,
          }
        : null,
  };
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}
