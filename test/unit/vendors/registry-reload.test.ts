import { describe, expect, it, onTestFinished } from 'vitest';
import type { GatewayConfig } from '../../../src/config/schema.js';
import { RouterEventEmitter } from '../../../src/core/events.js';
import { breakerState } from '../../../src/resilience/breaker.js';
import { VendorRegistry, type VendorRuntime } from '../../../src/vendors/registry.js';
import { EventLog, fakeAdapter, fakeGatewayConfig, type FakeVendorSpec } from '../../helpers/fake-vendors.js';

const adapters = ['alpha', 'beta', 'gamma'].map(fakeAdapter);
const alpha: FakeVendorSpec = { name: 'alpha', rateLimit: { perMinute: 10, perDay: 100 } };
const beta: FakeVendorSpec = { name: 'beta', tier: 2 };

function registryFor(vendors: readonly FakeVendorSpec[], events = new RouterEventEmitter()) {
  const registry = new VendorRegistry(fakeGatewayConfig(vendors), adapters, events);
  onTestFinished(() => registry.close());
  return { registry, events };
}

async function reloaded(previous: VendorRegistry, config: GatewayConfig, events: RouterEventEmitter) {
  const registry = await VendorRegistry.reloaded(previous, config, adapters, events);
  onTestFinished(() => registry.close());
  return registry;
}

function runtime(registry: VendorRegistry, name: string): VendorRuntime {
  const found = registry.find(name)?.runtime;
  if (!found) throw new Error(`${name} is not enabled`);
  return found;
}

/** `calls` calls through the vendor's limiter, each taking its quota token first, as an attempt does. */
async function spendQuota(vendor: VendorRuntime, calls: number): Promise<void> {
  for (let call = 0; call < calls; call += 1) {
    expect(await vendor.limiter.admit(60_000)).toBeNull();
    await vendor.limiter.schedule('normal', () => Promise.resolve());
  }
}

describe('VendorRegistry.reloaded', () => {
  it('keeps every part of a vendor whose settings did not change, and gives it the new config', async () => {
    const { registry, events } = registryFor([alpha, beta]);
    const next = await reloaded(registry, fakeGatewayConfig([{ ...alpha, tier: 3, weight: 5 }, beta]), events);
    const [before, after] = [runtime(registry, 'alpha'), runtime(next, 'alpha')];
    expect(after).not.toBe(before);
    expect(after.config.tier).toBe(3);
    expect(after.config.weight).toBe(5);
    expect(after.client).toBe(before.client);
    expect(after.breaker).toBe(before.breaker);
    expect(after.limiter).toBe(before.limiter);
    expect(after.cooldown).toBe(before.cooldown);
    expect(after.stats).toBe(before.stats);
    // The retiring registry's close leaves every shared part working.
    await registry.closeUnusedBy([next]);
    expect(after.breaker.isShutdown).toBe(false);
  });

  it('counts in the same quota ledger after rateLimit changes: a reload never refills a window', async () => {
    const { registry, events } = registryFor([alpha]);
    const old = runtime(registry, 'alpha');
    await spendQuota(old, 4);
    const next = await reloaded(
      registry,
      fakeGatewayConfig([{ ...alpha, rateLimit: { perMinute: 12, perDay: 100 } }]),
      events,
    );
    const limiter = runtime(next, 'alpha').limiter;
    expect(limiter).not.toBe(old.limiter);
    // The old limiter gives back the tokens it holds unspent when it retires, as a reload retires it.
    await old.limiter.stop();
    expect(await limiter.windowStates()).toEqual([
      { window: 'day', limit: 100, remaining: 96 },
      { window: 'minute', limit: 12, remaining: 8 },
    ]);
  });

  it('keeps a tripped breaker open when its settings change, with its since', async () => {
    const { registry, events } = registryFor([alpha]);
    const log = new EventLog(events);
    const old = runtime(registry, 'alpha');
    old.breaker.open();
    const openedAt = old.breakerSince;
    const next = await reloaded(
      registry,
      fakeGatewayConfig([{ ...alpha, breaker: { resetTimeoutMs: 60_000 } }]),
      events,
    );
    const vendor = runtime(next, 'alpha');
    expect(vendor.breaker).not.toBe(old.breaker);
    expect(breakerState(vendor.breaker)).toBe('open');
    expect(vendor.breakerSince).toBe(openedAt);
    // Restoring the state announces nothing: the breaker did not change state.
    expect(log.of('breakerOpened')).toHaveLength(1);
    // The new breaker reports its own transitions, and moves the runtime's since.
    vendor.breaker.close();
    expect(log.of('breakerClosed')).toEqual([{ provider: 'alpha' }]);
    expect(vendor.breakerSince >= openedAt).toBe(true);
  });

  it('builds a new connection pool when the base URL changes', async () => {
    const { registry, events } = registryFor([alpha]);
    const config = fakeGatewayConfig([alpha]);
    const provider = config.providers.alpha;
    if (!provider) throw new Error('alpha missing');
    provider.baseUrl = 'https://elsewhere.invalid';
    const next = await reloaded(registry, config, events);
    expect(runtime(next, 'alpha').client).not.toBe(runtime(registry, 'alpha').client);
    expect(runtime(next, 'alpha').limiter).toBe(runtime(registry, 'alpha').limiter);
  });

  it('adds a vendor with fresh state and closes a removed one only through closeUnusedBy', async () => {
    const { registry, events } = registryFor([alpha, beta]);
    const next = await reloaded(registry, fakeGatewayConfig([alpha, { name: 'gamma' }]), events);
    expect(next.enabled.map((vendor) => vendor.name)).toEqual(['alpha', 'gamma']);
    expect(next.find('beta')?.disabledReason).toBe('no providers.beta block in the configuration');
    const removed = runtime(registry, 'beta');
    expect(removed.breaker.isShutdown).toBe(false);
    await registry.closeUnusedBy([next]);
    expect(removed.breaker.isShutdown).toBe(true);
    expect(runtime(next, 'alpha').breaker.isShutdown).toBe(false);
  });
});
