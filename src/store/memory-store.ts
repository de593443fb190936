import type { AttemptOutcome } from '../core/outcomes.js';
import {
  addCounts,
  addToTotals,
  bucketStart,
  callIncrements,
  costMicros,
  probeIncrements,
  windowOf,
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

interface VendorBuckets {
  /** Bucket start → counts, oldest first; never more than the window holds. */
  buckets: Map<number, BucketCounts>;
  /**
   * The sum of `buckets`, kept as buckets are added to and leave the window: the window is read after every call and
   * for every candidate the health-based strategy scores, so a read adds one bucket's fields, not ten buckets' worth.
   */
  inWindow: Map<string, number>;
  usage: { day: string; counts: BucketCounts };
  /** This month's cost, in millionths. */
  month: { month: string; costMicros: number };
}

/**
 * The embedded store: the windows live in this process. Memory is bounded by vendors × buckets per window × fields,
 * whatever the traffic. The Redis store keeps one of these as its local copy and fallback.
 */
export class MemoryMetricsStore implements MetricsStore {
  private readonly vendors = new Map<string, VendorBuckets>();

  constructor(
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  recordCall(record: CallRecord): void {
    this.add(record.vendor, callIncrements(record));
    const usage = usageIncrements(record);
    if (Object.keys(usage).length > 0) addCounts(this.usageOf(record.vendor).counts, usage);
    this.monthOf(record.vendor).costMicros += costMicros(usage);
  }

  recordProbe(vendor: string, outcome: AttemptOutcome): void {
    this.add(vendor, probeIncrements(outcome));
  }

  window(vendor: string): VendorWindow {
    const entry = this.entryOf(vendor);
    this.expire(entry, this.clock());
    return windowOf(entry.inWindow, this.usageOf(vendor).counts);
  }

  spend(vendor: string): VendorSpend {
    return { day: costMicros(this.usageOf(vendor).counts) / 1e6, month: this.monthOf(vendor).costMicros / 1e6 };
  }

  /** This month's cost in millionths, for the Redis store to replay after Redis lost it. */
  monthCostMicros(vendor: string): number {
    return this.monthOf(vendor).costMicros;
  }

  /** The bucket counts in the window, for the Redis store to replay after an outage. */
  bucketsSince(vendor: string, since: number): [number, BucketCounts][] {
    return [...(this.vendors.get(vendor)?.buckets ?? [])].filter(([start]) => start >= since);
  }

  /** Today's usage counts, for the Redis store to replay after Redis lost them. */
  usageCounts(vendor: string): BucketCounts {
    return { ...this.usageOf(vendor).counts };
  }

  status(): StoreStatus {
    return { kind: 'memory', state: 'ok', reason: null };
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}

  private add(vendor: string, increments: BucketCounts): void {
    const now = this.clock();
    const entry = this.entryOf(vendor);
    const start = bucketStart(now, this.windowMs);
    let bucket = entry.buckets.get(start);
    if (!bucket) {
      // A new bucket is when an old one may have left the window; reads expire them too (window()).
      this.expire(entry, now);
      bucket = {};
      entry.buckets.set(start, bucket);
    }
    addCounts(bucket, increments);
    addToTotals(entry.inWindow, increments);
  }

  /** Drops the buckets that have left the window, and takes their counts out of its sum. */
  private expire(entry: VendorBuckets, now: number): void {
    for (const [start, counts] of entry.buckets) {
      if (start > now - this.windowMs) continue;
      entry.buckets.delete(start);
      addToTotals(entry.inWindow, counts, -1);
    }
  }

  private usageOf(vendor: string): VendorBuckets['usage'] {
    const entry = this.entryOf(vendor);
    const today = utcDay(this.clock());
    if (entry.usage.day !== today) entry.usage = { day: today, counts: {} };
    return entry.usage;
  }

  private monthOf(vendor: string): VendorBuckets['month'] {
    const entry = this.entryOf(vendor);
    const month = utcMonth(this.clock());
    if (entry.month.month !== month) entry.month = { month, costMicros: 0 };
    return entry.month;
  }

  private entryOf(vendor: string): VendorBuckets {
    let entry = this.vendors.get(vendor);
    if (!entry) {
      const now = this.clock();
      entry = {
        buckets: new Map(),
        inWindow: new Map(),
        usage: { day: utcDay(now), counts: {} },
        month: { month: utcMonth(now), costMicros: 0 },
      };
      this.vendors.set(vendor, entry);
    }
    return entry;
  }
}
