import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const allowed = 'https://app.example.com';

const withOrigins = (origins: string[]) =>
  buildTestGateway({ adjust: (config) => (config.server.cors = { origins, maxAgeSeconds: 600 }) });

const preflight = (gateway: TestGateway, origin: string, headers = 'x-api-key, x-priority') =>
  gateway.app.inject({
    method: 'OPTIONS',
    url: '/v1/stocks/AAPL/quote',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': headers },
  });

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

/** A preflight CORS does not take is answered as OPTIONS on that route would be: a problem+json, no CORS header. */
function expectRefused(response: LightMyRequestResponse): void {
  expect([404, 405]).toContain(response.statusCode);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(corsHeaders(response.headers)).toEqual([]);
}

describe('CORS (server.cors.origins)', () => {
  it('sends no CORS header by default, and refuses a preflight as any OPTIONS request', async () => {
    const gateway = await buildTestGateway();
    expect(gateway.config.server.cors.origins).toEqual([]);
    const answer = await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD', headers: { origin: allowed } });
    expect(answer.statusCode).toBe(200);
    expect(corsHeaders(answer.headers)).toEqual([]);
    expectRefused(await preflight(gateway, allowed));
  });

  it('answers an allowed origin: preflight 204 with the allowed methods and headers, answers readable', async () => {
    const gateway = await withOrigins([allowed, 'http://localhost:5173']);
    const ok = await preflight(gateway, allowed);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers).toMatchObject({
      'access-control-allow-origin': allowed,
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-headers': 'X-API-Key, Authorization, X-Priority, Cache-Control, X-Request-Id',
      'access-control-max-age': '600',
      'x-content-type-options': 'nosniff',
    });
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    expect(ok.headers.vary).toMatch(/Origin/);

    const answer = await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD', headers: { origin: allowed } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(allowed);
    expect(answer.headers['access-control-expose-headers']).toBe(
      'X-Provider, X-Cache, X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
    );
    expect(answer.headers.vary).toMatch(/Origin/);
    // The error path too: a browser must be able to read a problem+json.
    const problem = await gateway.app.inject({
      method: 'GET',
      url: '/v1/stocks/AAPL/quote?provider=NOT-A-VENDOR',
      headers: { origin: allowed },
    });
    expect(problem.statusCode).toBe(400);
    expect(problem.headers['access-control-allow-origin']).toBe(allowed);
  });

  it('denies an origin off the list: no CORS header on its refused preflight or its answers', async () => {
    const gateway = await withOrigins([allowed]);
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
      expectRefused(await preflight(gateway, origin));
      const answer = await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD', headers: { origin } });
      expect(answer.statusCode).toBe(200);
      expect(corsHeaders(answer.headers), origin).toEqual([]);
    }
    // Requests without Origin (servers, curl) are not CORS requests: nothing changes for them.
    const plain = await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' });
    expect(plain.statusCode).toBe(200);
    expect(corsHeaders(plain.headers)).toEqual([]);
  });

  it("allows every origin only when told ['*']", async () => {
    const gateway = await withOrigins(['*']);
    const ok = await preflight(gateway, 'https://anyone.example');
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const answer = await gateway.app.inject({
      method: 'GET',
      url: '/v1/forex/EUR/USD',
      headers: { origin: 'https://anyone.example' },
    });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers a preflight before the client rate limit would refuse it', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.server.cors = { origins: [allowed], maxAgeSeconds: 600 };
        config.server.clientRateLimit = { enabled: true, max: 1, windowMs: 60_000 };
      },
    });
    expect((await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' })).statusCode).toBe(429);
    expect((await preflight(gateway, allowed)).statusCode).toBe(204);
  });
});
