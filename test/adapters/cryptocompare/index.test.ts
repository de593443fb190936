import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import { useNock } from '../../helpers/nock.js';
import { sendRequest, testKey } from '../../helpers/vendor.js';

describe('cryptocompare adapter', () => {
  it('declares a required "Authorization: Apikey" header, since min-api has no keyless tier any more', () => {
    expect(cryptocompare.auth).toEqual({ in: 'header', name: 'authorization', scheme: 'Apikey' });
  });

  it('declares crypto-price and crypto-candles', () => {
    expect(Object.keys(cryptocompare.capabilities).sort()).toEqual(['crypto-candles', 'crypto-price']);
  });

  it('health-checks with GET /stats/rate/limit', () => {
    expect(cryptocompare.healthCheck).toEqual({ method: 'GET', path: '/stats/rate/limit' });
  });
});

describe('cryptocompare health check round trip', () => {
  useNock();

  it('gets the rate-limit status with the key in the Authorization header', async () => {
    nock(cryptocompare.defaultBaseUrl)
      .get('/stats/rate/limit')
      .matchHeader('authorization', `Apikey ${testKey}`)
      .reply(200, {
        Response: 'Success',
        Message: '',
        HasWarning: false,
        Type: 100,
        RateLimit: {},
        Data: {
          calls_made: { second: 1, minute: 2, hour: 40, day: 310, month: 9120 },
          calls_left: { second: 19, minute: 298, hour: 2960, day: 7190, month: 40880 },
        },
      });
    const reply = await sendRequest(cryptocompare, cryptocompare.healthCheck ?? { method: 'GET', path: '/' });
    expect(reply.status).toBe(200);
    expect(cryptocompare.classifyFailure(reply)).toBeNull();
  });
});
