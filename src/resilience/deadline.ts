/**
 * A signal that aborts when its own timer runs out (TimeoutError) or when one of its parents aborts (with that
 * parent's reason), whichever comes first; the holder ends it once the work is done, which stops the timer and unhooks
 * it from its parents. It is AbortSignal.any over an AbortSignal.timeout without their costs: AbortSignal.timeout's
 * timer cannot be stopped, so every answered request kept its signals (and whatever listened to them) alive for the
 * whole budget, and AbortSignal.any ties each result to its parents through weak references that cost a cache miss more
 * than one listener per parent does (docs/performance.md#what-profiling-the-miss-changed).
 */
class BoundedSignal implements TimedSignal {
  private readonly timer: NodeJS.Timeout;
  private readonly followParent = (event: Event) => this.controller.abort((event.target as AbortSignal).reason);

  constructor(
    ms: number,
    private readonly parents: readonly AbortSignal[] = [],
    /** Whose signal this is: a new controller, or one the caller also aborts (a hedge's cancel). */
    private readonly controller = new AbortController(),
  ) {
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ms,
    );
    // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
    this.timer.unref();
    for (const parent of parents) {
      if (parent.aborted) {
        this.controller.abort(parent.reason);
        break;
      }
      parent.addEventListener('abort', this.followParent, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  end(): void {
    clearTimeout(this.timer);
    for (const parent of this.parents) parent.removeEventListener('abort', this.followParent);
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
 * deadline ends it when the request is answered. Only per-request signals are combined: a listener left on a
 * long-lived parent would keep every request's signal alive (docs/libraries.md#abortsignal-on-node-20).
 */
export class Deadline implements TimedSignal {
  private readonly endsAt: number;
  private readonly bound: BoundedSignal;

  constructor(budgetMs: number, clientSignal?: AbortSignal) {
    this.endsAt = performance.now() + budgetMs;
    this.bound = new BoundedSignal(budgetMs, clientSignal ? [clientSignal] : []);
  }

  get signal(): AbortSignal {
    return this.bound.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  get expired(): boolean {
    return this.signal.aborted || this.remainingMs() <= 0;
  }

  end(): void {
    this.bound.end();
  }

  /**
   * The signal for one vendor call: the request's budget, capped by the vendor's own timeout. With `cancel` (the
   * failover race's controller for this call, aborted when it loses a hedge) the signal is that controller's own: the
   * timer and the deadline abort it too, and a call costs one controller and one listener fewer than with a signal of
   * its own following the race's.
   */
  attemptSignal(vendorTimeoutMs: number, cancel?: AbortController): TimedSignal {
    const ms = Math.max(1, Math.ceil(Math.min(vendorTimeoutMs, this.remainingMs())));
    return new BoundedSignal(ms, [this.signal], cancel);
  }
}
