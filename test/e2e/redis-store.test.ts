import { describe, expect, it } from 'vitest';
import { buildTestGateway, type TestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';

describe.skipIf(!redisServerAvailable)('the Redis-backed metrics store (real redis-server)', () => {
  const redis = useRedisServer();

  const instance = (keyPrefix: string) =>
    buildTestGateway({
      adjust: (config) => {
        config.store = { redisUrl: redis.url, keyPrefix, commandTimeoutMs: 50, syncIntervalMs: 100 };
      },
    });

  const quote = (gateway: TestGateway) => gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });

  async function providerView(gateway: TestGateway, name: string) {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/providers' });
    return response.json().data.find((entry: { name: string }) => entry.name === name);
  }

  async function ready(gateway: TestGateway) {
    return (await gateway.app.inject({ method: 'GET', url: '/ready' })).json();
  }

  it('gives two instances the same score and error rate for a vendor only one of them called', async () => {
    const a = await instance('shared-score');
    const b = await instance('shared-score');
    await Promise.all([a.app.router.store.sync(), b.app.router.store.sync()]);
    await untilStoreReady(a);
    await untilStoreReady(b);
    await a.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      payload: { mode: 'error', delayMs: 0 },
    });
    for (let i = 0; i < 4; i += 1) expect((await quote(a)).statusCode).toBe(200);
    await a.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'ok', delayMs: 0 } });
    for (let i = 0; i < 6; i += 1) expect((await quote(a)).statusCode).toBe(200);

    await a.app.router.store.sync();
    await b.app.router.store.sync();
    const [seenByA, seenByB] = [await providerView(a, 'polygon'), await providerView(b, 'polygon')];
    expect(seenByA.windowCalls).toBe(10);
    expect(seenByB.windowCalls).toBe(10);
    expect(seenByB.errorRate).toBe(seenByA.errorRate);
    expect(seenByB.errorRate).toBeCloseTo(0.4, 5);
    expect(seenByB.score).toEqual(seenByA.score);
    expect(seenByB.usageToday).toEqual(seenByA.usageToday);
    expect(seenByB.calls).toBe(0); // this instance's own calls: it made none
  });

  it('counts a call recorded while a sync runs in the sync asked for after it', async () => {
    const a = await instance('sync-order');
    await untilStoreReady(a);
    const store = a.app.router.store;
    // The running sync takes its batch at once; the call below comes after it.
    const running = store.sync();
    store.recordCall({ vendor: 'polygon', capability: 'stock-quote', outcome: 'ok', ms: 5, failed: false, cost: 0 });
    await store.sync();
    expect(store.window('polygon').calls).toBe(1);
    await running;
  });

  it('keeps serving when redis-server dies, says degraded, and shares again once it is back', async () => {
    const a = await instance('outage');
    const b = await instance('outage');
    await untilStoreReady(a);
    await untilStoreReady(b);
    for (let i = 0; i < 3; i += 1) expect((await quote(a)).statusCode).toBe(200);
    await a.app.router.store.sync();

    await redis.kill();
    const during = await Promise.all(Array.from({ length: 20 }, () => quote(a)));
    expect(during.map((response) => response.statusCode)).toEqual(during.map(() => 200));
    await expect.poll(async () => (await ready(a)).status, { timeout: 5_000, interval: 50 }).toBe('degraded');
    const degraded = await ready(a);
    expect(degraded.reasons.join(' ')).toMatch(/^store degraded \(serving from in-process state\): redis/);
    expect(a.logs()).toContain('"event":"storeDegraded"');

    await redis.restart();
    await untilStoreReady(a);
    await untilStoreReady(b);
    // The calls made during the outage reach Redis on the next sync: B sees all 23.
    await expect
      .poll(
        async () => {
          await a.app.router.store.sync();
          await b.app.router.store.sync();
          return (await providerView(b, 'polygon')).windowCalls;
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe(23);
    expect(a.logs()).toContain('"event":"storeRecovered"');
  });
});
