/**
 * One budget per client request. `signal` aborts when the budget runs out or the client goes away. Only per-request
 * signals are combined: AbortSignal.any with a long-lived parent leaks on Node 20 (LIBRARIES.md §4).
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly endsAt: number;

  constructor(budgetMs: number, clientSignal?: AbortSignal) {
    this.endsAt = performance.now() + budgetMs;
    const timeout = AbortSignal.timeout(budgetMs);
    this.signal = clientSignal ? AbortSignal.any([clientSignal, timeout]) : timeout;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  get expired(): boolean {
    return this.signal.aborted || this.remainingMs() <= 0;
  }

  /** The signal for one vendor call: the request's budget, capped by the vendor's own timeout. */
  attemptSignal(vendorTimeoutMs: number): AbortSignal {
    return AbortSignal.any([
      this.signal,
      AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(vendorTimeoutMs, this.remainingMs())))),
    ]);
  }
}
