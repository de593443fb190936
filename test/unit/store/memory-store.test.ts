import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src/core/outcomes.js';
import { MemoryMetricsStore } from '../../../src/store/memory-store.js';
import { histogramQuantile, toWindow, utcDay, utcMonth, type CallRecord } from '../../../src/store/metrics-store.js';

function storeAt(windowMs = 10_000) {
  const clock = { now: Date.UTC(2026, 10, 25, 12) };
  return { store: new MemoryMetricsStore(windowMs, () => clock.now), clock };
}

const call = (outcome: AttemptOutcome, ms = 20, extra: Partial<CallRecord> = {}): CallRecord => ({
  vendor: 'polygon',
  capability: 'stock-quote',
  outcome,
  ms,
  failed: outcome === 'timeout' || outcome === 'unavailable',
  cost: 0.001,
  ...extra,
});

describe('MemoryMetricsStore', () => {
  it('counts calls, failures by outcome and the error rate in the window, then forgets them', () => {
    const { store, clock } = storeAt();
    store.recordCall(call('ok'));
    store.recordCall(call('timeout', 1_500));
    store.recordCall(call('not-found'));
    expect(store.window('polygon')).toMatchObject({
      calls: 3,
      successes: 1,
      failures: 1,
      errorRate: 1 / 3,
      failuresByOutcome: { timeout: 1, 'not-found': 1 },
    });
    clock.now += 11_000;
    expect(store.window('polygon')).toMatchObject({ calls: 0, errorRate: null });
  });

  it('counts no call for attempts its breaker, quota or cooldown refused, so they do not dilute the error rate', () => {
    const { store } = storeAt();
    store.recordCall(call('timeout', 1_500));
    for (const refused of ['breaker-open', 'quota-skip', 'cooling-down', 'unsupported'] as const) {
      store.recordCall(call(refused, 0));
    }
    expect(store.window('polygon')).toMatchObject({ calls: 1, failures: 1, errorRate: 1 });
  });

  it('estimates p50/p95 from the latency histogram of good answers, and their mean', () => {
    const { store } = storeAt();
    for (let i = 0; i < 90; i += 1) store.recordCall(call('ok', 8));
    for (let i = 0; i < 10; i += 1) store.recordCall(call('ok', 400));
    const { latencyMs } = store.window('polygon');
    expect(latencyMs.mean).toBeCloseTo(47.2, 1);
    expect(latencyMs.p50).toBeGreaterThan(5);
    expect(latencyMs.p50).toBeLessThanOrEqual(10);
    expect(latencyMs.p95).toBeGreaterThan(250);
    expect(latencyMs.p95).toBeLessThanOrEqual(500);
  });

  it('counts health checks', () => {
    const { store } = storeAt();
    store.recordProbe('polygon', 'ok');
    store.recordProbe('polygon', 'timeout');
    expect(store.window('polygon').checks).toEqual({ total: 2, passed: 1 });
  });

  it('accounts calls and cost per capability today, only for calls that reached the vendor', () => {
    const { store, clock } = storeAt();
    store.recordCall(call('ok'));
    store.recordCall(call('unavailable'));
    store.recordCall(call('ok', 20, { capability: 'news-by-symbol', cost: 0.0045 }));
    store.recordCall(call('quota-skip'));
    store.recordCall(call('breaker-open'));
    expect(store.window('polygon').usageToday).toEqual({
      'stock-quote': { calls: 2, cost: 0.002 },
      'news-by-symbol': { calls: 1, cost: 0.0045 },
    });
    clock.now += 86_400_000;
    expect(store.window('polygon').usageToday).toEqual({});
  });

  it('stays bounded: no more buckets than the window holds, whatever the traffic', () => {
    const { store, clock } = storeAt(10_000);
    for (let i = 0; i < 10_000; i += 1) {
      clock.now += 37;
      store.recordCall(call('ok'));
    }
    expect(store.bucketsSince('polygon', 0).length).toBeLessThanOrEqual(11);
  });

  it('reads the same window as the sum of the buckets in it, whatever the calls, probes and pauses', () => {
    const outcomes: AttemptOutcome[] = ['ok', 'timeout', 'not-found', 'unavailable', 'rate-limited', 'breaker-open'];
    const step = fc.oneof(
      fc.record({ call: fc.constantFrom(...outcomes), ms: fc.integer({ min: 0, max: 6_000 }) }),
      fc.record({ probe: fc.constantFrom<AttemptOutcome>('ok', 'timeout') }),
      fc.record({ pauseMs: fc.integer({ min: 0, max: 12_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { store, clock } = storeAt(10_000);
        for (const next of steps) {
          if ('pauseMs' in next) clock.now += next.pauseMs;
          else if ('probe' in next) store.recordProbe('polygon', next.probe);
          else store.recordCall(call(next.call, next.ms));
          // The window is the buckets that started within the last 10 s (bucketsSince counts from a start, inclusive).
          const inWindow = store.bucketsSince('polygon', clock.now - 10_000 + 1).map(([, counts]) => counts);
          expect(store.window('polygon')).toEqual(toWindow(inWindow, store.usageCounts('polygon')));
        }
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket and reports the open last bucket at its lower bound', () => {
    // Buckets: ≤5, ≤10, …; 10 answers in (5, 10].
    expect(histogramQuantile([0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(7.5);
    expect(histogramQuantile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.95)).toBe(5_000);
    expect(histogramQuantile(new Array(13).fill(0), 0.5)).toBeNull();
  });
});

describe('utcDay and utcMonth', () => {
  it('name the UTC day and month of any instant, in whatever order a clock asks', () => {
    const lastMsOfMonth = Date.UTC(2026, 10, 30, 23, 59, 59, 999);
    const asked = [lastMsOfMonth, lastMsOfMonth + 1, lastMsOfMonth, Date.UTC(2026, 0, 1), Date.UTC(1969, 11, 31, 23)];
    expect(asked.map((now) => [utcDay(now), utcMonth(now)])).toEqual([
      ['2026-11-30', '2026-11'],
      ['2026-12-01', '2026-12'],
      ['2026-11-30', '2026-11'],
      ['2026-01-01', '2026-01'],
      ['1969-12-31', '1969-12'],
    ]);
  });
});
