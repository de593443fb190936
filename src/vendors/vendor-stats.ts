import { isGatewayFailure, reachedVendor, type AttemptOutcome } from '../core/outcomes.js';

/** Latency samples kept for the hedge delay's p95; older ones fall out of the ring. */
const latencySamples = 256;
/** Weight of the newest latency in the moving average the `latency` strategy reads. */
const ewmaAlpha = 0.2;

export interface ProbeRecord {
  outcome: AttemptOutcome;
  ms: number;
  detail: string | null;
  at: string;
}

export interface VendorStatsSnapshot {
  inFlight: number;
  /** Calls from this instance since it started. */
  calls: number;
  latencyEwmaMs: number | null;
  lastSuccessAt: string | null;
  lastFailure: { outcome: AttemptOutcome; detail: string | null; at: string } | null;
  lastProbe: ProbeRecord | null;
}

/**
 * What this instance alone knows of one vendor, right now: calls in flight, a moving average of latency, the recent
 * good latencies behind the hedge delay, and the last success, failure and probe. The windowed counts every instance
 * shares (error rate, percentiles, checks, cost) live in the MetricsStore.
 */
export class VendorStats {
  private inFlight = 0;
  private calls = 0;
  private readonly latencies: number[] = [];
  private latencyCursor = 0;
  /** The same samples in ascending order, kept so as each sample comes and goes: the hedge delay reads it every call. */
  private readonly sorted: number[] = [];
  private ewma: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastFailure: VendorStatsSnapshot['lastFailure'] = null;
  private probe: ProbeRecord | null = null;
  private gatewayFailureStreak = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** The last health check; null before any. Read after every call (routing/health.ts), without a snapshot's copies. */
  get lastProbe(): ProbeRecord | null {
    return this.probe;
  }

  /** Calls in a row that ended in a gateway failure (a hang, a refused connection, a 5xx); any other answer ends the run. */
  get consecutiveGatewayFailures(): number {
    return this.gatewayFailureStreak;
  }

  started(): void {
    this.inFlight += 1;
  }

  /**
   * One finished call. Latency feeds the average for every answer, and the hedge percentiles only for good ones, so
   * an outage does not teach the gateway to wait longer. Calls we cancelled ourselves, and attempts that never reached
   * the vendor (its breaker or quota refused them), carry no latency and are no call.
   */
  finished(outcome: AttemptOutcome, ms: number, failed: boolean, detail?: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (outcome === 'aborted' || !reachedVendor(outcome)) return;
    this.calls += 1;
    this.gatewayFailureStreak = isGatewayFailure(outcome) ? this.gatewayFailureStreak + 1 : 0;
    this.ewma = this.ewma === null ? ms : this.ewma + ewmaAlpha * (ms - this.ewma);
    if (failed) {
      this.lastFailure = { outcome, detail: detail ?? null, at: new Date(this.clock()).toISOString() };
    } else if (outcome === 'ok') {
      this.lastSuccessAt = this.clock();
      if (this.latencies.length < latencySamples) {
        this.latencies.push(ms);
      } else {
        this.sorted.splice(insertionIndex(this.sorted, this.latencies[this.latencyCursor] as number), 1);
        this.latencies[this.latencyCursor] = ms;
      }
      this.sorted.splice(insertionIndex(this.sorted, ms), 0, ms);
      this.latencyCursor = (this.latencyCursor + 1) % latencySamples;
    }
  }

  probed(outcome: AttemptOutcome, ms: number, detail?: string): void {
    this.probe = { outcome, ms, detail: detail ?? null, at: new Date(this.clock()).toISOString() };
  }

  get running(): number {
    return this.inFlight;
  }

  get latencyEwmaMs(): number | null {
    return this.ewma;
  }

  /** A percentile of the recent good answers (the hedge delay reads p95); null before any. */
  latencyPercentile(fraction: number): number | null {
    if (this.sorted.length === 0) return null;
    return (
      this.sorted[Math.min(this.sorted.length - 1, Math.max(0, Math.ceil(fraction * this.sorted.length) - 1))] ?? null
    );
  }

  snapshot(): VendorStatsSnapshot {
    return {
      inFlight: this.inFlight,
      calls: this.calls,
      latencyEwmaMs: this.ewma === null ? null : Math.round(this.ewma * 10) / 10,
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      lastFailure: this.lastFailure,
      lastProbe: this.probe,
    };
  }
}

/** The first index of `sorted` (ascending) whose value is not below `value`: where it is, or would go. */
function insertionIndex(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
