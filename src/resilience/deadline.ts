/** A signal bounded in time, whose timer the holder stops once the work is done. */
export interface TimedSignal {
  readonly signal: AbortSignal;
  /** The work is over: stop the timer. */
  end(): void;
}

function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/**
 * One budget per client request. It runs out when its timer does (reason TimeoutError) or when the client goes away
 * (the client signal's reason), whichever comes first; whoever made the deadline ends it when the request is answered,
 * which stops the timer and unhooks it from the client's signal. Each vendor call within it gets a signal of its own
 * (attemptSignal), capped by the vendor's timeout, which the deadline aborts with its reason while the call runs.
 *
 * Not AbortSignal.any over AbortSignal.timeout: AbortSignal.timeout's timer cannot be stopped, so every answered
 * request kept its signals (and whatever listened to them) alive for the whole budget, and AbortSignal.any ties each
 * result to its parents through weak references. Nor an AbortSignal of the deadline's own for the calls to follow: on
 * Node 20 making one costs about 5 µs, more than the rest of the deadline (docs/libraries.md#abortsignal-on-node-20).
 * Only per-request signals are followed: a listener left on a long-lived parent would keep every request alive.
 */
export class Deadline {
  private readonly endsAt: number;
  private readonly timer: NodeJS.Timeout;
  /** The controllers of the vendor calls running within this budget, aborted when it runs out. */
  private readonly calls = new Set<AbortController>();
  private ranOut: { reason: unknown } | null = null;
  private readonly clientGone = (event: Event) => this.runOut((event.target as AbortSignal).reason);

  constructor(
    budgetMs: number,
    private readonly clientSignal?: AbortSignal,
  ) {
    this.endsAt = performance.now() + budgetMs;
    this.timer = setTimeout(() => this.runOut(timeoutError()), budgetMs);
    // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
    this.timer.unref();
    if (clientSignal?.aborted) this.runOut(clientSignal.reason);
    else clientSignal?.addEventListener('abort', this.clientGone, { once: true });
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  get expired(): boolean {
    return this.ranOut !== null || this.remainingMs() <= 0;
  }

  /** Why the budget ran out early: a TimeoutError, or the reason the client's signal gave; undefined while it runs. */
  get reason(): unknown {
    return this.ranOut?.reason;
  }

  end(): void {
    clearTimeout(this.timer);
    this.clientSignal?.removeEventListener('abort', this.clientGone);
  }

  /**
   * The signal for one vendor call: aborted when the vendor's own timeout or the request's budget runs out, whichever
   * is first, or when the deadline does. With `cancel` (the failover race's controller for this call, aborted when it
   * loses a hedge) the signal is that controller's own: one controller per call, not a second one following the race's.
   */
  attemptSignal(vendorTimeoutMs: number, cancel = new AbortController()): TimedSignal {
    const ms = Math.max(1, Math.ceil(Math.min(vendorTimeoutMs, this.remainingMs())));
    if (this.ranOut) cancel.abort(this.ranOut.reason);
    else this.calls.add(cancel);
    const timer = setTimeout(() => cancel.abort(timeoutError()), ms);
    timer.unref();
    return {
      signal: cancel.signal,
      end: () => {
        clearTimeout(timer);
        this.calls.delete(cancel);
      },
    };
  }

  private runOut(reason: unknown): void {
    if (this.ranOut) return;
    this.ranOut = { reason };
    for (const call of this.calls) call.abort(reason);
    this.calls.clear();
  }
}
