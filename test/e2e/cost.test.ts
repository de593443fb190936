import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

describe('cost accounting and the cost strategy', () => {
  it('sends everything to the cheaper of two healthy vendors until its quota runs low, and counts what it cost', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.routing.strategyByCapability = { 'stock-quote': 'cost' };
        for (const name of ['marketstack', 'twelvedata']) config.providers[name]!.enabled = false;
        config.providers.polygon!.costPerCall = 0.003;
        config.providers.finnhub!.costPerCall = 0.001;
        config.providers.finnhub!.rateLimit = { perMinute: 20, maxConcurrent: 5, maxQueue: 10 };
      },
    });
    const providers: string[] = [];
    // Distinct symbols: every request reaches a vendor whatever the response cache holds.
    for (let i = 0; i < 24; i += 1) {
      const response = await gateway.app.inject({ method: 'GET', url: `/v1/stocks/SYM${i}/quote` });
      expect(response.statusCode).toBe(200);
      providers.push(response.json().meta.provider);
    }
    // 19 of finnhub's 20 calls a minute, then the dearer vendor: the last call is kept for failover.
    expect(providers).toEqual([...Array<string>(19).fill('finnhub'), ...Array<string>(5).fill('polygon')]);

    const listed = (await gateway.app.inject({ method: 'GET', url: '/v1/providers' })).json().data as {
      name: string;
      usageToday: Record<string, { calls: number; cost: number }>;
    }[];
    const usage = Object.fromEntries(listed.map((entry) => [entry.name, entry.usageToday]));
    expect(usage.finnhub).toEqual({ 'stock-quote': { calls: 19, cost: 0.019 } });
    expect(usage.polygon).toEqual({ 'stock-quote': { calls: 5, cost: 0.015 } });

    const metrics = (await gateway.app.inject({ method: 'GET', url: '/metrics' })).body;
    const costOf = (vendor: string) =>
      Number(
        new RegExp(`^gateway_vendor_cost_total\\{vendor="${vendor}",capability="stock-quote"\\} (\\S+)$`, 'm').exec(
          metrics,
        )?.[1],
      );
    expect(costOf('finnhub')).toBeCloseTo(0.019, 9);
    expect(costOf('polygon')).toBeCloseTo(0.015, 9);
  });
});
