import type { StoreConfig } from '../config/schema.js';
import type { AttemptOutcome } from '../core/outcomes.js';
import { MemoryMetricsStore } from './memory-store.js';
import {
  addCounts,
  bucketsPerWindow,
  bucketStart,
  callIncrements,
  costMicros,
  probeIncrements,
  toWindow,
  usageIncrements,
  utcDay,
  utcMonth,
  type BucketCounts,
  type CallRecord,
  type MetricsStore,
  type StoreStatus,
  type VendorSpend,
  type VendorWindow,
} from './metrics-store.js';
import type { RedisConnections } from './redis.js';

/** How long a day's usage hash, or a month's spend, lives: long enough for a monthly look back. */
const usageTtlMs = 35 * 86_400_000;
/** The one field of a month's spend hash. */
const monthCostField = 'cost_micros';

/**
 * Vendor windows shared by every instance on one Redis. Each instance counts locally (its fallback), adds its counts
 * to pending deltas, and every `syncIntervalMs` pushes them in one pipeline (HINCRBY into one hash per vendor and
 * bucket, each with a TTL just past the window) and reads every vendor's window back. Requests never wait on Redis:
 * `window()` answers from the last read, or from the local counts while Redis is away. Deltas from an outage are
 * kept (bounded by the window) and pushed when Redis returns.
 */
export class RedisMetricsStore implements MetricsStore {
  private readonly local: MemoryMetricsStore;
  private readonly pending = new Map<string, BucketCounts>();
  private readonly shared = new Map<string, VendorWindow>();
  /** Every instance's spend per vendor, as last read, in millionths. */
  private readonly sharedSpend = new Map<string, { day: number; month: number }>();
  private lastRead = 0;
  private lastError: string | null = null;
  /** The Redis server's run_id when last seen, and whether to look again (after any time Redis was away). */
  private runId: string | null = null;
  private checkRunId = true;
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | null = null;
  private nextSync: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisConnections,
    private readonly config: Pick<StoreConfig, 'keyPrefix' | 'syncIntervalMs'>,
    private readonly windowMs: number,
    private readonly vendors: readonly string[],
    private readonly clock: () => number = Date.now,
  ) {
    this.local = new MemoryMetricsStore(windowMs, clock);
    this.timer = setInterval(() => void this.sync(), config.syncIntervalMs);
    this.timer.unref();
  }

  recordCall(record: CallRecord): void {
    this.local.recordCall(record);
    this.queue(this.bucketKey(record.vendor), callIncrements(record));
    const usage = usageIncrements(record);
    if (Object.keys(usage).length === 0) return;
    this.queue(this.usageKey(record.vendor), usage);
    this.queue(this.monthKey(record.vendor), { [monthCostField]: costMicros(usage) });
  }

  recordProbe(vendor: string, outcome: AttemptOutcome): void {
    this.local.recordProbe(vendor, outcome);
    this.queue(this.bucketKey(vendor), probeIncrements(outcome));
  }

  window(vendor: string): VendorWindow {
    const shared = this.isShared() ? this.shared.get(vendor) : undefined;
    return shared ?? this.local.window(vendor);
  }

  /** The shared spend as last read, plus what this instance has spent since and not pushed yet. */
  spend(vendor: string): VendorSpend {
    const shared = this.isShared() ? this.sharedSpend.get(vendor) : undefined;
    if (!shared) return this.local.spend(vendor);
    const unpushedDay = costMicros(this.pending.get(this.usageKey(vendor)) ?? {});
    const unpushedMonth = this.pending.get(this.monthKey(vendor))?.[monthCostField] ?? 0;
    return { day: (shared.day + unpushedDay) / 1e6, month: (shared.month + unpushedMonth) / 1e6 };
  }

  status(): StoreStatus {
    const reason = this.redis.problem() ?? (this.isShared() ? null : (this.lastError ?? 'not synced yet'));
    return { kind: 'redis', state: reason === null ? 'ok' : 'degraded', reason };
  }

  /**
   * Pushes pending counts and reads every vendor's window; one at a time, errors kept as the degraded reason. A sync
   * asked for while one runs gets the next one: the running one took its batch before the caller's latest counts (the
   * last sync on shutdown must hold every call), and at most one waits, whoever asks.
   */
  sync(): Promise<void> {
    if (this.syncing) {
      this.nextSync ??= this.syncing.then(() => {
        this.nextSync = null;
        return this.sync();
      });
      return this.nextSync;
    }
    this.syncing = this.pushAndRead().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }

  private isShared(): boolean {
    return this.redis.isReady() && this.clock() - this.lastRead <= 3 * this.config.syncIntervalMs;
  }

  private async pushAndRead(): Promise<void> {
    if (!this.redis.isReady()) {
      this.checkRunId = true;
      return;
    }
    try {
      // A cluster's INFO comes from whichever node answers: restarts cannot be told apart there.
      if (this.checkRunId && !this.redis.cluster) await this.reseedIfRedisRestarted();
      await this.push();
      await this.read();
      this.lastError = null;
    } catch (error) {
      this.lastError = `redis: ${(error as { code?: string }).code ?? (error as Error).name}`;
    }
  }

  /**
   * A Redis that restarted without persistence has lost every window. Its run_id tells: then this instance pushes its
   * whole local window (and today's usage) instead of the deltas, so the shared view again holds every instance's
   * counts. A Redis that was only unreachable kept its data and just gets the deltas.
   */
  private async reseedIfRedisRestarted(): Promise<void> {
    const info = await this.redis.command.info('server');
    const runId = /run_id:(\w+)/.exec(info)?.[1] ?? null;
    if (this.runId !== null && runId !== this.runId) {
      this.pending.clear();
      const since = this.clock() - this.windowMs;
      for (const vendor of this.vendors) {
        for (const [start, counts] of this.local.bucketsSince(vendor, since)) {
          this.queue(this.key('win', vendor, start), counts);
        }
        this.queue(this.usageKey(vendor), this.local.usageCounts(vendor));
        this.queue(this.monthKey(vendor), { [monthCostField]: this.local.monthCostMicros(vendor) });
      }
    }
    this.runId = runId;
    this.checkRunId = false;
  }

  private async push(): Promise<void> {
    this.dropExpiredPending();
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    const pipeline = this.redis.command.pipeline();
    for (const [key, counts] of batch) {
      for (const [field, value] of Object.entries(counts)) pipeline.hincrby(key, field, value);
      const kept = key.includes(':usage:') || key.includes(':spend:');
      pipeline.pexpire(key, kept ? usageTtlMs : this.windowMs + this.bucketMs() * 2);
    }
    const results = (await pipeline.exec()) ?? [];
    if (results.some(([error]) => error)) {
      // Put the batch back: better counted twice in a rare partial failure than lost in an outage.
      for (const [key, counts] of batch) this.queue(key, counts);
      throw results.find(([error]) => error)?.[0] ?? new Error('pipeline failed');
    }
  }

  private async read(): Promise<void> {
    const now = this.clock();
    const starts = Array.from(
      { length: bucketsPerWindow },
      (_, i) => bucketStart(now, this.windowMs) - i * this.bucketMs(),
    );
    const pipeline = this.redis.command.pipeline();
    for (const vendor of this.vendors) {
      for (const start of starts) pipeline.hgetall(this.key('win', vendor, start));
      pipeline.hgetall(this.usageKey(vendor));
      pipeline.hget(this.monthKey(vendor), monthCostField);
    }
    const results = (await pipeline.exec()) ?? [];
    let index = 0;
    for (const vendor of this.vendors) {
      const buckets = starts.map(() => numbers(results[index++]?.[1]));
      const usage = numbers(results[index++]?.[1]);
      const month = Number(results[index++]?.[1] ?? 0);
      this.shared.set(vendor, toWindow(buckets, usage));
      this.sharedSpend.set(vendor, { day: costMicros(usage), month: Number.isFinite(month) ? month : 0 });
    }
    this.lastRead = now;
  }

  private queue(key: string, increments: BucketCounts): void {
    let counts = this.pending.get(key);
    if (!counts) {
      counts = {};
      this.pending.set(key, counts);
    }
    addCounts(counts, increments);
  }

  /** Counts of buckets that have left the window would only expire in Redis: drop them instead of pushing. */
  private dropExpiredPending(): void {
    const oldest = this.clock() - this.windowMs;
    for (const key of this.pending.keys()) {
      const start = Number(key.split(':').at(-1));
      if (key.includes(':win:') && start <= oldest) this.pending.delete(key);
    }
  }

  private bucketKey(vendor: string): string {
    return this.key('win', vendor, bucketStart(this.clock(), this.windowMs));
  }

  private usageKey(vendor: string): string {
    return this.key('usage', vendor, utcDay(this.clock()));
  }

  private monthKey(vendor: string): string {
    return this.key('spend', vendor, utcMonth(this.clock()));
  }

  private key(kind: 'win' | 'usage' | 'spend', vendor: string, suffix: string | number): string {
    return `${this.config.keyPrefix}:${kind}:${vendor}:${suffix}`;
  }

  private bucketMs(): number {
    return Math.max(1, Math.floor(this.windowMs / bucketsPerWindow));
  }
}

function numbers(hash: unknown): BucketCounts {
  const counts: BucketCounts = {};
  if (typeof hash !== 'object' || hash === null) return counts;
  for (const [field, value] of Object.entries(hash as Record<string, string>)) counts[field] = Number(value);
  return counts;
}
