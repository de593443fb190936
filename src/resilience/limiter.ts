import Bottleneck from 'bottleneck';
import type { RateLimitConfig } from '../config/schema.js';

export const priorities = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];
// Bottleneck runs lower numbers first (0–9, default 5).
const bottleneckPriority: Record<Priority, number> = { critical: 0, high: 2, normal: 5, low: 8 };

interface QuotaWindow {
  name: 'minute' | 'day' | 'month';
  size: number;
  intervalMs: number;
}

const windowLengths = { minute: 60_000, day: 86_400_000, month: 30 * 86_400_000 } as const;

/** Why a vendor could not take a call now. */
export type QuotaRefusal =
  { reason: 'quota-exhausted'; window: string; newlyExhausted: boolean } | { reason: 'queue-full' | 'wait-too-long' };

/**
 * Calls counted against each window (by name), queued ones included: what a limiter replacing this one starts from, so
 * a configuration reload never refills a quota.
 */
export type QuotaSpent = Readonly<Partial<Record<QuotaWindow['name'], number>>>;

export interface QuotaWindowState {
  window: string;
  limit: number;
  remaining: number;
}

/**
 * One vendor's quota: Bottleneck limiters chained longest window outermost, shortest innermost, because a job holds
 * the outer slot while it waits in the inner one (docs/libraries.md#chain-order). The innermost limiter also owns concurrency,
 * per-second spacing (minTime, not a burst reservoir: §2.5) and the bounded queue.
 */
export class VendorLimiter {
  private readonly windows: { window: QuotaWindow; limiter: Bottleneck }[];
  private readonly inner: Bottleneck;
  private readonly entry: Bottleneck;
  private readonly minTimeMs: number;
  private readonly maxQueue: number;
  /** Windows found empty and not yet refilled, so quotaExhausted is reported once per emptying. */
  private readonly exhausted = new Set<string>();
  /** The lowest share left across windows at the last look, for strategies that must decide synchronously. */
  private lastShareLeft = 1;

  constructor(
    readonly vendor: string,
    config: RateLimitConfig,
    spentSoFar: QuotaSpent = {},
  ) {
    const windows: QuotaWindow[] = [];
    if (config.perMonth) windows.push({ name: 'month', size: config.perMonth, intervalMs: windowLengths.month });
    if (config.perDay) windows.push({ name: 'day', size: config.perDay, intervalMs: windowLengths.day });
    if (config.perMinute) windows.push({ name: 'minute', size: config.perMinute, intervalMs: windowLengths.minute });

    this.minTimeMs = config.perSecond ? Math.ceil(1000 / config.perSecond) : 0;
    this.maxQueue = config.maxQueue;
    const shortest = windows.at(-1);
    this.inner = new Bottleneck({
      id: `${vendor}-inner`,
      maxConcurrent: config.maxConcurrent,
      minTime: this.minTimeMs,
      highWater: config.maxQueue,
      strategy: Bottleneck.strategy.OVERFLOW,
      ...(shortest ? reservoirOptions(shortest, spentSoFar) : {}),
    });
    this.windows = windows.slice(0, -1).map((window) => ({
      window,
      limiter: new Bottleneck({ id: `${vendor}-${window.name}`, ...reservoirOptions(window, spentSoFar) }),
    }));
    if (shortest) this.windows.push({ window: shortest, limiter: this.inner });

    let next = this.inner;
    for (const { limiter } of this.windows.slice(0, -1).reverse()) {
      limiter.chain(next);
      next = limiter;
    }
    this.entry = next;
  }

  /**
   * Whether a call could start within `budgetMs`, without queueing it. A spent window or a wait longer than the
   * request's remaining deadline means "try the next vendor" rather than "wait".
   */
  async refusal(budgetMs: number): Promise<QuotaRefusal | null> {
    let shareLeft = 1;
    for (const { window, limiter } of this.windows) {
      const reservoir = await limiter.currentReservoir();
      // The share left once the call about to be made is spent: strategies see the state they will leave behind.
      shareLeft = Math.min(shareLeft, Math.max(0, (reservoir ?? window.size) - 1) / window.size);
      this.lastShareLeft = shareLeft;
      if (reservoir === 0) {
        const newlyExhausted = !this.exhausted.has(window.name);
        this.exhausted.add(window.name);
        return { reason: 'quota-exhausted', window: window.name, newlyExhausted };
      }
      this.exhausted.delete(window.name);
    }
    const queued = this.inner.counts().QUEUED;
    if (queued >= this.maxQueue) return { reason: 'queue-full' };
    if ((queued + 1) * this.minTimeMs > budgetMs) return { reason: 'wait-too-long' };
    return null;
  }

  /** Runs `task` within the quota. Rejects with a BottleneckError when the bounded queue overflows. */
  schedule<T>(priority: Priority, task: () => Promise<T>): Promise<T> {
    return this.entry.schedule({ priority: bottleneckPriority[priority] }, task);
  }

  /**
   * The fullest-spent window's share left (0–1) after the last call refusal() let through; 1 for a vendor without
   * windows. Synchronous, for strategies and health on the request path.
   */
  get shareLeft(): number {
    return this.lastShareLeft;
  }

  async windowStates(): Promise<QuotaWindowState[]> {
    return Promise.all(
      this.windows.map(async ({ window, limiter }) => ({
        window: window.name,
        limit: window.size,
        remaining: (await limiter.currentReservoir()) ?? window.size,
      })),
    );
  }

  /** What each window has spent, counting the calls waiting in it as spent: they will run. */
  async spent(): Promise<QuotaSpent> {
    const entries = await Promise.all(
      this.windows.map(async ({ window, limiter }) => {
        const remaining = (await limiter.currentReservoir()) ?? window.size;
        return [window.name, window.size - remaining + limiter.counts().QUEUED] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  counts(): { running: number; queued: number } {
    const counts = this.inner.counts();
    return { running: counts.EXECUTING + counts.RUNNING, queued: counts.QUEUED };
  }

  async stop(): Promise<void> {
    const limiters = new Set([this.inner, ...this.windows.map((entry) => entry.limiter)]);
    await Promise.all([...limiters].map((limiter) => limiter.disconnect()));
  }
}

function reservoirOptions(window: QuotaWindow, spentSoFar: QuotaSpent): Bottleneck.ConstructorOptions {
  return {
    reservoir: Math.max(0, window.size - (spentSoFar[window.name] ?? 0)),
    reservoirRefreshAmount: window.size,
    reservoirRefreshInterval: window.intervalMs,
  };
}

export function isQueueOverflow(error: unknown): boolean {
  return error instanceof Bottleneck.BottleneckError;
}
