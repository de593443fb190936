import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VendorRuntime } from '../../../src/vendors/registry.js';
import { Cooldown } from '../../../src/resilience/cooldown.js';
import { ActiveHealthChecks } from '../../../src/vendors/health-checks.js';
import { RouterEventEmitter, type RouterEvents } from '../../../src/core/events.js';
import { HealthWatcher, vendorHealth } from '../../../src/routing/health.js';
import { MemoryMetricsStore } from '../../../src/store/memory-store.js';
import { VendorStats } from '../../../src/vendors/vendor-stats.js';

interface FakeVendorOptions {
  breaker?: 'closed' | 'open' | 'half-open';
  shareLeft?: number;
  reply?: { status: number; body?: unknown };
  healthCheck?: boolean;
}

function fakeVendor(name: string, options: FakeVendorOptions = {}): VendorRuntime {
  const breaker = options.breaker ?? 'closed';
  return {
    name,
    adapter: {
      healthCheck: options.healthCheck === false ? null : { method: 'GET', path: '/ping' },
      classifyFailure: (reply: { status: number }) =>
        reply.status >= 500 ? { kind: 'unavailable', detail: `HTTP ${reply.status}` } : null,
    },
    config: { healthCheck: { enabled: true, intervalMs: 1_000, timeoutMs: 500 } },
    breaker: { opened: breaker === 'open', halfOpen: breaker === 'half-open' },
    cooldown: new Cooldown(),
    ejectedElsewhere: new Cooldown(),
    limiter: {
      shareLeft: options.shareLeft ?? 1,
      // Probes always pass through the limiter: this one has room and runs each job at once.
      admit: () => Promise.resolve(null),
      schedule: <T>(_priority: string, task: () => Promise<T>) => task(),
    },
    stats: new VendorStats(),
    client: { send: () => Promise.resolve({ status: 200, headers: {}, body: {}, ...options.reply }) },
  } as unknown as VendorRuntime;
}

const call = (outcome: 'ok' | 'timeout') => ({
  vendor: 'a',
  capability: 'stock-quote' as const,
  outcome,
  ms: 100,
  failed: outcome !== 'ok',
  cost: 0,
});

describe('vendorHealth', () => {
  const store = new MemoryMetricsStore(60_000);

  it('is healthy with nothing to report, down with its breaker open', () => {
    expect(vendorHealth(fakeVendor('a'), store.window('a'))).toEqual({ status: 'healthy', reasons: [] });
    expect(vendorHealth(fakeVendor('a', { breaker: 'open' }), store.window('a'))).toEqual({
      status: 'down',
      reasons: ['breaker open'],
    });
  });

  it('is degraded, saying why, when half-open, resting, out of quota, erring or failing its probe', () => {
    const vendor = fakeVendor('a', { breaker: 'half-open', shareLeft: 0 });
    const erring = new MemoryMetricsStore(60_000);
    vendor.cooldown.start(10_000);
    for (let i = 0; i < 6; i += 1) erring.recordCall(call('timeout'));
    vendor.stats.probed('unavailable', 5, 'HTTP 503');
    const { status, reasons } = vendorHealth(vendor, erring.window('a'));
    expect(status).toBe('degraded');
    expect(reasons).toEqual([
      'breaker half-open',
      expect.stringMatching(/^cooling down after a 429 until /),
      'a quota window is spent',
      'error rate 100 %',
      'health check: unavailable',
    ]);
  });

  it('does not call a vendor degraded for its error rate on a handful of calls', () => {
    const few = new MemoryMetricsStore(60_000);
    few.recordCall(call('timeout'));
    expect(vendorHealth(fakeVendor('a'), few.window('a')).status).toBe('healthy');
  });
});

describe('HealthWatcher', () => {
  it('emits providerHealthChanged once per change, with both states and the reasons', () => {
    const events = new RouterEventEmitter();
    const seen: RouterEvents['providerHealthChanged'][] = [];
    events.on('providerHealthChanged', (event) => seen.push(event));
    const watcher = new HealthWatcher(events, new MemoryMetricsStore(60_000));
    const vendor = fakeVendor('a');
    watcher.check(vendor);
    vendor.stats.probed('timeout', 500);
    watcher.check(vendor);
    watcher.check(vendor);
    vendor.stats.probed('ok', 5);
    watcher.check(vendor);
    expect(seen).toEqual([
      { provider: 'a', from: 'healthy', to: 'degraded', reasons: ['health check: timeout'] },
      { provider: 'a', from: 'degraded', to: 'healthy', reasons: [] },
    ]);
  });
});

describe('ActiveHealthChecks', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('probes each vendor with a health endpoint on its interval and records the result', async () => {
    vi.useFakeTimers();
    const healthy = fakeVendor('healthy');
    const failing = fakeVendor('failing', { reply: { status: 503 } });
    const passive = fakeVendor('passive', { healthCheck: false });
    const results: string[] = [];
    const store = new MemoryMetricsStore(60_000, () => Date.now());
    const checks = new ActiveHealthChecks([healthy, failing, passive], (vendor, result) => {
      store.recordProbe(vendor.name, result.outcome);
      results.push(`${vendor.name} ${result.outcome}`);
    });
    checks.start();
    await vi.advanceTimersByTimeAsync(3_000);
    checks.stop();
    expect(store.window('healthy').checks.total).toBeGreaterThanOrEqual(2);
    expect(store.window('healthy').checks.passed).toBe(store.window('healthy').checks.total);
    expect(store.window('failing').checks.passed).toBe(0);
    expect(failing.stats.snapshot().lastProbe).toMatchObject({ outcome: 'unavailable', detail: 'HTTP 503' });
    expect(store.window('passive').checks.total).toBe(0);
    expect(results).toContain('healthy ok');
    expect(results).toContain('failing unavailable');
    const after = results.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(results).toHaveLength(after);
  });
});
