import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

describe('client rate limit', () => {
  it('answers 429 problem+json with Retry-After past the limit, and never throttles /health', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => (config.server.clientRateLimit = { enabled: true, max: 3, windowMs: 60_000 }),
    });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      statuses.push((await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({
      status: 429,
      title: 'Too many requests',
      requestId: limited.headers['x-request-id'],
    });
    expect((await gateway.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });
});
