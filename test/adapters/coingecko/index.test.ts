import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { coingecko } from '../../../providers/coingecko/index.js';
import { useNock } from '../../helpers/nock.js';
import { sendRequest, testKey } from '../../helpers/vendor.js';

describe('coingecko adapter', () => {
  it('declares an optional Demo key header, so it works keyless', () => {
    expect(coingecko.auth).toEqual({ in: 'header', name: 'x-cg-demo-api-key', optional: true });
  });

  it('declares crypto-price and crypto-candles', () => {
    expect(Object.keys(coingecko.capabilities).sort()).toEqual(['crypto-candles', 'crypto-price']);
  });

  it('health-checks with GET /ping', () => {
    expect(coingecko.healthCheck).toEqual({ method: 'GET', path: '/ping' });
  });
});

describe('coingecko health check round trip', () => {
  useNock();

  it('gets the ping answer with the key in its header', async () => {
    nock(coingecko.defaultBaseUrl)
      .get('/ping')
      .matchHeader('x-cg-demo-api-key', testKey)
      .reply(200, { gecko_says: '(V3) To the Moon!' });
    const reply = await sendRequest(coingecko, coingecko.healthCheck ?? { method: 'GET', path: '/' });
    expect(reply.status).toBe(200);
    expect(coingecko.classifyFailure(reply)).toBeNull();
  });
});
