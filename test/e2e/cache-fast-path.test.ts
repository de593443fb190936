import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseCache } from '../../src/cache/response-cache.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const gatewayWithCache = (adjust?: (config: GatewayConfig) => void) =>
  buildTestGateway({
    adjust: (config) => {
      config.cache.enabled = true;
      adjust?.(config);
    },
  });

const get = (gateway: TestGateway, url: string, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'GET', url, headers });

/** Counts how requests reached the cache: the fast path asks `hit`, the route handler asks `serve`. */
function watchCachePaths() {
  const hit = vi.spyOn(ResponseCache.prototype, 'hit');
  const serve = vi.spyOn(ResponseCache.prototype, 'serve');
  return {
    fastHits: () => hit.mock.results.filter((result) => result.value !== undefined).length,
    handled: () => serve.mock.calls.length,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cache hits answered before validation (the fast path)', () => {
  it.each([
    ['stock quote', '/v1/stocks/AAPL/quote', '/v1/stocks/aapl/quote?'],
    ['crypto price', '/v1/crypto/BTC/price', '/v1/crypto/btc/price?vs=usd'],
    ['forex rate', '/v1/forex/EUR/USD', '/v1/forex/eur/usd?'],
  ])('answers a fresh %s as the route handler would, JSON and headers alike', async (_name, plain, equivalent) => {
    const gateway = await gatewayWithCache();
    const paths = watchCachePaths();
    const miss = await get(gateway, plain);
    expect(miss.headers['x-cache']).toBe('miss');
    expect(paths.handled()).toBe(1);

    const fast = await get(gateway, plain);
    expect(paths.fastHits()).toBe(1);
    expect(paths.handled()).toBe(1);
    const handled = await get(gateway, equivalent);
    expect(paths.fastHits()).toBe(1);
    expect(paths.handled()).toBe(2);

    for (const response of [miss, fast, handled]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers['x-request-id']).toBe(response.json().meta.requestId);
    }
    for (const response of [fast, handled]) {
      expect(response.headers['x-cache']).toBe('hit');
      expect(response.headers['x-provider']).toBe(miss.headers['x-provider']);
    }
    const { meta: fastMeta, ...fastRest } = fast.json();
    const { meta: handledMeta, ...handledRest } = handled.json();
    expect(fastRest).toEqual(handledRest);
    expect(fastRest.data).toEqual(miss.json().data);
    const comparable = ({ requestId: _id, latencyMs: _latency, ageMs, ...rest }: Record<string, unknown>) => ({
      ...rest,
      hasAge: typeof ageMs === 'number',
    });
    expect(comparable(fastMeta)).toEqual(comparable(handledMeta));
    expect(comparable(fastMeta)).toEqual({
      provider: miss.headers['x-provider'],
      cache: 'hit',
      attempts: [],
      hasAge: true,
    });
  });

  it('leaves to validation and the handler what the plain form does not cover, even with a fresh entry', async () => {
    const gateway = await gatewayWithCache();
    expect((await get(gateway, '/v1/stocks/AAPL/quote')).headers['x-cache']).toBe('miss');
    const paths = watchCachePaths();

    const badPriority = await get(gateway, '/v1/stocks/AAPL/quote', { 'x-priority': 'urgent' });
    expect(badPriority.statusCode).toBe(400);
    expect(badPriority.headers['content-type']).toMatch(/^application\/problem\+json/);
    const noCache = await get(gateway, '/v1/stocks/AAPL/quote', { 'cache-control': 'no-cache' });
    expect(noCache.headers['x-cache']).toBe('miss');
    const unknownParameter = await get(gateway, '/v1/stocks/AAPL/quote?colour=red');
    expect(unknownParameter.statusCode).toBe(400);
    const tooLong = await get(gateway, `/v1/stocks/${'A'.repeat(21)}/quote`);
    expect(tooLong.statusCode).toBe(400);
    expect(paths.fastHits()).toBe(0);
    expect(paths.handled()).toBe(1);
  });

  it('still counts fast hits against the client rate limit, in metrics and in the request log', async () => {
    const gateway = await gatewayWithCache((config) => {
      config.server.clientRateLimit = { enabled: true, max: 3, windowMs: 60_000 };
    });
    const paths = watchCachePaths();
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await get(gateway, '/v1/stocks/AAPL/quote')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(paths.fastHits()).toBe(2);

    const metrics = (await get(gateway, '/metrics')).body;
    expect(metrics).toMatch(
      /gateway_http_requests_total\{route="\/v1\/stocks\/:symbol\/quote",method="GET",status="200"\} 3/,
    );
    expect(metrics).toMatch(/gateway_cache_results_total\{capability="stock-quote",result="hit"\} 2/);
    const completed = gateway
      .logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request completed' && line.cache === 'hit');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatchObject({ route: '/v1/stocks/:symbol/quote', status: 200, provider: 'polygon' });
  });
});
