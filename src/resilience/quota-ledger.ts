/** A change to one counter, applied before a grant: unspent tokens given back (negative) or calls owed (positive). */
export interface CounterAdjustment {
  key: string;
  delta: number;
  forgetAt: number;
}

/** One window as a grant sees it: its limit and the counters it sums, the one a grant adds to first. */
export interface GrantWindow {
  limit: number;
  keys: string[];
  forgetAt: number;
}

export interface GrantRequest {
  adjustments: CounterAdjustment[];
  /** Tokens asked for; the grant is the most every window still has room for, up to this. */
  want: number;
  windows: GrantWindow[];
}

export interface GrantResult {
  granted: number;
  /** Each window's count once the grant is added, in request order. */
  used: number[];
}

/**
 * Where a vendor's quota counters live: in Redis for every instance (one Lua script), or in this process (persisted to
 * a state file). A grant is atomic across the windows: every window gets the same tokens, or none.
 */
export interface QuotaLedger {
  grant(request: GrantRequest): Promise<GrantResult>;
}

/**
 * The counters in this process. The same arithmetic as the Redis script (src/store/quota-script.ts), so a test holds
 * the two to each other.
 */
export class MemoryQuotaLedger implements QuotaLedger {
  protected readonly counters = new Map<string, { count: number; forgetAt: number }>();

  constructor(protected readonly clock: () => number = Date.now) {}

  grant(request: GrantRequest): Promise<GrantResult> {
    return Promise.resolve(this.grantNow(request));
  }

  /** The synchronous grant, for the fallback share that must not wait. */
  grantNow(request: GrantRequest): GrantResult {
    this.forgetExpired();
    for (const { key, delta, forgetAt } of request.adjustments) this.add(key, delta, forgetAt);
    const counts = request.windows.map((window) => window.keys.reduce((sum, key) => sum + this.count(key), 0));
    const room = request.windows.reduce(
      (least, window, index) => Math.min(least, window.limit - (counts[index] ?? 0)),
      request.want,
    );
    const granted = Math.max(0, room);
    if (granted > 0) {
      for (const window of request.windows) {
        const [current] = window.keys;
        if (current !== undefined) this.add(current, granted, window.forgetAt);
      }
    }
    return { granted, used: counts.map((count) => count + granted) };
  }

  protected add(key: string, delta: number, forgetAt: number): void {
    const count = Math.max(0, this.count(key) + delta);
    this.counters.set(key, { count, forgetAt: Math.max(forgetAt, this.counters.get(key)?.forgetAt ?? 0) });
  }

  private count(key: string): number {
    return this.counters.get(key)?.count ?? 0;
  }

  private forgetExpired(): void {
    const now = this.clock();
    for (const [key, counter] of this.counters) if (counter.forgetAt <= now) this.counters.delete(key);
  }
}
