import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await buildTestGateway({
    scope: 'manual',
    env: { FINNHUB_API_KEY: '' },
    // A block for a vendor this build has no adapter for: listed, disabled, and the reason says so.
    adjust: (config) => (config.providers.acme = { ...config.providers.polygon!, tier: 4 }),
  });
});
afterAll(async () => closeTestGateway(gateway));

const get = (url: string) => gateway.app.inject({ method: 'GET', url });

describe('GET /health and /ready', () => {
  it('answers liveness', async () => {
    const response = await get('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('answers readiness with its checks', async () => {
    const response = await get('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', checks: { config: 'loaded', store: 'memory' } });
  });
});

describe('GET /v1/providers', () => {
  it('lists every configured vendor with its state, and why a vendor is disabled', async () => {
    const response = await get('/v1/providers');
    expect(response.statusCode).toBe(200);
    const providers = response.json().data as { name: string; enabled: boolean; disabledReason: string | null }[];
    expect(providers.map((provider) => provider.name)).toEqual([
      'acme',
      'coinapi',
      'coingecko',
      'cryptocompare',
      'finnhub',
      'gnews',
      'marketaux',
      'marketstack',
      'mediastack',
      'newsapi',
      'polygon',
      'twelvedata',
    ]);
    const byName = Object.fromEntries(providers.map((provider) => [provider.name, provider]));
    expect(byName.finnhub).toMatchObject({ enabled: false, disabledReason: 'no API key: set FINNHUB_API_KEY' });
    expect(byName.acme).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('no adapter') });
    expect(byName.polygon).toMatchObject({
      enabled: true,
      tier: 1,
      breaker: { state: 'closed' },
      cooldownUntil: null,
      capabilities: expect.arrayContaining(['stock-quote', 'stock-candles', 'news-by-symbol']),
    });
    expect(JSON.stringify(providers)).not.toContain('sandbox-key');
  });

  it('shows quota left per window once traffic flows', async () => {
    await get('/v1/stocks/AAPL/quote');
    const polygon = (await get('/v1/providers'))
      .json()
      .data.find((provider: { name: string }) => provider.name === 'polygon');
    expect(polygon.calls).toBeGreaterThan(0);
    expect(polygon.latencyMs.p50).toBeGreaterThan(0);
    expect(polygon.lastSuccessAt).not.toBeNull();
  });
});

describe('GET /v1/providers/:name/health', () => {
  it('reports a healthy vendor and probes it on request', async () => {
    const response = await get('/v1/providers/polygon/health?probe=true');
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({
      name: 'polygon',
      status: 'healthy',
      reasons: [],
      probe: { outcome: 'ok' },
    });
  });

  it('reports a probe failure when the vendor errors', async () => {
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/coingecko/fault', payload: { mode: 'error' } });
    const response = await get('/v1/providers/coingecko/health?probe=true');
    expect(response.json().data.probe).toMatchObject({ outcome: 'unavailable' });
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/coingecko/fault', payload: { mode: 'ok' } });
  });

  it('spends the vendor quota on a probe, even for an unbilled endpoint: the probe past the quota is a quota-skip', async () => {
    const limited = await buildTestGateway({
      adjust: (config) => (config.providers.coingecko!.rateLimit = { perMinute: 1, maxConcurrent: 1, maxQueue: 10 }),
    });
    const probe = async () =>
      (await limited.app.inject({ url: '/v1/providers/coingecko/health?probe=true' })).json().data.probe;
    expect(await probe()).toMatchObject({ outcome: 'ok' });
    expect(await probe()).toMatchObject({ outcome: 'quota-skip', detail: 'quota-exhausted' });
  });

  it('reports a disabled vendor as disabled', async () => {
    const response = await get('/v1/providers/finnhub/health');
    expect(response.json().data).toMatchObject({ status: 'disabled', reasons: ['no API key: set FINNHUB_API_KEY'] });
  });

  it('answers 404 problem+json for an unknown vendor', async () => {
    const response = await get('/v1/providers/nosuch/health');
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toContain('nosuch');
  });
});

describe('docs, unknown routes and the sandbox control', () => {
  it('serves Swagger UI at /docs and the spec at /openapi.json', async () => {
    const docs = await get('/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.body).toContain('swagger-ui');
    const spec = await get('/openapi.json');
    expect(spec.json().openapi).toBe('3.1.0');
  });

  it('answers an unknown route with a 404 problem+json', async () => {
    const response = await get('/v1/bonds/US10Y');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, instance: '/v1/bonds/US10Y' });
  });

  it('lists the simulators and refuses an unknown vendor or mode', async () => {
    const list = await get('/sandbox/vendors');
    expect(list.json().data.map((simulator: { vendor: string }) => simulator.vendor)).toEqual([
      'coinapi',
      'coingecko',
      'cryptocompare',
      'finnhub',
      'gnews',
      'marketaux',
      'marketstack',
      'mediastack',
      'newsapi',
      'polygon',
      'twelvedata',
    ]);
    const polygon = list.json().data.find((simulator: { vendor: string }) => simulator.vendor === 'polygon');
    expect(polygon.stream).toMatchObject({ connections: 0, subscriptions: {} });
    expect(polygon.stream.urls['stocks.quote']).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/stocks$/);
    const unknown = await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/acme/fault',
      payload: { mode: 'ok' },
    });
    expect(unknown.statusCode).toBe(404);
    const badMode = await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      payload: { mode: 'explode' },
    });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().errors[0]).toMatchObject({ in: 'body', field: 'mode' });
  });
});
