import { describe, expect, it } from 'vitest';
import type { Fault } from '../../sandbox/faults.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

async function withFault(gateway: TestGateway, vendor: string, mode: Fault['mode'], delayMs = 0) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: `/sandbox/vendors/${vendor}/fault`,
    payload: { mode, delayMs },
  });
  expect(response.statusCode).toBe(200);
}

const quote = (gateway: TestGateway, query = '') =>
  gateway.app.inject({ method: 'GET', url: `/v1/stocks/AAPL/quote${query}` });

describe('failover between vendors', () => {
  it.each([
    ['hang', 'timeout'],
    ['error', 'unavailable'],
    ['malformed', 'malformed'],
    ['refuse', 'network'],
    ['rate-limited', 'rate-limited'],
  ] as const)('answers from finnhub when polygon is %s, recording the %s try', async (mode, outcome) => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.providers.polygon!.timeoutMs = 300) });
    await withFault(gateway, 'polygon', mode);
    const response = await quote(gateway);
    expect(response.statusCode).toBe(200);
    const { meta } = response.json();
    expect(meta.provider).toBe('finnhub');
    expect(
      meta.attempts.map((attempt: { provider: string; outcome: string }) => [attempt.provider, attempt.outcome]),
    ).toEqual([
      ['polygon', outcome],
      ['finnhub', 'ok'],
    ]);
    expect(response.headers['x-provider']).toBe('finnhub');
  });

  it('answers 502 problem+json when the pinned vendor fails, without failing over', async () => {
    const gateway = await buildTestGateway();
    await withFault(gateway, 'polygon', 'error');
    const response = await quote(gateway, '?provider=polygon');
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      status: 502,
      title: 'Every vendor failed',
      requestId: response.headers['x-request-id'],
    });
    expect(problem.attempts).toEqual([
      { provider: 'polygon', outcome: 'unavailable', ms: expect.any(Number), detail: 'HTTP 500 ERROR' },
    ]);
  });

  it('answers 504 when a pinned vendor hangs past the request deadline', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.routing.deadlineMs = 400;
        config.providers.polygon!.timeoutMs = 2_000;
      },
    });
    await withFault(gateway, 'polygon', 'hang');
    const started = performance.now();
    const response = await quote(gateway, '?provider=polygon');
    expect(response.statusCode).toBe(504);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(response.json().attempts[0]).toMatchObject({ provider: 'polygon', outcome: 'timeout' });
  });

  it('rests a vendor after its 429 and skips it while it cools down', async () => {
    const gateway = await buildTestGateway();
    await withFault(gateway, 'polygon', 'rate-limited');
    await quote(gateway);
    await withFault(gateway, 'polygon', 'ok');
    const response = await quote(gateway);
    expect(response.json().meta.attempts[0]).toMatchObject({ provider: 'polygon', outcome: 'cooling-down', ms: 0 });
    const providers = await gateway.app.inject({ method: 'GET', url: '/v1/providers' });
    const polygon = providers.json().data.find((entry: { name: string }) => entry.name === 'polygon');
    expect(Date.parse(polygon.cooldownUntil)).toBeGreaterThan(Date.now());
  });

  it('opens the breaker after the configured volume of failures and then skips the vendor', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.providers.polygon!.breaker = {
          volumeThreshold: 4,
          errorThresholdPercentage: 50,
          rollingWindowMs: 10_000,
          resetTimeoutMs: 60_000,
          consecutiveFailures: 0,
        };
      },
    });
    await withFault(gateway, 'polygon', 'error');
    for (let index = 0; index < 4; index += 1) expect((await quote(gateway)).statusCode).toBe(200);
    const response = await quote(gateway);
    expect(response.json().meta.attempts[0]).toEqual({ provider: 'polygon', outcome: 'breaker-open', ms: 0 });
    const health = await gateway.app.inject({ method: 'GET', url: '/v1/providers/polygon/health' });
    expect(health.json().data).toMatchObject({ status: 'down', provider: { breaker: { state: 'open' } } });
  });

  it('answers 503 with Retry-After when every capable vendor is resting', async () => {
    const gateway = await buildTestGateway();
    const stockVendors = ['polygon', 'finnhub', 'twelvedata', 'marketstack'];
    for (const vendor of stockVendors) await withFault(gateway, vendor, 'rate-limited');
    expect((await quote(gateway)).statusCode).toBe(502);
    const response = await quote(gateway);
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.json().attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(
      stockVendors.map(() => 'cooling-down'),
    );
  });
});

describe('watchlist failover', () => {
  it('falls back to single quotes from other vendors when every batch vendor fails', async () => {
    const gateway = await buildTestGateway();
    for (const batchVendor of ['polygon', 'twelvedata', 'marketstack']) await withFault(gateway, batchVendor, 'error');
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/stocks/quotes?symbols=AAPL,MSFT' });
    expect(response.statusCode).toBe(200);
    const { data, meta } = response.json();
    expect(data.quotes.map((entry: { symbol: string }) => entry.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(data.missing).toEqual([]);
    expect(meta.provider).toBe('finnhub');
    expect(meta.attempts[0]).toMatchObject({ provider: 'polygon', outcome: 'unavailable' });
  });
});
