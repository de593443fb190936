import { describe, expect, it } from 'vitest';
import { MemoryQuotaLedger, type GrantRequest, type QuotaLedger } from '../../../src/resilience/quota-ledger.js';
import { windowSlot, windowSpecs } from '../../../src/resilience/quota-windows.js';
import { VendorQuota } from '../../../src/resilience/vendor-quota.js';
import type { RateLimitConfig } from '../../../src/config/schema.js';

/** A ledger on a fake clock that counts its round trips and can be taken away, as Redis can. */
class TestLedger implements QuotaLedger {
  readonly inner: MemoryQuotaLedger;
  grants = 0;
  failing = false;
  readonly requests: GrantRequest[] = [];

  constructor(clock: () => number) {
    this.inner = new MemoryQuotaLedger(clock);
  }

  grant(request: GrantRequest) {
    this.grants += 1;
    this.requests.push(request);
    if (this.failing) return Promise.reject(new Error('Stream is not writeable'));
    return this.inner.grant(request);
  }

  /** Each window's count in the ledger now. */
  counts(config: RateLimitConfig, now: number): number[] {
    const windows = windowSpecs(config).map((spec) => windowSlot(spec, 'mdg:quota:acme', now));
    return this.inner.grantNow({
      adjustments: [],
      want: 0,
      windows: windows.map((slot) => ({ limit: slot.spec.limit, keys: slot.keys, forgetAt: slot.forgetAt })),
    }).used;
  }
}

function setup(config: RateLimitConfig, options: { shared?: boolean; instances?: number; leaseSize?: number } = {}) {
  const clock = { now: Date.parse('2026-01-15T10:00:00Z') };
  const now = () => clock.now;
  const ledger = new TestLedger(now);
  let instances = options.instances ?? 1;
  const backend = {
    ledger,
    shared: options.shared ?? false,
    // The test's outage is a Redis that is gone (not connected), as when it was killed.
    available: () => !ledger.failing,
    liveInstances: () => instances,
    keyPrefix: 'mdg',
  };
  const quota = (leaseSize = options.leaseSize ?? 10) =>
    new VendorQuota(windowSpecs(config), backend, 'mdg:quota:acme', leaseSize, now);
  return {
    clock,
    ledger,
    quota,
    setInstances: (count: number) => (instances = count),
  };
}

/** Takes tokens one by one as a burst of calls would, letting a prefetch land in between. */
async function spend(quota: VendorQuota, calls: number): Promise<number> {
  let granted = 0;
  for (let call = 0; call < calls; call += 1) if ((await quota.take()) === null) granted += 1;
  return granted;
}

const daily = { perDay: 100, maxConcurrent: 1, maxQueue: 1 };

describe('VendorQuota leases', () => {
  it('spends a lease without a ledger round trip per call, prefetching at half', async () => {
    const { ledger, quota } = setup(daily);
    const vendor = quota(10);
    expect(await vendor.take()).toBeNull();
    expect(ledger.grants).toBe(1);
    expect(ledger.counts(daily, Date.now())).toEqual([0]); // other day: the fake clock is not today
    for (let call = 0; call < 4; call += 1) expect(vendor.takeNow()).toBe(true);
    expect(ledger.grants).toBe(2); // the 5th token spent is half the lease: the next grant is on its way
    expect(ledger.requests[1]?.want).toBeGreaterThanOrEqual(1);
  });

  it('never grants more than a window holds, across instances sharing the ledger', async () => {
    const { ledger, quota } = setup({ perMinute: 30, maxConcurrent: 1, maxQueue: 1 }, { shared: true, instances: 3 });
    const instances = [quota(4), quota(4), quota(4)];
    let calls = 0;
    for (let round = 0; round < 30; round += 1) {
      for (const instance of instances) if ((await instance.take()) === null) calls += 1;
    }
    expect(calls).toBeLessThanOrEqual(30);
    expect(calls).toBeGreaterThanOrEqual(30 - 3 * 4);
    expect(ledger.counts({ perMinute: 30, maxConcurrent: 1, maxQueue: 1 }, Date.parse('2026-01-15T10:00:00Z'))).toEqual(
      [30],
    );
    await Promise.all(instances.map((instance) => instance.stop()));
    // Unspent tokens went back: the ledger now counts exactly the calls made.
    expect(ledger.counts({ perMinute: 30, maxConcurrent: 1, maxQueue: 1 }, Date.parse('2026-01-15T10:00:00Z'))).toEqual(
      [calls],
    );
  });

  it('refuses a spent window at once, once reported as newly spent, with the time to its reset', async () => {
    const { clock, quota } = setup({ perDay: 3, maxConcurrent: 1, maxQueue: 1 });
    const vendor = quota(10);
    expect(await spend(vendor, 3)).toBe(3);
    expect(await vendor.take()).toEqual({
      reason: 'quota-exhausted',
      window: 'day',
      newlyExhausted: true,
      retryAfterMs: 14 * 3_600_000,
    });
    expect(await vendor.take()).toMatchObject({ newlyExhausted: false });
    clock.now = Date.parse('2026-01-16T00:00:00Z');
    expect(await vendor.take()).toBeNull();
  });

  it("shrinks the grant near a window's end to what this instance will spend before it", async () => {
    const config = { perDay: 1_000, maxConcurrent: 1, maxQueue: 1 };
    const { clock, ledger, quota } = setup(config);
    const vendor = quota(20);
    expect(await vendor.take()).toBeNull();
    expect(ledger.requests[0]?.want).toBe(20);
    // One call every 100 ms: 10 a second.
    for (let call = 0; call < 40; call += 1) {
      clock.now += 100;
      expect(await vendor.take()).toBeNull();
    }
    expect(ledger.requests.at(-1)?.want).toBe(20);
    clock.now = Date.parse('2026-01-16T00:00:00Z') - 250;
    for (let call = 0; call < 30; call += 1) await vendor.take();
    const nearEnd = ledger.requests.at(-1)!;
    expect(nearEnd.want).toBeLessThan(20);
    expect(nearEnd.want).toBeLessThanOrEqual(3);
  });

  it("spends a new period's tokens, never the previous period's lease", async () => {
    const config = { perDay: 10, maxConcurrent: 1, maxQueue: 1 };
    const { clock, ledger, quota } = setup(config);
    const vendor = quota(5);
    expect(await vendor.take()).toBeNull();
    clock.now = Date.parse('2026-01-16T00:00:01Z');
    expect(await vendor.take()).toBeNull();
    const nextDay = ledger.requests.at(-1)!;
    expect(nextDay.windows[0]?.keys).toEqual(['mdg:quota:acme:day:2026-01-16']);
    // The 4 tokens left of yesterday are dropped: yesterday's counter is over, giving them back would change nothing.
    expect(nextDay.adjustments).toEqual([]);
    expect(ledger.counts(config, clock.now)[0]).toBeGreaterThanOrEqual(1);
  });

  it('gives back a lease whose rolling counter has passed with the next grant', async () => {
    const config = { perMinute: 60, maxConcurrent: 1, maxQueue: 1 };
    const { clock, ledger, quota } = setup(config);
    const vendor = quota(10);
    expect(await vendor.take()).toBeNull();
    expect(ledger.counts(config, clock.now)).toEqual([10]);
    clock.now += 3_000; // the next 3 s counter: the lease's 9 unspent tokens return to the one they were counted in
    expect(await vendor.take()).toBeNull();
    expect(ledger.requests[1]?.adjustments).toMatchObject([{ delta: -9 }]);
    // 1 spent in the old counter; in the new one a grant sized to 1 call in 3 s, and its prefetch.
    expect(ledger.counts(config, clock.now)).toEqual([1 + 2]);
  });
});

describe('VendorQuota while the shared ledger is away', () => {
  const minute = { perMinute: 60, maxConcurrent: 1, maxQueue: 1 };

  it("falls back to this instance's share of what was left, never unlimited, never waiting", async () => {
    const { ledger, quota } = setup(minute, { shared: true, instances: 3, leaseSize: 5 });
    const vendor = quota();
    const other = quota();
    expect(await spend(other, 30)).toBe(30); // another instance spent half the minute
    await other.stop();
    expect(await vendor.take()).toBeNull();
    ledger.failing = true;
    // (60 − 35 counted at the last grant) ÷ 3 instances = 8 for this instance, besides the 4 it still holds.
    expect(await spend(vendor, 50)).toBe(4 + 8);
    expect(await vendor.take()).toMatchObject({ reason: 'quota-exhausted', window: 'minute' });
  });

  it('adds what the share spent to the shared counters when the ledger is back', async () => {
    const { clock, ledger, quota } = setup(minute, { shared: true, instances: 2, leaseSize: 5 });
    const vendor = quota();
    expect(await vendor.take()).toBeNull();
    ledger.failing = true;
    expect(await spend(vendor, 10)).toBe(10);
    const countedBefore = ledger.counts(minute, clock.now)[0]!;
    ledger.failing = false;
    clock.now += 1_000; // the shared ledger is asked again a second after it failed
    expect(await spend(vendor, 10)).toBe(10);
    await vendor.stop();
    expect(countedBefore).toBe(5);
    expect(ledger.counts(minute, clock.now)).toEqual([21]);
  });

  it('refuses rather than fall back while Redis is connected but a grant failed (slow, may have counted)', async () => {
    const { ledger, quota } = setup(minute, { shared: true, instances: 2, leaseSize: 1 });
    const vendor = quota();
    const answer = ledger.grant.bind(ledger);
    let failures = 0;
    // The first grant answers; every later one times out: Redis stays connected, slow.
    ledger.grant = (request) =>
      ledger.grants++ === 0 ? answer(request) : (failures++, Promise.reject(new Error('Command timed out')));
    expect(await vendor.take()).toBeNull();
    const answers = [];
    for (let take = 0; take < 5 && answers.at(-1) !== null; take += 1) answers.push(await vendor.take());
    expect(answers[0]).toEqual({ reason: 'quota-busy' });
    // The third failure in a row is taken for an outage: the share takes over.
    expect(answers.at(-1)).toBeNull();
    expect(failures).toBeGreaterThanOrEqual(3);
  });

  it('takes no share before it knows how many instances there are', async () => {
    const { ledger, quota, setInstances } = setup(minute, { shared: true, leaseSize: 5 });
    setInstances(0);
    ledger.failing = true;
    expect(await quota().take()).toMatchObject({ reason: 'quota-exhausted' });
  });

  it('shares the whole window once the last shared count has aged out of it', async () => {
    const { clock, ledger, quota, setInstances } = setup(minute, { shared: true, instances: 1, leaseSize: 5 });
    const vendor = quota();
    expect(await spend(vendor, 60)).toBe(60);
    ledger.failing = true;
    setInstances(4);
    clock.now += 63_001;
    expect(await spend(vendor, 30)).toBe(15);
  });
});
