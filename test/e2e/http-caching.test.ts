import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { hashClientKey } from '../../src/config/env-overrides.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const ttlMs = 10_000;
const staleIfErrorMs = 60_000;
const clientKey = 'mdg_http-caching-key-for-tests-0123';

const gatewayWithCache = (adjust?: (config: GatewayConfig) => void) =>
  buildTestGateway({
    adjust: (config) => {
      config.cache.enabled = true;
      config.cache.ttlMs = { 'stock-quote': ttlMs, 'crypto-price': ttlMs, 'forex-rate': ttlMs };
      config.cache.staleIfErrorMs = staleIfErrorMs;
      adjust?.(config);
    },
  });

const get = (gateway: TestGateway, url: string, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'GET', url, headers });

/** Fakes only the wall clock the cache reads (Date); timers and sockets keep real time. */
function fakeWallClock(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  onTestFinished(() => {
    vi.useRealTimers();
  });
  return (ms) => vi.setSystemTime(Date.now() + ms);
}

async function setFault(gateway: TestGateway, vendor: string, mode: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: `/sandbox/vendors/${vendor}/fault`,
    payload: { mode },
  });
  expect(response.statusCode).toBe(200);
}

describe('HTTP caching headers on data answers', () => {
  it('tells the seconds of freshness left, counting down, with a strong ETag that stays while the data do', async () => {
    const gateway = await gatewayWithCache();
    const advance = fakeWallClock();
    const miss = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(miss.headers['x-cache']).toBe('miss');
    expect(miss.headers['cache-control']).toBe('public, max-age=10, stale-while-revalidate=10, stale-if-error=50');
    expect(miss.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);

    advance(3_500);
    // The plain form is answered by the fast path, the other by the route handler: both say the same.
    for (const url of ['/v1/stocks/AAPL/quote', '/v1/stocks/aapl/quote?']) {
      const hit = await get(gateway, url);
      expect(hit.headers['x-cache']).toBe('hit');
      expect(hit.headers['cache-control']).toBe('public, max-age=6, stale-while-revalidate=10, stale-if-error=50');
      expect(hit.headers.etag).toBe(miss.headers.etag);
    }
  });

  it('answers If-None-Match with 304 and no body, on the fast path and through the handler alike', async () => {
    const gateway = await gatewayWithCache();
    const first = await get(gateway, '/v1/crypto/BTC/price');
    const etag = first.headers.etag as string;
    for (const url of ['/v1/crypto/BTC/price', '/v1/crypto/btc/price?vs=usd']) {
      const revalidated = await get(gateway, url, { 'if-none-match': `"other", ${etag}` });
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.body).toBe('');
      expect(revalidated.headers.etag).toBe(etag);
      expect(revalidated.headers['cache-control']).toMatch(/^public, max-age=\d+,/);
      const changed = await get(gateway, url, { 'if-none-match': '"something-else"' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().data).toEqual(first.json().data);
    }
  });

  it('tells a stale answer is stale (max-age 0) with what is left of its stale windows', async () => {
    const gateway = await gatewayWithCache();
    const advance = fakeWallClock();
    const url = '/v1/stocks/META/quote?provider=polygon';
    await get(gateway, url);
    // The vendor fails from now on: the background refresh a stale answer starts cannot replace the stored answer.
    await setFault(gateway, 'polygon', 'error');
    advance(ttlMs + 4_000);
    const stale = await get(gateway, url);
    expect(stale.headers['x-cache']).toBe('stale');
    expect(stale.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=6, stale-if-error=46');

    // Past the stale-while-revalidate window: the last good answer (stale-if-error).
    advance(30_000);
    const fallback = await get(gateway, url);
    expect([fallback.statusCode, fallback.headers['x-cache']]).toEqual([200, 'stale']);
    expect(fallback.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=0, stale-if-error=16');
  });

  it('keeps an answer to a caller with a key private: a shared cache would not check the next caller', async () => {
    const gateway = await gatewayWithCache((config) => {
      config.auth.mode = 'keys';
      config.auth.keys = [{ name: 'web', sha256: hashClientKey(clientKey), scopes: ['data'] }];
    });
    await get(gateway, '/v1/stocks/MSFT/quote', { 'x-api-key': clientKey });
    const hit = await get(gateway, '/v1/stocks/MSFT/quote', { 'x-api-key': clientKey });
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.headers['cache-control']).toMatch(
      /^private, max-age=\d+, stale-while-revalidate=10, stale-if-error=50$/,
    );
    const refused = await get(gateway, '/v1/stocks/MSFT/quote');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('lets no cache keep errors, answers that skipped the cache, operator routes or probes', async () => {
    const gateway = await gatewayWithCache((config) => (config.cache.ttlMs['stock-candles'] = 0));
    await setFault(gateway, 'polygon', 'error');
    const failed = await get(gateway, '/v1/stocks/NVDA/quote?provider=polygon');
    const uncached = await get(gateway, '/v1/stocks/AAPL/candles?interval=1d');
    const notFound = await get(gateway, '/v1/nowhere');
    const invalid = await get(gateway, '/v1/stocks/NOT%20A%20SYMBOL/quote');
    for (const response of [failed, notFound, invalid]) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
    }
    expect(uncached.statusCode).toBe(200);
    expect(uncached.headers['cache-control']).toBe('no-store');
    for (const url of ['/health', '/ready', '/v1/providers', '/metrics']) {
      expect((await get(gateway, url)).headers['cache-control'], url).toBe('no-store');
    }
  });
});
