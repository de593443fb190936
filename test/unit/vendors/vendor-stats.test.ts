import { describe, expect, it } from 'vitest';
import { VendorStats } from '../../../src/vendors/vendor-stats.js';

describe('VendorStats', () => {
  it('keeps p50/p95 of good answers only (the hedge delay), and the moving average of every answer', () => {
    const stats = new VendorStats();
    for (let ms = 1; ms <= 100; ms += 1) stats.finished('ok', ms, false);
    stats.finished('timeout', 5_000, true, 'no answer in time');
    expect(stats.latencyPercentile(0.5)).toBe(50);
    expect(stats.latencyPercentile(0.95)).toBe(95);
    expect(stats.latencyEwmaMs).toBeGreaterThan(900);
    expect(stats.snapshot().lastFailure).toMatchObject({ outcome: 'timeout', detail: 'no answer in time' });
  });

  it('counts calls in flight and ignores calls we cancelled ourselves', () => {
    const stats = new VendorStats();
    stats.started();
    expect(stats.running).toBe(1);
    stats.finished('aborted', 300, false);
    expect(stats.snapshot()).toMatchObject({ inFlight: 0, calls: 0, latencyEwmaMs: null });
  });

  it('remembers the last probe', () => {
    const stats = new VendorStats(() => 1_000);
    stats.probed('unavailable', 30, 'HTTP 503');
    expect(stats.snapshot().lastProbe).toEqual({
      outcome: 'unavailable',
      ms: 30,
      detail: 'HTTP 503',
      at: new Date(1_000).toISOString(),
    });
  });

  it('stays bounded: at most 256 latency samples, whatever the traffic', () => {
    const stats = new VendorStats();
    for (let i = 0; i < 10_000; i += 1) stats.finished('ok', i % 50, false);
    expect((stats as unknown as { latencies: unknown[] }).latencies.length).toBe(256);
  });

  it('reads percentiles of the newest 256 good answers only, once older ones have fallen out', () => {
    const stats = new VendorStats();
    // 256 slow answers, then 256 fast ones in a scrambled order (with repeats): only the fast ones remain.
    for (let i = 0; i < 256; i += 1) stats.finished('ok', 1_000 + i, false);
    for (let i = 0; i < 256; i += 1) stats.finished('ok', (i * 37) % 100, false);
    const newest = Array.from({ length: 256 }, (_, i) => (i * 37) % 100).sort((a, b) => a - b);
    expect(stats.latencyPercentile(0.5)).toBe(newest[127]);
    expect(stats.latencyPercentile(0.95)).toBe(newest[243]);
    expect(stats.latencyPercentile(1)).toBe(99);
  });
});
