import type { AttemptOutcome } from '../routing/attempt-record.js';

/** Buckets per window: the window slides in steps of a tenth of its length. */
const bucketsPerWindow = 10;
/** Latency samples kept for p50/p95; older ones fall out of the ring (and out of the window). */
const latencySamples = 256;
/** Weight of the newest latency in the moving average the `latency` strategy and the score read. */
const ewmaAlpha = 0.2;

interface Bucket {
  start: number;
  calls: number;
  failures: number;
  checks: number;
  checksPassed: number;
}

export interface ProbeRecord {
  outcome: AttemptOutcome;
  ms: number;
  detail: string | null;
  at: string;
}

export interface VendorStatsSnapshot {
  inFlight: number;
  /** Calls since start. */
  calls: number;
  /** In the window: */
  windowCalls: number;
  windowFailures: number;
  errorRate: number | null;
  checks: { total: number; passed: number };
  latencyMs: { p50: number | null; p95: number | null; ewma: number | null };
  lastSuccessAt: string | null;
  lastFailure: { outcome: AttemptOutcome; detail: string | null; at: string } | null;
  lastProbe: ProbeRecord | null;
}

/**
 * Recent live traffic and probe results for one vendor, in this process: rolling time buckets of calls, failures and
 * health checks, a ring of latencies for p50/p95 and a moving average. Everything older than the window stops counting,
 * and memory stays fixed whatever the traffic. (Issue 5 moves these windows behind a shared MetricsStore.)
 */
export class VendorStats {
  private inFlight = 0;
  private calls = 0;
  private readonly buckets: Bucket[] = [];
  private readonly bucketMs: number;
  private readonly latencies: { ms: number; at: number }[] = [];
  private latencyCursor = 0;
  private sortedCache: { at: number; sorted: number[] } | null = null;
  private ewma: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastFailure: VendorStatsSnapshot['lastFailure'] = null;
  private lastProbe: ProbeRecord | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / bucketsPerWindow));
  }

  started(): void {
    this.inFlight += 1;
  }

  /**
   * One finished call. `failed`: the vendor's own fault (it counts in the error rate). Latency feeds the average for
   * every answer, and the percentiles (the hedge delay) only for good ones, so an outage does not teach the gateway
   * to wait longer. Calls we cancelled ourselves carry no latency.
   */
  finished(outcome: AttemptOutcome, ms: number, failed: boolean, detail?: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (outcome === 'aborted') return;
    const now = this.clock();
    this.calls += 1;
    const bucket = this.bucketAt(now);
    bucket.calls += 1;
    this.ewma = this.ewma === null ? ms : this.ewma + ewmaAlpha * (ms - this.ewma);
    if (failed) {
      bucket.failures += 1;
      this.lastFailure = { outcome, detail: detail ?? null, at: new Date(now).toISOString() };
    } else if (outcome === 'ok') {
      this.lastSuccessAt = now;
      this.recordLatency(ms, now);
    }
  }

  /** One active health check. */
  probed(outcome: AttemptOutcome, ms: number, detail?: string): void {
    const now = this.clock();
    const bucket = this.bucketAt(now);
    bucket.checks += 1;
    if (outcome === 'ok') bucket.checksPassed += 1;
    this.lastProbe = { outcome, ms, detail: detail ?? null, at: new Date(now).toISOString() };
  }

  get running(): number {
    return this.inFlight;
  }

  get latencyEwmaMs(): number | null {
    return this.ewma;
  }

  /** p95 of good answers in the window, for the hedge delay; null before any. */
  latencyPercentile(fraction: number): number | null {
    const sorted = this.sortedLatencies();
    if (sorted.length === 0) return null;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
    return sorted[index] ?? null;
  }

  snapshot(): VendorStatsSnapshot {
    const now = this.clock();
    let windowCalls = 0;
    let windowFailures = 0;
    let checks = 0;
    let checksPassed = 0;
    for (const bucket of this.buckets) {
      if (bucket.start <= now - this.windowMs) continue;
      windowCalls += bucket.calls;
      windowFailures += bucket.failures;
      checks += bucket.checks;
      checksPassed += bucket.checksPassed;
    }
    return {
      inFlight: this.inFlight,
      calls: this.calls,
      windowCalls,
      windowFailures,
      errorRate: windowCalls === 0 ? null : windowFailures / windowCalls,
      checks: { total: checks, passed: checksPassed },
      latencyMs: {
        p50: roundTenth(this.latencyPercentile(0.5)),
        p95: roundTenth(this.latencyPercentile(0.95)),
        ewma: roundTenth(this.ewma),
      },
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      lastFailure: this.lastFailure,
      lastProbe: this.lastProbe,
    };
  }

  private bucketAt(now: number): Bucket {
    const start = now - (now % this.bucketMs);
    const newest = this.buckets.at(-1);
    if (newest?.start === start) return newest;
    const bucket: Bucket = { start, calls: 0, failures: 0, checks: 0, checksPassed: 0 };
    this.buckets.push(bucket);
    while (this.buckets.length > 0 && (this.buckets[0]?.start ?? now) <= now - this.windowMs) this.buckets.shift();
    return bucket;
  }

  private recordLatency(ms: number, now: number): void {
    if (this.latencies.length < latencySamples) this.latencies.push({ ms, at: now });
    else this.latencies[this.latencyCursor] = { ms, at: now };
    this.latencyCursor = (this.latencyCursor + 1) % latencySamples;
    this.sortedCache = null;
  }

  /** Sorted latencies in the window; recomputed at most once per bucket step unless a sample arrives. */
  private sortedLatencies(): number[] {
    const now = this.clock();
    if (this.sortedCache && now - this.sortedCache.at < this.bucketMs) return this.sortedCache.sorted;
    const since = now - this.windowMs;
    const sorted = this.latencies
      .filter((sample) => sample.at > since)
      .map((sample) => sample.ms)
      .sort((a, b) => a - b);
    this.sortedCache = { at: now, sorted };
    return sorted;
  }
}

function roundTenth(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
