/**
 * A vendor resting until a time; the router skips it until then. Used for the rest after a 429 (its Retry-After or
 * reset hint) and for the rest another instance asked for when its breaker opened.
 */
export class Cooldown {
  private until = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Starts or extends the rest; a shorter hint never shortens a longer one already running. */
  start(ms: number): void {
    this.until = Math.max(this.until, this.clock() + ms);
  }

  /** Ends the rest now (the instance that asked for it closed its breaker again). */
  clear(): void {
    this.until = 0;
  }

  remainingMs(): number {
    return Math.max(0, this.until - this.clock());
  }

  get active(): boolean {
    return this.remainingMs() > 0;
  }

  /** ISO time the rest ends, or null. */
  endsAt(): string | null {
    return this.active ? new Date(this.until).toISOString() : null;
  }
}

/** Without a vendor hint, a 429 rests the vendor this long. */
export const defaultCooldownMs = 30_000;
/** A hint longer than this (a monthly quota) is capped, so a wrong header cannot bench a vendor for weeks. */
export const maxCooldownMs = 24 * 60 * 60 * 1000;
