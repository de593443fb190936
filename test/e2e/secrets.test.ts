import { createServer } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';
import { openSse } from '../helpers/sse.js';

const keys = {
  POLYGON_API_KEY: 'pk-S3CRET-polygon-0001',
  FINNHUB_API_KEY: 'fk-S3CRET-finnhub-0002',
  COINGECKO_API_KEY: 'ck-S3CRET-coingecko-0003',
  NEWSAPI_API_KEY: 'nk-S3CRET-newsapi-0004',
};

describe('secrets in logs and responses', () => {
  it('never writes a vendor key to a log line or a response, whatever fails', async () => {
    const gateway = await buildTestGateway({
      env: keys,
      adjust: (config) => {
        config.server.logLevel = 'trace';
        for (const provider of Object.values(config.providers)) provider.timeoutMs = 200;
      },
    });
    const bodies: string[] = [];
    const call = async (url: string) => bodies.push((await gateway.app.inject({ method: 'GET', url })).body);
    const fault = (vendor: string, mode: string) =>
      gateway.app.inject({ method: 'POST', url: `/sandbox/vendors/${vendor}/fault`, payload: { mode } });

    for (const mode of ['ok', 'error', 'malformed', 'rate-limited', 'hang', 'refuse']) {
      for (const vendor of ['polygon', 'finnhub', 'coingecko', 'newsapi']) await fault(vendor, mode);
      await call('/v1/stocks/AAPL/quote');
      await call('/v1/crypto/BTC/price');
      await call('/v1/news?q=apple');
      await call('/v1/forex/EUR/USD?provider=finnhub');
    }
    await call('/v1/providers');
    await call('/v1/providers/polygon/health?probe=true');

    const logs = gateway.logs();
    expect(logs.length).toBeGreaterThan(1_000);
    for (const key of Object.values(keys)) {
      expect(logs).not.toContain(key);
      for (const body of bodies) expect(body).not.toContain(key);
    }
    expect(logs).not.toMatch(/at \w+ \(/); // no stack traces for vendor failures
  });
});

describe('client and admin keys', () => {
  it('never appear in logs, responses, headers, metrics, events or webhooks', async () => {
    const clientKey = 'mdg_CLIENT-S3CRET-key-0005';
    const adminKey = 'mdg_ADMIN-S3CRET-key-0006';
    const wrongKey = 'mdg_WRONG-S3CRET-key-0007';
    const hooks: string[] = [];
    const receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        hooks.push(text);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const { port } = receiver.address() as { port: number };
    const gateway = await buildTestGateway({
      env: { ...keys, GATEWAY_API_KEYS: clientKey, GATEWAY_ADMIN_KEY: adminKey },
      adjust: (config) => {
        config.auth.mode = 'keys';
        config.server.logLevel = 'trace';
        config.providers.polygon!.breaker = {
          volumeThreshold: 2,
          errorThresholdPercentage: 50,
          rollingWindowMs: 10_000,
          resetTimeoutMs: 60_000,
          consecutiveFailures: 0,
        };
        config.alerts.webhooks = [
          { url: `http://127.0.0.1:${port}/hook`, events: ['failover', 'breakerOpened'], minIntervalMs: 0 },
        ];
      },
    });
    const base = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openSse(`${base}/v1/events`, { authorization: `Bearer ${adminKey}` });
    onTestFinished(() => stream.close());

    const seen: string[] = [];
    const call = async (url: string, headers: Record<string, string>, method = 'GET', payload?: object) => {
      const response = await gateway.app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload ? { payload } : {}),
      });
      seen.push(response.body, JSON.stringify(response.headers));
    };
    await call('/sandbox/vendors/polygon/fault', { 'x-api-key': adminKey }, 'POST', { mode: 'error' });
    for (const symbol of ['AAPL', 'MSFT', 'NVDA']) {
      await call(`/v1/stocks/${symbol}/quote`, { 'x-api-key': clientKey });
      await call(`/v1/stocks/${symbol}/quote`, { authorization: `Bearer ${clientKey}` });
      await call(`/v1/stocks/${symbol}/quote`, { 'x-api-key': wrongKey });
      await call(`/v1/stocks/${symbol}/quote?provider=polygon`, { 'x-api-key': clientKey });
    }
    await call('/v1/providers', { 'x-api-key': clientKey });
    await call('/v1/providers', { authorization: `Bearer ${adminKey}` });
    await call('/metrics', { 'x-api-key': adminKey });
    await stream.next((message) => message.event === 'breakerOpened');
    await expect.poll(() => hooks.length, { timeout: 3_000 }).toBeGreaterThanOrEqual(2);

    const everything = [gateway.logs(), ...seen, ...stream.messages.map((message) => message.data ?? ''), ...hooks];
    expect(gateway.logs()).toMatch(/"status":401/);
    expect(gateway.logs()).toMatch(/"client":"env-1"/);
    for (const secret of [clientKey, adminKey, wrongKey, ...Object.values(keys)]) {
      for (const text of everything) expect(text).not.toContain(secret);
    }
  });
});
