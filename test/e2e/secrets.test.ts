import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

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
