import { afterEach, describe, expect, it, vi } from 'vitest';
import { VendorLimiter } from '../../../src/resilience/limiter.js';

const limiters: VendorLimiter[] = [];
function limiter(config: ConstructorParameters<typeof VendorLimiter>[1]): VendorLimiter {
  const created = new VendorLimiter('acme', config);
  limiters.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((entry) => entry.stop()));
});

describe('VendorLimiter', () => {
  it('refuses once a window is spent and reports it as newly exhausted only once', async () => {
    const quota = limiter({ perMinute: 2, perDay: 10, maxConcurrent: 5, maxQueue: 5 });
    expect(await quota.admit(1_000)).toBeNull();
    expect(await quota.admit(1_000)).toBeNull();
    expect(await quota.admit(1_000)).toMatchObject({
      reason: 'quota-exhausted',
      window: 'minute',
      newlyExhausted: true,
    });
    expect(await quota.admit(1_000)).toMatchObject({
      reason: 'quota-exhausted',
      window: 'minute',
      newlyExhausted: false,
    });
    expect(await quota.windowStates()).toEqual([
      { window: 'day', limit: 10, remaining: 8 },
      { window: 'minute', limit: 2, remaining: 0 },
    ]);
  });

  it('spends every window it passes through', async () => {
    const quota = limiter({ perMinute: 5, perDay: 3, perMonth: 100, maxConcurrent: 5, maxQueue: 5 });
    for (let index = 0; index < 3; index += 1) expect(await quota.admit(1_000)).toBeNull();
    expect(await quota.admit(1_000)).toMatchObject({ reason: 'quota-exhausted', window: 'day' });
    expect(await quota.windowStates()).toEqual([
      { window: 'month', limit: 100, remaining: 97 },
      { window: 'day', limit: 3, remaining: 0 },
      { window: 'minute', limit: 5, remaining: 2 },
    ]);
  });

  it('spends a token on a retry, and makes none without one', async () => {
    const quota = limiter({ perMinute: 2, maxConcurrent: 5, maxQueue: 5 });
    expect(await quota.admit(1_000)).toBeNull();
    expect(quota.admitNow()).toBe(true);
    expect(quota.admitNow()).toBe(false);
    expect(await quota.admit(1_000)).toMatchObject({ reason: 'quota-exhausted', window: 'minute' });
  });

  it('refuses when the spacing wait would outlast the budget', async () => {
    const quota = limiter({ perSecond: 2, maxConcurrent: 1, maxQueue: 10 });
    expect(await quota.admit(100)).toEqual({ reason: 'wait-too-long' });
    expect(await quota.admit(1_000)).toBeNull();
  });

  it('rejects beyond the bounded queue instead of growing it', async () => {
    const quota = limiter({ maxConcurrent: 1, maxQueue: 1 });
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const running = quota.schedule('normal', () => blocker);
    const queued = quota.schedule('normal', async () => 'queued');
    await vi.waitFor(() => expect(quota.counts()).toEqual({ running: 1, queued: 1 }));
    expect(await quota.admit(10_000)).toEqual({ reason: 'queue-full' });
    await expect(quota.schedule('normal', async () => 'dropped')).rejects.toThrow(/dropped/);
    release();
    await running;
    expect(await queued).toBe('queued');
  });

  it('runs critical work before low work when both wait', async () => {
    const quota = limiter({ maxConcurrent: 1, maxQueue: 10 });
    const order: string[] = [];
    let release!: () => void;
    const first = quota.schedule('normal', () => new Promise<void>((resolve) => (release = resolve)));
    const low = quota.schedule('low', async () => order.push('low'));
    const critical = quota.schedule('critical', async () => order.push('critical'));
    await vi.waitFor(() => expect(quota.counts()).toEqual({ running: 1, queued: 2 }));
    release();
    await Promise.all([first, low, critical]);
    expect(order).toEqual(['critical', 'low']);
  });

  it('counts running and queued calls', async () => {
    const quota = limiter({ maxConcurrent: 1, maxQueue: 10 });
    let release!: () => void;
    const running = quota.schedule('normal', () => new Promise<void>((resolve) => (release = resolve)));
    const queued = quota.schedule('normal', async () => undefined);
    await vi.waitFor(() => expect(quota.counts()).toEqual({ running: 1, queued: 1 }));
    release();
    await Promise.all([running, queued]);
  });
});
