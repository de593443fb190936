import Bottleneck from 'bottleneck';
import type { RateLimitConfig } from '../config/schema.js';
import { windowSpecs } from './quota-windows.js';
import { processQuotaBackend, VendorQuota, type QuotaBackend, type QuotaWindowState } from './vendor-quota.js';

export type { QuotaWindowState } from './vendor-quota.js';

export const priorities = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];
// Bottleneck runs lower numbers first (0–9, default 5).
const bottleneckPriority: Record<Priority, number> = { critical: 0, high: 2, normal: 5, low: 8 };

/** Why a vendor could not take a call now. */
export type QuotaRefusal =
  | { reason: 'quota-exhausted'; window: string; newlyExhausted: boolean; retryAfterMs: number }
  | { reason: 'queue-full' | 'wait-too-long' | 'quota-busy' };

/** Tokens one grant takes when `rateLimit.leaseSize` is unset: a tenth of the smallest window, 1 to 50. */
export function defaultLeaseSize(config: RateLimitConfig): number {
  const smallest = Math.min(...windowSpecs(config).map((spec) => spec.limit));
  return Number.isFinite(smallest) ? Math.min(50, Math.max(1, Math.floor(smallest / 10))) : 1;
}

/**
 * One vendor's limits. The quota windows (second, minute, day, month) are counters in a ledger, spent through leases
 * (resilience/vendor-quota.ts): a spent window refuses at once, never queues. One Bottleneck limiter does what it does
 * well: concurrency, per-second spacing (minTime, not a burst reservoir: docs/libraries.md#spacing-not-bursts), the
 * priority queue and its bound.
 */
export class VendorLimiter {
  private readonly limiter: Bottleneck;
  private readonly quota: VendorQuota;
  private readonly minTimeMs: number;
  private readonly maxQueue: number;

  constructor(
    readonly vendor: string,
    config: RateLimitConfig,
    backend: QuotaBackend = processQuotaBackend(),
    clock: () => number = Date.now,
  ) {
    this.minTimeMs = config.perSecond ? Math.ceil(1000 / config.perSecond) : 0;
    this.maxQueue = config.maxQueue;
    this.limiter = new Bottleneck({
      id: vendor,
      maxConcurrent: config.maxConcurrent,
      minTime: this.minTimeMs,
      highWater: config.maxQueue,
      strategy: Bottleneck.strategy.OVERFLOW,
    });
    this.quota = new VendorQuota(
      windowSpecs(config),
      backend,
      `${backend.keyPrefix}:quota:${vendor}`,
      config.leaseSize ?? defaultLeaseSize(config),
      clock,
    );
  }

  /**
   * Takes a quota token for a call that is to start within `budgetMs`, or says why not, without queueing it: a spent
   * window, a full queue or a wait longer than the request's remaining deadline means "try the next vendor".
   */
  async admit(budgetMs: number): Promise<QuotaRefusal | null> {
    const queued = this.limiter.counts().QUEUED;
    if (queued >= this.maxQueue) return { reason: 'queue-full' };
    if ((queued + 1) * this.minTimeMs > budgetMs) return { reason: 'wait-too-long' };
    return this.quota.take();
  }

  /** Takes a token for one more call (a retry) only if this instance holds one now; never waits. */
  admitNow(): boolean {
    return this.quota.takeNow();
  }

  /** Runs `task` within the concurrency and spacing limits. Rejects with a BottleneckError when the queue overflows. */
  schedule<T>(priority: Priority, task: () => Promise<T>): Promise<T> {
    return this.limiter.schedule({ priority: bottleneckPriority[priority] }, task);
  }

  /**
   * The fullest-spent window's share left (0–1) at the last grant, this instance's lease included; 1 for a vendor
   * without windows. Synchronous, for strategies and health on the request path.
   */
  get shareLeft(): number {
    return this.quota.shareLeft;
  }

  /** Each window's limit and what is left of it: shared counts when the ledger is Redis. */
  windowStates(): Promise<QuotaWindowState[]> {
    return this.quota.windowStates();
  }

  counts(): { running: number; queued: number } {
    const counts = this.limiter.counts();
    return { running: counts.EXECUTING + counts.RUNNING, queued: counts.QUEUED };
  }

  /** Gives unspent tokens back and stops the limiter's timers. */
  async stop(): Promise<void> {
    await this.quota.stop();
    await this.limiter.disconnect();
  }
}

export function isQueueOverflow(error: unknown): boolean {
  return error instanceof Bottleneck.BottleneckError;
}
