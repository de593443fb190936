import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

describe('request logging', () => {
  it('writes one line per request with id, route template, status, provider, attempts and latency', async () => {
    const gateway = await buildTestGateway();
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/stocks/AAPL/quote',
      headers: { 'x-request-id': 'log-test-1' },
    });
    expect(response.statusCode).toBe(200);
    const lines = gateway
      .logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === 'log-test-1');
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/v1/stocks/:symbol/quote',
      status: 200,
      provider: 'finnhub',
      cache: 'miss',
      attempts: [
        expect.stringMatching(/^polygon:unavailable:[\d.]+ms$/),
        expect.stringMatching(/^finnhub:ok:[\d.]+ms$/),
      ],
      ms: expect.any(Number),
    });
    expect(lines.filter((line) => line.msg === 'incoming request')).toEqual([]);
  });

  it('logs a failed request at warn with the attempts that failed', async () => {
    const gateway = await buildTestGateway();
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    await gateway.app.inject({
      method: 'GET',
      url: '/v1/stocks/AAPL/quote?provider=polygon',
      headers: { 'x-request-id': 'log-test-2' },
    });
    const line = gateway
      .logs()
      .trim()
      .split('\n')
      .map((entry) => JSON.parse(entry) as Record<string, unknown>)
      .find((entry) => entry.requestId === 'log-test-2' && entry.msg === 'request failed');
    expect(line).toMatchObject({ level: 40, status: 502, attempts: [expect.stringMatching(/^polygon:unavailable:/)] });
  });
});
