/**
 * AbortSignal.timeout that can be stopped. AbortSignal.timeout's timer runs to its end even when the work it bounded
 * finished long before: every answered request kept its signals (and whatever listened to them) alive for the whole
 * budget, seconds, and then fired them for nothing.
 */
class Timeout {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ms,
    );
    // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** A signal bounded in time, whose timer the holder stops once the work is done. */
export interface TimedSignal {
  readonly signal: AbortSignal;
  /** The work is over: stop the timer. */
  end(): void;
}

/**
 * One budget per client request. `signal` aborts when the budget runs out or the client goes away; whoever made the
 * deadline ends it when the request is answered. Only per-request signals are combined: AbortSignal.any with a
 * long-lived parent leaks on Node 20 (docs/libraries.md#abortsignal-on-node-20).
 */
export class Deadline implements TimedSignal {
  readonly signal: AbortSignal;
  private readonly endsAt: number;
  private readonly timeout: Timeout;

  constructor(budgetMs: number, clientSignal?: AbortSignal) {
    this.endsAt = performance.now() + budgetMs;
    this.timeout = new Timeout(budgetMs);
    this.signal = clientSignal ? AbortSignal.any([clientSignal, this.timeout.signal]) : this.timeout.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  get expired(): boolean {
    return this.signal.aborted || this.remainingMs() <= 0;
  }

  end(): void {
    this.timeout.stop();
  }

  /**
   * The signal for one vendor call: the request's budget, capped by the vendor's own timeout, and `cancel` (a hedge the
   * call lost) when given.
   */
  attemptSignal(vendorTimeoutMs: number, cancel?: AbortSignal): TimedSignal {
    const timeout = new Timeout(Math.max(1, Math.ceil(Math.min(vendorTimeoutMs, this.remainingMs()))));
    const parts = cancel ? [this.signal, timeout.signal, cancel] : [this.signal, timeout.signal];
    return { signal: AbortSignal.any(parts), end: () => timeout.stop() };
  }
}
