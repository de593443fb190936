import type { AttemptOutcome } from '../routing/attempt-record.js';

const latencySamples = 256;

export interface VendorStatsSnapshot {
  inFlight: number;
  calls: number;
  failures: number;
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  lastSuccessAt: string | null;
  lastFailure: { outcome: AttemptOutcome; detail: string | null; at: string } | null;
}

/**
 * Recent live traffic to one vendor, kept in this process: in flight, outcomes and a ring of latencies. Enough for
 * /v1/providers; the shared, windowed metrics store is a later piece (issue 5).
 */
export class VendorStats {
  private inFlight = 0;
  private calls = 0;
  private failures = 0;
  private readonly latencies: number[] = [];
  private latencyCursor = 0;
  private lastSuccessAt: number | null = null;
  private lastFailure: VendorStatsSnapshot['lastFailure'] = null;

  constructor(private readonly clock: () => number = Date.now) {}

  started(): void {
    this.inFlight += 1;
  }

  finished(outcome: AttemptOutcome, ms: number, failed: boolean, detail?: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.calls += 1;
    if (this.latencies.length < latencySamples) this.latencies.push(ms);
    else this.latencies[this.latencyCursor] = ms;
    this.latencyCursor = (this.latencyCursor + 1) % latencySamples;
    if (failed) {
      this.failures += 1;
      this.lastFailure = { outcome, detail: detail ?? null, at: new Date(this.clock()).toISOString() };
    } else if (outcome === 'ok') {
      this.lastSuccessAt = this.clock();
    }
  }

  snapshot(): VendorStatsSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      inFlight: this.inFlight,
      calls: this.calls,
      failures: this.failures,
      errorRate: this.calls === 0 ? null : this.failures / this.calls,
      latencyMs: { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) },
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      lastFailure: this.lastFailure,
    };
  }
}

function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}
