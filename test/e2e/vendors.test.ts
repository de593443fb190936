import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.js';
import type { Capability } from '../../src/core/index.js';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await buildTestGateway({ scope: 'manual' });
});
afterAll(async () => closeTestGateway(gateway));

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** One gateway request per capability, with options every vendor declaring it can serve. */
const requestFor: Record<Capability, string> = {
  'stock-quote': '/v1/stocks/AAPL/quote',
  'stock-quotes': '/v1/stocks/quotes?symbols=AAPL,MSFT',
  'stock-candles': `/v1/stocks/AAPL/candles?interval=1d&from=${daysAgo(14)}&to=${daysAgo(1)}`,
  'crypto-price': '/v1/crypto/BTC/price',
  'crypto-candles': `/v1/crypto/BTC/candles?interval=4h&from=${daysAgo(3)}&to=${daysAgo(0)}`,
  'forex-rate': '/v1/forex/EUR/USD',
  'news-by-symbol': '/v1/news?symbols=AAPL',
  'news-search': '/v1/news?q=earnings',
  'news-latest': '/v1/news',
};

/** What a correct answer must contain, per capability. */
function expectAnswer(capability: Capability, data: Record<string, unknown>) {
  if (capability === 'stock-quote') expect(data).toMatchObject({ symbol: 'AAPL', price: expect.any(Number) });
  if (capability === 'stock-quotes') expect((data.quotes as unknown[]).length).toBe(2);
  if (capability === 'stock-candles' || capability === 'crypto-candles')
    expect((data.candles as unknown[]).length).toBeGreaterThan(0);
  if (capability === 'crypto-price') expect(data).toMatchObject({ symbol: 'BTC', price: expect.any(Number) });
  if (capability === 'forex-rate') expect(data).toMatchObject({ base: 'EUR', quote: 'USD', rate: expect.any(Number) });
  if (capability.startsWith('news')) expect((data.articles as unknown[]).length).toBeGreaterThan(0);
}

const cases = providers.flatMap((adapter) =>
  (Object.keys(adapter.capabilities) as Capability[]).map((capability) => [adapter.name, capability] as const),
);

describe('every vendor through its simulator, pinned with provider=NAME', () => {
  it.each(cases)('%s answers %s', async (vendor, capability) => {
    const url = requestFor[capability];
    const response = await gateway.app.inject({
      method: 'GET',
      url: `${url}${url.includes('?') ? '&' : '?'}provider=${vendor}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { data, meta } = response.json();
    expect(meta.provider).toBe(vendor);
    expectAnswer(capability, data);
  });
});

/** The six things a user asks for, each served by at least three vendors. */
const userCapabilities: Capability[] = [
  'stock-quote',
  'stock-candles',
  'crypto-price',
  'crypto-candles',
  'forex-rate',
  'news-by-symbol',
  'news-search',
  'news-latest',
];

describe('three vendors or more behind every capability', () => {
  it.each(userCapabilities)('%s answers from the third vendor when the top two are down', async (capability) => {
    const serving = gateway.app.router.plan(capability, 'AAPL');
    expect(serving.length, `${capability} vendors: ${serving.join(', ')}`).toBeGreaterThanOrEqual(3);
    const [first, second, third] = serving;
    const local = await buildTestGateway({
      adjust: (config) => (config.providers[first!]!.enabled = false),
    });
    await local.app.inject({
      method: 'POST',
      url: `/sandbox/vendors/${second}/fault`,
      payload: { mode: 'error', delayMs: 0 },
    });
    const response = await local.app.inject({ method: 'GET', url: requestFor[capability] });
    expect(response.statusCode, response.body).toBe(200);
    const { data, meta } = response.json();
    expect(meta.provider).toBe(third);
    expectAnswer(capability, data);
  });
});
