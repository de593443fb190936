import { describe, expect, it, onTestFinished } from 'vitest';
import { hashClientKey } from '../../src/config/env-overrides.js';
import type { ClientKeyConfig, GatewayConfig } from '../../src/config/schema.js';
import { listenAdmin } from '../../src/listen.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';
import { openSse } from '../helpers/sse.js';
import { freePort } from '../../scripts/free-port.js';

const dataKey = 'mdg_data-key-for-tests-0123456789';
const newsKey = 'mdg_news-only-key-for-tests-0123456';
const adminKey = 'mdg_admin-key-for-tests-0123456789';
const keys: ClientKeyConfig[] = [
  { name: 'web', sha256: hashClientKey(dataKey), scopes: ['data'] },
  { name: 'newsroom', sha256: hashClientKey(newsKey), scopes: ['news-latest', 'news-by-symbol', 'news-search'] },
  { name: 'ops', sha256: hashClientKey(adminKey), scopes: ['data', 'operator'] },
];

function withKeys(adjust?: (config: GatewayConfig) => void) {
  return buildTestGateway({
    adjust: (config) => {
      config.auth.mode = 'keys';
      config.auth.keys = keys;
      config.cache.enabled = true;
      adjust?.(config);
    },
  });
}

const as = (key: string) => ({ 'x-api-key': key });
const vendorCalls = (gateway: TestGateway) =>
  gateway.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0);

describe('client keys (auth.mode keys)', () => {
  it('refuses a data request without a key: 401 problem+json with WWW-Authenticate, and no vendor call', async () => {
    const gateway = await withKeys();
    const response = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="market-data-gateway"');
    expect(response.json()).toMatchObject({ status: 401, detail: expect.stringMatching(/X-API-Key/) });
    expect(vendorCalls(gateway)).toBe(0);
  });

  it('refuses an unknown key with 401, and never echoes it', async () => {
    const gateway = await withKeys();
    const response = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as('mdg_not-a-real-key') });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('mdg_not-a-real-key');
  });

  it('accepts a key in X-API-Key or as a Bearer token', async () => {
    const gateway = await withKeys();
    const byHeader = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) });
    const byBearer = await gateway.app.inject({
      url: '/v1/stocks/MSFT/quote',
      headers: { authorization: `Bearer ${dataKey}` },
    });
    expect([byHeader.statusCode, byBearer.statusCode]).toEqual([200, 200]);
  });

  it('keeps liveness, readiness and the API description public', async () => {
    const gateway = await withKeys();
    for (const url of ['/health', '/ready', '/openapi.json', '/docs/']) {
      expect((await gateway.app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it('answers 403 for a capability outside the key scopes, on the handler path and on a cache hit alike', async () => {
    const gateway = await withKeys();
    expect((await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) })).statusCode).toBe(200);
    const fromCache = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(newsKey) });
    expect(fromCache.statusCode).toBe(403);
    expect(fromCache.json()).toMatchObject({ detail: 'this key may not ask for stock-quote' });
    const news = await gateway.app.inject({ url: '/v1/news?symbols=AAPL', headers: as(newsKey) });
    expect(news.statusCode).toBe(200);
  });

  it('lets only operators pin a vendor or raise the priority; others get 403 naming the option', async () => {
    const gateway = await withKeys();
    const pinned = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote?provider=polygon', headers: as(dataKey) });
    expect(pinned.statusCode).toBe(403);
    expect(pinned.json()).toMatchObject({ detail: 'provider: pinning a vendor needs the operator scope' });
    const urgent = await gateway.app.inject({
      url: '/v1/stocks/AAPL/quote',
      headers: { ...as(dataKey), 'x-priority': 'critical' },
    });
    expect(urgent.json()).toMatchObject({ status: 403, detail: 'x-priority: critical needs the operator scope' });
    const low = await gateway.app.inject({
      url: '/v1/stocks/AAPL/quote',
      headers: { ...as(dataKey), 'x-priority': 'low' },
    });
    expect(low.statusCode).toBe(200);
    const asOperator = await gateway.app.inject({
      url: '/v1/stocks/AAPL/quote?provider=polygon',
      headers: { ...as(adminKey), 'x-priority': 'critical' },
    });
    expect(asOperator.statusCode).toBe(200);
  });

  it('serves a non-operator asking for no-cache from the cache; an operator skips it', async () => {
    const gateway = await withKeys();
    await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) });
    const calls = vendorCalls(gateway);
    const client = await gateway.app.inject({
      url: '/v1/stocks/AAPL/quote',
      headers: { ...as(dataKey), 'cache-control': 'no-cache' },
    });
    expect(client.headers['x-cache']).toBe('hit');
    expect(vendorCalls(gateway)).toBe(calls);
    const operator = await gateway.app.inject({
      url: '/v1/stocks/AAPL/quote',
      headers: { ...as(adminKey), 'cache-control': 'no-cache' },
    });
    expect(operator.headers['x-cache']).toBe('miss');
    expect(vendorCalls(gateway)).toBe(calls + 1);
  });

  it('puts the operator surface behind the operator scope: 401 without a key, 403 for a data key', async () => {
    const gateway = await withKeys();
    for (const url of ['/v1/providers', '/v1/providers/polygon/health', '/metrics', '/sandbox/vendors']) {
      expect((await gateway.app.inject({ url })).statusCode, url).toBe(401);
      expect((await gateway.app.inject({ url, headers: as(dataKey) })).statusCode, url).toBe(403);
      expect((await gateway.app.inject({ url, headers: as(adminKey) })).statusCode, url).toBe(200);
    }
  });

  it('counts requests per key: one client over its limit gets 429 with RateLimit headers, another is not slowed', async () => {
    const gateway = await withKeys((config) => {
      config.auth.keys = [{ ...keys[0]!, requestsPerWindow: 2 }, keys[2]!];
    });
    const statuses: number[] = [];
    let last;
    for (let index = 0; index < 3; index += 1) {
      last = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.headers['retry-after']).toMatch(/^\d+$/);
    expect(last!.headers['ratelimit-limit']).toBe('2');
    expect(last!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(adminKey) })).statusCode).toBe(200);
  });

  it('limits what a client may spend on vendors: over it, no vendor call, but cached answers still come', async () => {
    const gateway = await withKeys((config) => {
      config.routing.strategy = 'priority';
      config.auth.keys = [{ ...keys[0]!, spendPerWindow: 0.0002 }];
    });
    // polygon answers first and costs 0.0003 a call (config/gateway.yaml): one miss spends the whole allowance.
    expect((await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) })).statusCode).toBe(200);
    const calls = vendorCalls(gateway);
    const refused = await gateway.app.inject({ url: '/v1/stocks/MSFT/quote', headers: as(dataKey) });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ detail: expect.stringMatching(/cached answers only/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(vendorCalls(gateway)).toBe(calls);
    const cached = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: as(dataKey) });
    expect([cached.statusCode, cached.headers['x-cache']]).toEqual([200, 'hit']);
  });
});

describe('open mode', () => {
  it('lets a caller without a key read data and, while no operator key exists, the operator surface', async () => {
    const gateway = await buildTestGateway();
    expect((await gateway.app.inject({ url: '/v1/stocks/AAPL/quote' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ url: '/v1/providers' })).statusCode).toBe(200);
  });

  it('keeps the operator surface for operator keys once one is configured', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.auth.keys = [keys[2]!]) });
    expect((await gateway.app.inject({ url: '/v1/stocks/AAPL/quote' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ url: '/v1/providers' })).statusCode).toBe(403);
    expect((await gateway.app.inject({ url: '/v1/providers', headers: as(adminKey) })).statusCode).toBe(200);
  });
});

describe('auth.adminPort', () => {
  it('serves the operator surface on the admin port without a key, and hides it on the public port', async () => {
    const adminPort = await freePort();
    const gateway = await withKeys((config) => (config.auth.adminPort = adminPort));
    const base = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = await listenAdmin(gateway.app, '127.0.0.1', adminPort);
    onTestFinished(() => void admin.close());
    const publicSide = await fetch(`${base}/v1/providers`, { headers: as(adminKey) });
    expect(publicSide.status).toBe(404);
    expect(publicSide.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const adminSide = await fetch(`http://127.0.0.1:${adminPort}/v1/providers`);
    expect(adminSide.status).toBe(200);
    const data = await fetch(`${base}/v1/stocks/AAPL/quote`, { headers: as(dataKey) });
    expect(data.status).toBe(200);
  });
});

describe('GET /v1/events limits', () => {
  it('refuses a client more streams than events.maxStreamsPerClient with 429', async () => {
    const gateway = await withKeys((config) => (config.events.maxStreamsPerClient = 1));
    const base = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const first = await openSse(`${base}/v1/events`, as(adminKey));
    onTestFinished(() => first.close());
    const second = await fetch(`${base}/v1/events`, { headers: as(adminKey) });
    expect(second.status).toBe(429);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await second.json()).toMatchObject({ detail: expect.stringMatching(/too many event streams/) });
  });
});

describe('server.trustProxy', () => {
  const fromTwoClients = async (trustProxy: boolean | string[]) => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.server.trustProxy = trustProxy;
        config.server.clientRateLimit = { enabled: true, max: 1, windowMs: 60_000 };
      },
    });
    const ask = (address: string) =>
      gateway.app.inject({ url: '/v1/stocks/AAPL/quote', headers: { 'x-forwarded-for': address } });
    return [(await ask('203.0.113.7')).statusCode, (await ask('2001:db8:1:2::9')).statusCode];
  };

  it('tells open-mode clients apart by X-Forwarded-For only from a trusted proxy', async () => {
    expect(await fromTwoClients(['127.0.0.1'])).toEqual([200, 200]);
    expect(await fromTwoClients(false)).toEqual([200, 429]);
  });
});
