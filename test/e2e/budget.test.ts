import { describe, expect, it } from 'vitest';
import { buildTestGateway, type TestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';

/** polygon costs 0.0003 a call (config/gateway.yaml): a daily cap of 0.0009 is three calls, whoever makes them. */
const dailyCap = 0.0009;

const quote = (gateway: TestGateway) => gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });

async function polygonView(gateway: TestGateway) {
  const response = await gateway.app.inject({ method: 'GET', url: '/v1/providers' });
  return response.json().data.find((entry: { name: string }) => entry.name === 'polygon');
}

describe('spend caps in one instance', () => {
  it('skips polygon once its daily cap is spent: budget-skip in attempts, /v1/providers and /metrics', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.providers.polygon!.budget = { daily: dailyCap };
        config.server.underPressure.maxEventLoopDelayMs = 0;
      },
    });
    for (let call = 0; call < 3; call += 1) expect((await quote(gateway)).json().meta.provider).toBe('polygon');
    const skipped = (await quote(gateway)).json().meta;
    expect(skipped.provider).toBe('finnhub');
    expect(skipped.attempts[0]).toEqual({
      provider: 'polygon',
      outcome: 'budget-skip',
      ms: 0,
      detail: `day budget spent (${dailyCap} of ${dailyCap})`,
    });
    expect((await polygonView(gateway)).budget).toEqual([
      { period: 'day', limit: dailyCap, spent: dailyCap, skipped: true },
    ]);
    const metrics = (await gateway.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`gateway_vendor_spend{vendor="polygon",period="day"} ${dailyCap}`);
    expect(metrics).toContain(`gateway_vendor_budget{vendor="polygon",period="day"} ${dailyCap}`);
    expect(gateway.logs()).toContain('"event":"budgetWarning"');
    expect(gateway.logs()).toContain('"event":"budgetExhausted"');
  });
});

describe.skipIf(!redisServerAvailable)('spend caps shared through Redis (real redis-server)', () => {
  const redis = useRedisServer();

  const instance = () =>
    buildTestGateway({
      adjust: (config) => {
        // Syncs are made by hand below; a slow interval keeps the shared view valid on a loaded machine (3 intervals),
        // and no load shedding answers 503 there.
        config.store = { redisUrl: redis.url, keyPrefix: 'budget', commandTimeoutMs: 50, syncIntervalMs: 1_000 };
        config.server.underPressure.maxEventLoopDelayMs = 0;
        config.providers.polygon!.budget = { daily: dailyCap };
      },
    });

  it('skips a vendor on every instance once the instances together have spent its daily cap', async () => {
    const a = await instance();
    const b = await instance();
    await untilStoreReady(a);
    await untilStoreReady(b);
    // Two calls on A and one on B: neither alone reaches the cap.
    for (const gateway of [a, a, b]) expect((await quote(gateway)).json().meta.provider).toBe('polygon');
    await a.app.router.store.sync();
    await b.app.router.store.sync();
    await a.app.router.store.sync();
    for (const gateway of [a, b]) {
      const meta = (await quote(gateway)).json().meta;
      expect(meta.provider).toBe('finnhub');
      expect(meta.attempts[0]).toMatchObject({ provider: 'polygon', outcome: 'budget-skip' });
      expect((await polygonView(gateway)).budget).toEqual([
        { period: 'day', limit: dailyCap, spent: dailyCap, skipped: true },
      ]);
    }
  });
});
