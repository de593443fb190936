import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await buildTestGateway({
    scope: 'manual',
    adjust: (config) => (config.providers.marketstack!.enabled = false),
  });
});
afterAll(async () => closeTestGateway(gateway));

const get = (url: string, headers: Record<string, string> = {}) => gateway.app.inject({ method: 'GET', url, headers });

describe('GET /v1/stocks/:symbol/quote', () => {
  it('answers from the tier-1 vendor with the envelope and headers', async () => {
    const response = await get('/v1/stocks/aapl/quote');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.data).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(typeof body.data.price).toBe('number');
    expect(body.meta).toMatchObject({
      provider: 'polygon',
      cache: 'miss',
      requestId: response.headers['x-request-id'],
    });
    expect(body.meta.attempts).toEqual([{ provider: 'polygon', outcome: 'ok', ms: expect.any(Number) }]);
    expect(response.headers['x-provider']).toBe('polygon');
    expect(response.headers['x-cache']).toBe('miss');
  });

  it('echoes a safe client X-Request-Id and replaces an unsafe one', async () => {
    expect((await get('/v1/stocks/AAPL/quote', { 'x-request-id': 'client-42' })).headers['x-request-id']).toBe(
      'client-42',
    );
    const unsafe = await get('/v1/stocks/AAPL/quote', { 'x-request-id': 'bad id\twith spaces' });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pins a vendor with provider=', async () => {
    const response = await get('/v1/stocks/MSFT/quote?provider=finnhub');
    expect(response.statusCode).toBe(200);
    expect(response.json().meta.provider).toBe('finnhub');
    expect(response.json().data.volume).toBeNull();
  });

  it('answers 404 when the vendors agree the symbol is unknown', async () => {
    const response = await get('/v1/stocks/ZZZNOPE/quote');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status: 404, title: 'Not found', instance: '/v1/stocks/ZZZNOPE/quote' });
    expect(problem.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['not-found', 'not-found']);
  });

  it.each([
    ['/v1/stocks/AA%20PL/quote', 'symbol'],
    ['/v1/stocks/ABCDEFGHIJKLMNOPQRSTUV/quote', 'symbol'],
    ['/v1/stocks/.../quote', 'symbol'],
    ['/v1/stocks/BRK..B/quote', 'symbol'],
    [`/v1/stocks/${encodeURIComponent('ﬃ'.repeat(20))}/quote`, 'symbol'],
    ['/v1/stocks/quotes?symbols=AAPL,..', 'symbols'],
    ['/v1/stocks/AAPL/candles?to=0001-01-05', 'to'],
    ['/v1/stocks/AAPL/quote?providr=polygon', 'providr'],
    ['/v1/stocks/AAPL/quote?provider=Polygon!', 'provider'],
  ])('answers 400 naming the field for %s', async (url, field) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.errors[0].field).toBe(field);
    expect(problem.detail).toContain(field);
  });

  it('answers 400 for an unknown pinned vendor and names it', async () => {
    const response = await get('/v1/stocks/AAPL/quote?provider=acme');
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain('acme');
  });

  it('answers 503 for a pinned vendor that is disabled, with the reason', async () => {
    const response = await get('/v1/stocks/AAPL/quote?provider=marketstack');
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('marketstack');
  });

  it('rejects an unknown X-Priority', async () => {
    const response = await get('/v1/stocks/AAPL/quote', { 'x-priority': 'urgent' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'header', field: 'x-priority' });
  });
});

describe('GET /v1/stocks/quotes', () => {
  it('answers a watchlist with one batch call and lists unknown symbols as missing', async () => {
    const polygon = gateway.sandbox.simulators.find((simulator) => simulator.vendor === 'polygon');
    const before = polygon?.requestCount ?? 0;
    const response = await get('/v1/stocks/quotes?symbols=AAPL,msft,ZZZX,AAPL');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data.quotes.map((quote: { symbol: string }) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(data.missing).toEqual(['ZZZX']);
    expect(meta.provider).toBe('polygon');
    expect((polygon?.requestCount ?? 0) - before).toBe(1);
  });

  it('fans out single quotes, one call per symbol, when the vendor has no batch endpoint', async () => {
    const finnhub = gateway.sandbox.simulators.find((simulator) => simulator.vendor === 'finnhub');
    const before = finnhub?.requestCount ?? 0;
    const response = await get('/v1/stocks/quotes?symbols=AAPL,MSFT,ZZZQ&provider=finnhub');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data.quotes.map((quote: { symbol: string }) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(data.missing).toEqual(['ZZZQ']);
    expect(meta.provider).toBe('finnhub');
    expect((finnhub?.requestCount ?? 0) - before).toBe(3);
  });

  it.each([
    ['/v1/stocks/quotes', 'symbols'],
    ['/v1/stocks/quotes?symbols=', 'symbols'],
    ['/v1/stocks/quotes?symbols=AAPL,,MSFT', 'symbols'],
    [`/v1/stocks/quotes?symbols=${Array.from({ length: 51 }, (_, index) => `S${index}`).join(',')}`, 'symbols'],
  ])('answers 400 for %s', async (url, field) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe(field);
  });
});

describe('GET /v1/stocks/:symbol/candles', () => {
  it('answers daily bars labelled with their trading date, ascending', async () => {
    const response = await get('/v1/stocks/AAPL/candles?interval=1d&from=2026-11-02&to=2026-11-06');
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data).toMatchObject({ symbol: 'AAPL', interval: '1d', adjusted: true });
    expect(data.candles.length).toBeGreaterThan(0);
    for (const candle of data.candles) expect(candle.time).toMatch(/T00:00:00\.000Z$/);
    const times = data.candles.map((candle: { time: string }) => candle.time);
    expect([...times].sort()).toEqual(times);
  });

  it('echoes adjusted=false', async () => {
    const response = await get('/v1/stocks/AAPL/candles?interval=1d&from=2026-11-02&to=2026-11-06&adjusted=false');
    expect(response.statusCode).toBe(200);
    expect(response.json().data.adjusted).toBe(false);
  });

  it.each([
    ['?interval=2h', 'interval'],
    ['?from=2026-11-10&to=2026-11-01', 'from'],
    ['?from=2026-13-01', 'from'],
    ['?from=yesterday', 'from'],
    ['?adjusted=maybe', 'adjusted'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await get(`/v1/stocks/AAPL/candles${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe(field);
  });

  it('refuses a range too long for the interval, naming from', async () => {
    const response = await get('/v1/stocks/AAPL/candles?interval=1m&from=2026-01-01&to=2026-03-01');
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/^query from: interval 1m allows at most 7 days/);
  });
});
