/** After a vendor's 429 it rests for its Retry-After (or reset hint); the router skips it until then. */
export class Cooldown {
  private until = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Starts or extends the rest; a shorter hint never shortens a longer one already running. */
  start(ms: number): void {
    this.until = Math.max(this.until, this.clock() + ms);
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
