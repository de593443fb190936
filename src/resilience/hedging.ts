import type { RoutingConfig } from '../config/schema.js';

/**
 * The reason a hedged attempt is cancelled once another one has answered. `slow`: it had already run past its hedge
 * delay, so it counts as a timeout against its vendor (a vendor that hangs must still trip its breaker, even though
 * hedging spares the client the wait); a quick loser is simply dropped.
 */
export class HedgeCancel extends Error {
  override readonly name = 'HedgeCancel';
  constructor(readonly slow: boolean) {
    super(slow ? 'lost the hedge: slower than its hedge delay' : 'lost the hedge');
  }
}

export function isHedgeCancel(reason: unknown): reason is HedgeCancel {
  return reason instanceof HedgeCancel;
}

/** routing.hedging.afterMs when set; else the vendor's observed p95 within [minAfterMs, maxAfterMs]. */
export function hedgeDelayMs(hedging: RoutingConfig['hedging'], observedP95Ms: number | null): number {
  if (hedging.afterMs !== undefined) return hedging.afterMs;
  if (observedP95Ms === null) return hedging.maxAfterMs;
  return Math.min(hedging.maxAfterMs, Math.max(hedging.minAfterMs, Math.ceil(observedP95Ms)));
}
