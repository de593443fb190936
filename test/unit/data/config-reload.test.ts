import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../../../src/config/load.js';
import type { GatewayConfig } from '../../../src/config/schema.js';
import { RouterEventEmitter } from '../../../src/core/events.js';
import { ConfigReloader } from '../../../src/data/config-reload.js';
import { LiveSnapshot, type GatewaySnapshot } from '../../../src/data/snapshot.js';
import { Router } from '../../../src/routing/router.js';
import { MemoryMetricsStore } from '../../../src/store/memory-store.js';
import { VendorRegistry } from '../../../src/vendors/registry.js';
import { EventLog, fakeAdapter, fakeGatewayConfig } from '../../helpers/fake-vendors.js';

const adapters = ['alpha', 'beta'].map(fakeAdapter);

function reloaderOver(initial: GatewayConfig, load: () => GatewayConfig) {
  const events = new RouterEventEmitter();
  const log = new EventLog(events);
  const registry = new VendorRegistry(initial, adapters, events);
  const store = new MemoryMetricsStore(initial.routing.healthScore.windowMs);
  const live = new LiveSnapshot({
    config: initial,
    registry,
    router: new Router(registry, initial.routing, events, store),
  });
  const swapped: GatewaySnapshot[] = [];
  const reloader = new ConfigReloader({ live, load, adapters, events, onSwapped: (next) => swapped.push(next) });
  onTestFinished(() => reloader.close());
  return { live, reloader, log, swapped };
}

describe('LiveSnapshot', () => {
  it('keeps a request on the snapshot it started with and says when the last one on a retired snapshot ends', async () => {
    const { live } = reloaderOver(fakeGatewayConfig([{ name: 'alpha' }]), () => {
      throw new Error('not used');
    });
    const first = live.current;
    let finish = () => {};
    const request = live.use(async (snapshot) => {
      await new Promise<void>((resolve) => (finish = resolve));
      return snapshot;
    });
    const second = { ...first };
    expect(live.swap(second)).toBe(first);
    expect(live.current).toBe(second);
    expect(live.requestsOn(first)).toBe(1);
    let drained = false;
    const waiting = live.drained(first).then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    finish();
    expect(await request).toBe(first);
    await waiting;
    expect(live.requestsOn(first)).toBe(0);
  });
});

describe('ConfigReloader', () => {
  it('swaps in a new snapshot for applied changes and announces them', async () => {
    const next = fakeGatewayConfig([{ name: 'alpha' }, { name: 'beta' }], { strategy: 'cost' });
    const { live, reloader, log, swapped } = reloaderOver(fakeGatewayConfig([{ name: 'alpha' }]), () => next);
    const before = live.current;
    expect(await reloader.reload('api')).toEqual({ applied: ['providers.beta', 'routing.strategy'], needsRestart: [] });
    expect(live.current).not.toBe(before);
    expect(swapped).toEqual([live.current]);
    expect(live.current.router.strategyName('stock-quote')).toBe('cost');
    expect(live.current.registry.enabled.map((vendor) => vendor.name)).toEqual(['alpha', 'beta']);
    expect(log.of('configReloaded')).toEqual([
      { trigger: 'api', applied: ['providers.beta', 'routing.strategy'], needsRestart: [] },
    ]);
  });

  it('keeps the snapshot when only restart-only keys changed, and says so on every reload until a restart', async () => {
    const initial = fakeGatewayConfig([{ name: 'alpha' }]);
    const next = structuredClone(initial);
    next.server.port = 9999;
    const { live, reloader, swapped } = reloaderOver(initial, () => next);
    const before = live.current;
    for (const trigger of ['SIGHUP', 'file'] as const) {
      expect(await reloader.reload(trigger)).toEqual({ applied: [], needsRestart: ['server.port'] });
    }
    expect(live.current).toBe(before);
    expect(swapped).toEqual([]);
  });

  it('rejects an invalid file: the snapshot stays and configRejected names the problem', async () => {
    const { live, reloader, log } = reloaderOver(fakeGatewayConfig([{ name: 'alpha' }]), () => {
      throw new ConfigError('gateway.yaml', ['routing.strategy: Invalid option']);
    });
    const before = live.current;
    await expect(reloader.reload('file')).rejects.toBeInstanceOf(ConfigError);
    expect(live.current).toBe(before);
    expect(log.of('configRejected')).toEqual([{ trigger: 'file', problems: ['routing.strategy: Invalid option'] }]);
  });

  it('runs reloads one at a time, in the order they were asked for', async () => {
    const strategies = ['cost', 'random'] as const;
    const runningWhenLoaded: string[] = [];
    const { live, reloader, log } = reloaderOver(fakeGatewayConfig([{ name: 'alpha' }]), () => {
      runningWhenLoaded.push(live.current.router.strategyName('stock-quote'));
      return fakeGatewayConfig([{ name: 'alpha' }], { strategy: strategies[runningWhenLoaded.length - 1] });
    });
    await Promise.all([reloader.reload('api'), reloader.reload('SIGHUP')]);
    // The second reload read the file only once the first had swapped.
    expect(runningWhenLoaded).toEqual(['priority', 'cost']);
    expect(log.of('configReloaded').map((event) => event.trigger)).toEqual(['api', 'SIGHUP']);
    expect(live.current.router.strategyName('stock-quote')).toBe('random');
  });
});
