import { describe, expect, it } from 'vitest';
import { VendorStats } from '../../../src/store/vendor-stats.js';

function statsAt(windowMs = 10_000) {
  const clock = { now: 1_000_000 };
  return { stats: new VendorStats(windowMs, () => clock.now), clock };
}

describe('VendorStats', () => {
  it('counts calls and failures in the window, and forgets them once the window has passed', () => {
    const { stats, clock } = statsAt();
    stats.finished('ok', 10, false);
    stats.finished('timeout', 1_500, true, 'no answer in time');
    expect(stats.snapshot()).toMatchObject({ windowCalls: 2, windowFailures: 1, errorRate: 0.5, calls: 2 });
    clock.now += 11_000;
    expect(stats.snapshot()).toMatchObject({ windowCalls: 0, errorRate: null, calls: 2 });
  });

  it('keeps p50/p95 of good answers only, and the moving average of every answer', () => {
    const { stats } = statsAt();
    for (let ms = 1; ms <= 100; ms += 1) stats.finished('ok', ms, false);
    stats.finished('timeout', 5_000, true);
    const { latencyMs } = stats.snapshot();
    expect(latencyMs.p50).toBe(50);
    expect(latencyMs.p95).toBe(95);
    expect(latencyMs.ewma).toBeGreaterThan(900);
  });

  it('ignores calls we cancelled ourselves', () => {
    const { stats } = statsAt();
    stats.started();
    stats.finished('aborted', 300, false);
    expect(stats.snapshot()).toMatchObject({ inFlight: 0, calls: 0, windowCalls: 0, latencyMs: { ewma: null } });
  });

  it('counts health checks passed in the window and remembers the last', () => {
    const { stats, clock } = statsAt();
    stats.probed('ok', 12);
    clock.now += 1_000;
    stats.probed('unavailable', 30, 'HTTP 503');
    expect(stats.snapshot().checks).toEqual({ total: 2, passed: 1 });
    expect(stats.snapshot().lastProbe).toEqual({
      outcome: 'unavailable',
      ms: 30,
      detail: 'HTTP 503',
      at: new Date(clock.now).toISOString(),
    });
  });

  it('stays bounded: no more buckets than the window holds, whatever the traffic', () => {
    const { stats, clock } = statsAt(10_000);
    for (let i = 0; i < 10_000; i += 1) {
      clock.now += 37;
      stats.finished('ok', 5, false);
    }
    expect((stats as unknown as { buckets: unknown[] }).buckets.length).toBeLessThanOrEqual(11);
    expect((stats as unknown as { latencies: unknown[] }).latencies.length).toBeLessThanOrEqual(256);
  });
});
