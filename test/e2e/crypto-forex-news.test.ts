import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await buildTestGateway({ scope: 'manual' });
});
afterAll(async () => closeTestGateway(gateway));

const get = (url: string) => gateway.app.inject({ method: 'GET', url });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('GET /v1/crypto/:symbol/price', () => {
  it('answers from coingecko by ticker, never a coin id', async () => {
    const response = await get('/v1/crypto/btc/price');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data).toMatchObject({ symbol: 'BTC', vs: 'USD' });
    expect(data.price).toBeGreaterThan(0);
    expect(meta.provider).toBe('coingecko');
  });

  it('answers from polygon when pinned', async () => {
    const response = await get('/v1/crypto/ETH/price?vs=usd&provider=polygon');
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ symbol: 'ETH', vs: 'USD', marketCap: null });
  });

  it('answers 400 for a malformed quote currency', async () => {
    const response = await get('/v1/crypto/BTC/price?vs=US');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('vs');
  });
});

describe('GET /v1/crypto/:symbol/candles', () => {
  it('answers 4-hour bars ascending', async () => {
    const response = await get(`/v1/crypto/BTC/candles?interval=4h&from=${daysAgo(5)}&to=${daysAgo(0)}`);
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data).toMatchObject({ symbol: 'BTC', vs: 'USD', interval: '4h' });
    expect(data.candles.length).toBeGreaterThan(0);
    const times = data.candles.map((candle: { time: string }) => candle.time);
    expect([...times].sort()).toEqual(times);
  });

  it('answers daily bars from polygon, which coingecko cannot serve', async () => {
    const response = await get(`/v1/crypto/BTC/candles?interval=1d&from=${daysAgo(10)}&to=${daysAgo(1)}`);
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(meta.provider).toBe('polygon');
    expect(meta.attempts[0]).toMatchObject({ provider: 'coingecko', outcome: 'unsupported' });
    for (const candle of data.candles) expect(candle.time).toMatch(/T00:00:00\.000Z$/);
  });
});

describe('options no vendor serves', () => {
  it('answers 400 when every vendor asked is unsupported, without calling any', async () => {
    const coingecko = gateway.sandbox.simulators.find((simulator) => simulator.vendor === 'coingecko');
    const before = coingecko?.requestCount ?? 0;
    const response = await get('/v1/crypto/BTC/candles?interval=1m&provider=coingecko');
    expect(response.statusCode).toBe(400);
    expect(response.json().attempts).toEqual([
      { provider: 'coingecko', outcome: 'unsupported', ms: expect.any(Number), detail: expect.any(String) },
    ]);
    expect(coingecko?.requestCount).toBe(before);
  });

  it('skips vendors that cannot serve a language and answers from one that can', async () => {
    const response = await get('/v1/news?symbols=AAPL&language=de');
    expect(response.statusCode).toBe(200);
    const { meta } = response.json();
    expect(meta.provider).toBe('gnews');
    expect(meta.attempts.slice(0, -1).every((attempt: { outcome: string }) => attempt.outcome === 'unsupported')).toBe(
      true,
    );
  });
});

describe('GET /v1/forex/:base/:quote', () => {
  it('answers a rate from the tier-1 vendor', async () => {
    const response = await get('/v1/forex/eur/usd');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data).toMatchObject({ base: 'EUR', quote: 'USD' });
    expect(data.rate).toBeGreaterThan(0);
    expect(meta.provider).toBe('polygon');
  });

  it('answers from finnhub when pinned', async () => {
    const response = await get('/v1/forex/EUR/GBP?provider=finnhub');
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ base: 'EUR', quote: 'GBP', asOf: null });
  });

  it('answers 400 for a currency that is not three letters', async () => {
    const response = await get('/v1/forex/EURO/USD');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'path', field: 'base' });
  });
});

describe('GET /v1/news', () => {
  it('answers 400 naming q for a search with a control character in it', async () => {
    const response = await get('/v1/news?q=apple%00earnings');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ detail: 'query q: may not contain control characters' });
  });

  it('answers news by symbol with stable ids and tagged symbols', async () => {
    const first = await get('/v1/news?symbols=AAPL&limit=5');
    expect(first.statusCode).toBe(200);
    const { data, meta } = first.json();
    expect(meta.provider).toBe('polygon');
    expect(data.articles.length).toBeGreaterThan(0);
    expect(data.articles.length).toBeLessThanOrEqual(5);
    expect(data.articles[0].symbols).toContain('AAPL');
    const second = await get('/v1/news?symbols=AAPL&limit=5');
    expect(second.json().data.articles.map((article: { id: string }) => article.id)).toEqual(
      data.articles.map((article: { id: string }) => article.id),
    );
  });

  it('answers a keyword search from a vendor that can search, without duplicate URLs', async () => {
    const response = await get('/v1/news?q=earnings&limit=20');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(meta.provider).toBe('gnews');
    const urls = data.articles.map((article: { url: string }) => article.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).not.toContain('https://removed.com');
  });

  it('answers the latest headlines when neither symbols nor q is given', async () => {
    const response = await get('/v1/news?limit=3');
    expect(response.statusCode).toBe(200);
    expect(response.json().data.articles.length).toBeLessThanOrEqual(3);
  });

  it('answers each news vendor when pinned', async () => {
    for (const provider of ['polygon', 'finnhub', 'newsapi']) {
      const response = await get(`/v1/news?symbols=MSFT&provider=${provider}`);
      expect(response.statusCode, provider).toBe(200);
      expect(response.json().meta.provider).toBe(provider);
    }
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?symbols=AAPL&q=apple', 'q'],
    ['?q=', 'q'],
    ['?language=english', 'language'],
    ['?from=2026-11-10&to=2026-11-01', 'from'],
    ['?symbol=AAPL', 'symbol'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await get(`/v1/news${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe(field);
  });
});
