import type { VendorRuntime } from '../vendors/registry.js';
import type { AttemptRecord } from '../core/outcomes.js';

export interface CandidateSplit {
  available: VendorRuntime[];
  /** Vendors passed over without a call, as attempts with ms 0, so meta.attempts tells the whole story. */
  skipped: AttemptRecord[];
  /** Soonest a skipped vendor may take calls again, for Retry-After. */
  retryAfterMs: number | null;
}

/**
 * Drops vendors whose breaker is open here or on another instance, that rest after a 429, or whose spend cap
 * `overBudget` says is spent. Quota is checked per attempt: it needs the budget.
 */
export function splitCandidates(
  vendors: readonly VendorRuntime[],
  overBudget: (vendor: VendorRuntime) => string | null = () => null,
  now = Date.now(),
): CandidateSplit {
  const available: VendorRuntime[] = [];
  const skipped: AttemptRecord[] = [];
  let retryAfterMs: number | null = null;
  const soonest = (ms: number) => {
    retryAfterMs = retryAfterMs === null ? ms : Math.min(retryAfterMs, ms);
  };
  for (const vendor of vendors) {
    if (vendor.breaker.opened) {
      skipped.push({ provider: vendor.name, outcome: 'breaker-open', ms: 0 });
      soonest(Math.max(0, Date.parse(vendor.breakerSince) + vendor.config.breaker.resetTimeoutMs - now));
    } else if (vendor.ejectedElsewhere.active) {
      skipped.push({
        provider: vendor.name,
        outcome: 'breaker-open',
        ms: 0,
        detail: `open on another instance until ${vendor.ejectedElsewhere.endsAt()}`,
      });
      soonest(vendor.ejectedElsewhere.remainingMs());
    } else if (vendor.cooldown.active) {
      skipped.push({
        provider: vendor.name,
        outcome: 'cooling-down',
        ms: 0,
        detail: `until ${vendor.cooldown.endsAt()}`,
      });
      soonest(vendor.cooldown.remainingMs());
    } else {
      const budget = overBudget(vendor);
      if (budget) skipped.push({ provider: vendor.name, outcome: 'budget-skip', ms: 0, detail: budget });
      else available.push(vendor);
    }
  }
  return { available, skipped, retryAfterMs };
}
