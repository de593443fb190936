import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

describe('GET /metrics', () => {
  it('shows a failover, the breaker state and upstream latency with bounded labels after a vendor fails', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.providers.polygon!.breaker = {
          volumeThreshold: 3,
          errorThresholdPercentage: 50,
          rollingWindowMs: 10_000,
          resetTimeoutMs: 60_000,
          consecutiveFailures: 0,
        };
      },
    });
    await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      payload: { mode: 'error', delayMs: 0 },
    });
    for (let i = 0; i < 4; i += 1) {
      expect((await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' })).statusCode).toBe(200);
    }

    const response = await gateway.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(/^gateway_failovers_total\{capability="stock-quote",from="polygon",to="finnhub"\} 3$/m);
    expect(text).toMatch(/^gateway_breaker_state\{vendor="polygon"\} 2$/m);
    expect(text).toMatch(/^gateway_breaker_state\{vendor="finnhub"\} 0$/m);
    expect(text).toMatch(
      /^gateway_upstream_request_duration_seconds_bucket\{le="\+Inf",vendor="finnhub",capability="stock-quote"\} 4$/m,
    );
    expect(text).toMatch(
      /^gateway_upstream_requests_total\{vendor="polygon",capability="stock-quote",outcome="unavailable"\} 3$/m,
    );
    expect(text).toMatch(/^gateway_breaker_transitions_total\{vendor="polygon",state="open"\} 1$/m);
    expect(text).toMatch(/^gateway_vendor_health_score\{vendor="polygon"\} 0\.\d+$/m);
    expect(text).toMatch(/^gateway_vendor_health_status\{vendor="polygon"\} 2$/m);
    expect(text).toMatch(/^gateway_capability_available_vendors\{capability="stock-quote"\} 3$/m);
    expect(text).toMatch(
      /^gateway_http_requests_total\{route="\/v1\/stocks\/:symbol\/quote",method="GET",status="200"\} 4$/m,
    );
    expect(text).toMatch(/^gateway_vendor_cost_total\{vendor="finnhub",capability="stock-quote"\} 0\.0004$/m);
    expect(text).toMatch(/^gateway_store_up\{kind="memory"\} 1$/m);
    expect(text).toMatch(/^gateway_process_cpu_seconds_total /m);
    // Never a symbol as a label value.
    expect(text).not.toContain('AAPL');
  });

  it('reports quota left and its limit per vendor and window', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => (config.providers.polygon!.rateLimit = { perMinute: 5, maxConcurrent: 5, maxQueue: 5 }),
    });
    await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    const text = (await gateway.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^gateway_vendor_quota_remaining\{vendor="polygon",window="minute"\} 4$/m);
    expect(text).toMatch(/^gateway_vendor_quota_limit\{vendor="polygon",window="minute"\} 5$/m);
  });
});
