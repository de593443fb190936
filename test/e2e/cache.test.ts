import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';

/** The test helper turns the cache off for the routing tests; these turn it on. */
const gatewayWithCache = (adjust?: (config: GatewayConfig) => void) =>
  buildTestGateway({
    adjust: (config) => {
      config.cache.enabled = true;
      adjust?.(config);
    },
  });

const get = (gateway: TestGateway, url: string, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'GET', url, headers });

const vendorCalls = (gateway: TestGateway, vendor: string) =>
  gateway.sandbox.simulators.find((simulator) => simulator.vendor === vendor)?.requestCount ?? 0;

async function setFault(gateway: TestGateway, vendor: string, mode: string, delayMs = 0) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: `/sandbox/vendors/${vendor}/fault`,
    payload: { mode, delayMs },
  });
  expect(response.statusCode).toBe(200);
}

/** Fakes only the wall clock the cache reads (Date); timers, sockets and deadlines keep real time. */
function fakeWallClock(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  onTestFinished(() => {
    vi.useRealTimers();
  });
  return (ms) => vi.setSystemTime(Date.now() + ms);
}

describe('the response cache, end to end', () => {
  it('answers a repeated quote from the cache: X-Cache miss, then hit with its age, one vendor call', async () => {
    const gateway = await gatewayWithCache();
    const before = vendorCalls(gateway, 'polygon');
    const first = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(first.headers['x-cache']).toBe('miss');
    const second = await get(gateway, '/v1/stocks/aapl/quote');
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.headers['x-provider']).toBe('polygon');
    const { data, meta } = second.json();
    expect(data).toEqual(first.json().data);
    expect(meta).toMatchObject({ cache: 'hit', provider: 'polygon', attempts: [] });
    expect(meta.ageMs).toBeGreaterThanOrEqual(0);
    expect(first.json().meta.ageMs).toBeUndefined();
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
  });

  it('shares one entry between equivalent requests: case, parameter order and defaults filled in', async () => {
    const gateway = await gatewayWithCache();
    expect((await get(gateway, '/v1/crypto/btc/price')).headers['x-cache']).toBe('miss');
    expect((await get(gateway, '/v1/crypto/BTC/price?vs=usd')).headers['x-cache']).toBe('hit');
    const candles = '/v1/stocks/aapl/candles?from=2026-11-02&to=2026-11-06';
    expect((await get(gateway, candles)).headers['x-cache']).toBe('miss');
    const reordered = '/v1/stocks/AAPL/candles?to=2026-11-06&adjusted=true&interval=1d&from=2026-11-02';
    expect((await get(gateway, reordered)).headers['x-cache']).toBe('hit');
    expect((await get(gateway, `${reordered}&provider=polygon`)).headers['x-cache']).toBe('miss');
  });

  it('asks the vendor again on Cache-Control: no-cache and keeps that answer for the next request', async () => {
    const gateway = await gatewayWithCache();
    await get(gateway, '/v1/forex/EUR/USD');
    const before = vendorCalls(gateway, 'polygon');
    const fresh = await get(gateway, '/v1/forex/EUR/USD', { 'cache-control': 'no-cache' });
    expect(fresh.headers['x-cache']).toBe('miss');
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
    const next = await get(gateway, '/v1/forex/EUR/USD');
    expect(next.headers['x-cache']).toBe('hit');
    expect(next.json().data).toEqual(fresh.json().data);
  });

  it('makes one vendor call for 50 identical concurrent requests; the others are coalesced', async () => {
    const gateway = await gatewayWithCache();
    await setFault(gateway, 'polygon', 'slow', 200);
    const before = vendorCalls(gateway, 'polygon');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => get(gateway, '/v1/stocks/NVDA/quote?provider=polygon')),
    );
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
    expect(responses.map((response) => response.statusCode)).toEqual(Array<number>(50).fill(200));
    const statuses = responses.map((response) => response.headers['x-cache']);
    expect(statuses.filter((status) => status === 'miss')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'coalesced')).toHaveLength(49);
    const prices = new Set(responses.map((response) => response.json().data.price));
    expect(prices.size).toBe(1);
  });

  it('gives every waiter the same problem+json when the shared call fails, and caches no error', async () => {
    const gateway = await gatewayWithCache((config) => (config.providers.polygon!.timeoutMs = 200));
    await setFault(gateway, 'polygon', 'hang');
    const before = vendorCalls(gateway, 'polygon');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => get(gateway, '/v1/stocks/MSFT/quote?provider=polygon')),
    );
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
    for (const response of responses) {
      expect(response.statusCode).toBe(502);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        title: 'Every vendor failed',
        instance: '/v1/stocks/MSFT/quote',
        attempts: [{ provider: 'polygon', outcome: 'timeout' }],
      });
    }
    await setFault(gateway, 'polygon', 'ok');
    expect((await get(gateway, '/v1/stocks/MSFT/quote?provider=polygon')).headers['x-cache']).toBe('miss');
  });

  it('lets a client go away without cancelling the shared call: the request that waited with it still gets it', async () => {
    const gateway = await gatewayWithCache();
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const address = gateway.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await setFault(gateway, 'polygon', 'slow', 300);
    const url = `${base}/v1/stocks/TSLA/quote?provider=polygon`;
    const before = vendorCalls(gateway, 'polygon');

    const leaving = http.get(url);
    leaving.on('error', () => undefined);
    await expect.poll(() => vendorCalls(gateway, 'polygon') - before, { interval: 5 }).toBe(1);
    const staying = new Promise<{ status: number; cache: string }>((resolve, reject) => {
      http
        .get(url, (response) => {
          response.resume();
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, cache: String(response.headers['x-cache']) }),
          );
        })
        .on('error', reject);
    });
    leaving.destroy();

    expect(await staying).toEqual({ status: 200, cache: 'coalesced' });
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
  });

  it('serves a quote past its TTL at once, marked stale, and refreshes it with one background call', async () => {
    const gateway = await gatewayWithCache();
    const advance = fakeWallClock();
    await get(gateway, '/v1/stocks/AMZN/quote?provider=polygon');
    const before = vendorCalls(gateway, 'polygon');
    advance(gateway.config.cache.ttlMs['stock-quote']! + 1_000);
    const stale = await get(gateway, '/v1/stocks/AMZN/quote?provider=polygon');
    expect(stale.headers['x-cache']).toBe('stale');
    expect(stale.json().meta.ageMs).toBe(gateway.config.cache.ttlMs['stock-quote']! + 1_000);
    await expect
      .poll(async () => (await get(gateway, '/v1/stocks/AMZN/quote?provider=polygon')).headers['x-cache'])
      .toBe('hit');
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
  });

  it('serves the last good answer, stale with its age and the failed attempts, when every vendor fails', async () => {
    const gateway = await gatewayWithCache();
    const advance = fakeWallClock();
    const good = await get(gateway, '/v1/stocks/META/quote?provider=polygon');
    advance(60_000);
    await setFault(gateway, 'polygon', 'error');
    const response = await get(gateway, '/v1/stocks/META/quote?provider=polygon');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-cache']).toBe('stale');
    const { data, meta } = response.json();
    expect(data).toEqual(good.json().data);
    expect(meta).toMatchObject({
      cache: 'stale',
      ageMs: 60_000,
      provider: 'polygon',
      attempts: [{ provider: 'polygon', outcome: 'unavailable' }],
    });
    advance(gateway.config.cache.staleIfErrorMs);
    expect((await get(gateway, '/v1/stocks/META/quote?provider=polygon')).statusCode).toBe(502);
  });

  it('caches a watchlist per symbol: one batch call for the symbols not cached, the asked order kept', async () => {
    const gateway = await gatewayWithCache((config) => (config.providers.marketstack!.enabled = false));
    await get(gateway, '/v1/stocks/AAPL/quote');
    const before = vendorCalls(gateway, 'polygon');
    const response = await get(gateway, '/v1/stocks/quotes?symbols=NVDA,aapl,MSFT,ZZZQ');
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data.quotes.map((quote: { symbol: string }) => quote.symbol)).toEqual(['NVDA', 'AAPL', 'MSFT']);
    expect(data.missing).toEqual(['ZZZQ']);
    expect(meta).toMatchObject({ cache: 'miss', provider: 'polygon' });
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
    expect((await get(gateway, '/v1/stocks/MSFT/quote')).headers['x-cache']).toBe('hit');
    const again = await get(gateway, '/v1/stocks/quotes?symbols=MSFT,NVDA');
    expect(again.json().meta).toMatchObject({ cache: 'hit', attempts: [] });
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
  });

  it('answers an unknown symbol the vendors agreed on 404 from memory: no vendor call for a typo asked again', async () => {
    const gateway = await gatewayWithCache((config) => (config.providers.marketstack!.enabled = false));
    const allCalls = () => gateway.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0);
    let before = allCalls();
    const first = await get(gateway, '/v1/stocks/ZZZTYPO/quote');
    expect(first.statusCode).toBe(404);
    expect(first.json().attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual([
      'not-found',
      'not-found',
    ]);
    expect(allCalls() - before).toBe(2);
    before = allCalls();
    for (const url of ['/v1/stocks/ZZZTYPO/quote', '/v1/stocks/zzztypo/quote', '/v1/stocks/ZZZTYPO/quote']) {
      const again = await get(gateway, url);
      expect(again.statusCode).toBe(404);
      expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(again.json()).toMatchObject({ type: 'urn:market-data-gateway:problem:not-found', status: 404 });
      expect(again.json().detail).toMatch(/remembered/);
      expect(again.json().attempts).toBeUndefined();
    }
    expect(allCalls() - before).toBe(0);

    // A watchlist of typos: the first ask spends vendor calls, the next asks none, per symbol.
    const watchlist = '/v1/stocks/quotes?symbols=AAPL,ZZZONE,ZZZTWO,ZZZTYPO';
    const listed = await get(gateway, watchlist);
    expect(listed.json().data.missing).toEqual(['ZZZONE', 'ZZZTWO', 'ZZZTYPO']);
    before = allCalls();
    for (let ask = 0; ask < 5; ask += 1) {
      const again = await get(gateway, watchlist);
      expect(again.statusCode).toBe(200);
      expect(again.json().data.missing).toEqual(['ZZZONE', 'ZZZTWO', 'ZZZTYPO']);
    }
    expect(allCalls() - before).toBe(0);
    // Cache-Control: no-cache asks the vendors again.
    await get(gateway, '/v1/stocks/ZZZTYPO/quote', { 'cache-control': 'no-cache' });
    expect(allCalls() - before).toBe(2);
  });
});

describe('market hours', () => {
  /**
   * A gateway with market hours on, its clock at noon in New York on Saturday 12 December 2026: the stock market opens
   * Monday at 09:30 (14:30Z).
   */
  const onSaturdayNoon = () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-12T17:00:00Z') });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    return gatewayWithCache((config) => (config.cache.marketClosedMaxTtlMs = 4 * 86_400_000));
  };

  it('keeps a stock quote asked while the market is closed fresh until the next session, and says so', async () => {
    const gateway = await onSaturdayNoon();
    const first = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(first.json().meta).toMatchObject({ cache: 'miss', marketClosed: true });
    vi.setSystemTime(Date.parse('2026-12-14T14:29:00Z'));
    const sunday = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(sunday.json().meta).toMatchObject({ cache: 'hit', marketClosed: true });
    expect(vendorCalls(gateway, 'polygon')).toBe(1);
    // Once the session opens the quote is asked for again, and fresh for its usual TTL only.
    vi.setSystemTime(Date.parse('2026-12-14T14:30:00Z') + 10_001);
    const monday = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(monday.json().meta.cache).not.toBe('hit');
    expect(monday.json().meta.marketClosed).toBeUndefined();
    expect(vendorCalls(gateway, 'polygon')).toBe(2);
  });

  it('keeps crypto on its usual TTL at the weekend: it trades around the clock', async () => {
    const gateway = await onSaturdayNoon();
    const first = await get(gateway, '/v1/crypto/BTC/price');
    expect(first.statusCode).toBe(200);
    expect(first.json().meta.marketClosed).toBeUndefined();
  });
});

describe.skipIf(!redisServerAvailable)('the response cache shared through Redis (real redis-server)', () => {
  let redis: TestRedis;
  let lost: TestRedis;
  beforeAll(async () => {
    [redis, lost] = await Promise.all([startRedis(), startRedis()]);
  });
  afterAll(async () => Promise.all([redis.stop(), lost.stop()]));

  const instance = (redisUrl: string, keyPrefix: string) =>
    gatewayWithCache((config) => {
      config.store = { redisUrl, keyPrefix, commandTimeoutMs: 50, syncIntervalMs: 100 };
    });

  it("answers from another instance's answer in Redis without calling a vendor", async () => {
    const a = await instance(redis.url, 'cache-shared');
    const b = await instance(redis.url, 'cache-shared');
    await untilStoreReady(a);
    await untilStoreReady(b);
    expect((await get(a, '/v1/stocks/GOOG/quote')).headers['x-cache']).toBe('miss');
    const client = new Redis(redis.url);
    onTestFinished(() => {
      client.disconnect();
    });
    await expect.poll(async () => (await client.keys('cache-shared:cache:*')).length, { interval: 10 }).toBe(1);

    const callsAtB = b.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0);
    const fromRedis = await get(b, '/v1/stocks/GOOG/quote');
    expect(fromRedis.headers['x-cache']).toBe('hit');
    expect(fromRedis.json().meta.provider).toBe('polygon');
    expect(b.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0)).toBe(callsAtB);
  });

  const calls = (gateway: TestGateway) =>
    gateway.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0);
  const slowPolygon = (gateway: TestGateway, mode: string, delayMs = 0) =>
    gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode, delayMs } });
  /** Resolves once some instance holds the fetch lock of a key under `keyPrefix`. */
  async function untilLocked(keyPrefix: string) {
    const client = new Redis(redis.url);
    onTestFinished(() => {
      client.disconnect();
    });
    await expect.poll(async () => (await client.keys(`${keyPrefix}:fetch-lock:*`)).length, { interval: 10 }).toBe(1);
  }

  it('fetches a key missing everywhere once across instances: the other waits and takes that answer', async () => {
    const a = await instance(redis.url, 'cache-coalesce');
    const b = await instance(redis.url, 'cache-coalesce');
    await untilStoreReady(a);
    await untilStoreReady(b);
    for (const gateway of [a, b]) await slowPolygon(gateway, 'slow', 200);
    const [before, atA] = [calls(a) + calls(b), get(a, '/v1/stocks/HOT/quote')];
    // B asks once A holds the key's fetch lock (A's vendor takes 200 ms).
    await untilLocked('cache-coalesce');
    const atB = await get(b, '/v1/stocks/HOT/quote');
    expect((await atA).headers['x-cache']).toBe('miss');
    expect(atB.statusCode).toBe(200);
    expect(atB.headers['x-cache']).toBe('coalesced');
    expect(atB.json().meta.provider).toBe('polygon');
    expect(atB.json().data).toEqual((await atA).json().data);
    expect(calls(a) + calls(b) - before).toBe(1);
  });

  it('lets the waiting instance fetch for itself when the one fetching fails', async () => {
    const a = await instance(redis.url, 'cache-coalesce-fail');
    const b = await instance(redis.url, 'cache-coalesce-fail');
    await untilStoreReady(a);
    await untilStoreReady(b);
    a.config.providers.polygon!.timeoutMs = 300;
    await slowPolygon(a, 'hang');
    // Pinned to polygon: A has no other vendor to fail over to, and its fetch fails at polygon's 300 ms timeout.
    const atA = get(a, '/v1/stocks/PIN/quote?provider=polygon');
    await untilLocked('cache-coalesce-fail');
    const atB = await get(b, '/v1/stocks/PIN/quote?provider=polygon');
    expect((await atA).statusCode).toBeGreaterThanOrEqual(500);
    expect(atB.statusCode).toBe(200);
    expect(atB.headers['x-cache']).toBe('miss');
  });

  it('keeps answering from the vendors and its own memory while Redis is down', async () => {
    const gateway = await instance(lost.url, 'cache-down');
    await untilStoreReady(gateway);
    await lost.kill();
    const response = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-cache']).toBe('miss');
    expect(response.json().meta.latencyMs).toBeLessThan(1_000);
    expect((await get(gateway, '/v1/stocks/AAPL/quote')).headers['x-cache']).toBe('hit');
    // The metrics store's close waits for Redis: bring it back before the gateway shuts down.
    await lost.restart();
    await untilStoreReady(gateway);
  });
});
