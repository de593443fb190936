import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { twelvedataForexRate } from '../../../providers/twelvedata/forex.js';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T18:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T18:00:00Z') };

describe('twelvedataForexRate.buildRequest', () => {
  it('asks GET /exchange_rate for the BASE/QUOTE pair without the key', () => {
    const request = twelvedataForexRate.buildRequest({ base: 'eur', quote: 'usd' }, context);
    expect(request).toEqual({ method: 'GET', path: '/exchange_rate', query: { symbol: 'EUR/USD' } });
    expect(JSON.stringify(request)).not.toMatch(/apikey|authorization/i);
  });
});

describe('twelvedataForexRate.normalize', () => {
  it('maps rate and the Unix-seconds timestamp', () => {
    expect(normalizeFixture('twelvedata', twelvedataForexRate, 'forex-rate.ok', { base: 'EUR', quote: 'USD' })).toEqual(
      {
        base: 'EUR',
        quote: 'USD',
        rate: 1.18542,
        asOf: '2026-01-30T17:41:00.000Z',
      },
    );
  });

  it('accepts a rate sent as a string and no timestamp', () => {
    const raw = twelvedataForexRate.responseSchema.parse({ symbol: 'USD/JPY', rate: '152.31000' });
    expect(twelvedataForexRate.normalize(raw, { base: 'USD', quote: 'JPY' }, normalizeContext)).toEqual({
      base: 'USD',
      quote: 'JPY',
      rate: 152.31,
      asOf: null,
    });
  });

  it('returns NotFound for a zero rate', () => {
    const raw = twelvedataForexRate.responseSchema.parse({ rate: 0, timestamp: 1769794860 });
    expect(twelvedataForexRate.normalize(raw, { base: 'EUR', quote: 'XXX' }, normalizeContext)).toEqual({
      notFound: true,
      detail: 'twelvedata has no EUR/XXX rate',
    });
  });

  it('rejects an answer without a rate', () => {
    expect(twelvedataForexRate.responseSchema.safeParse({ symbol: 'EUR/USD', timestamp: 1 }).success).toBe(false);
  });
});

describe('twelvedata forex-rate round trip', () => {
  useNock();

  it('sends the key in the Authorization header and normalizes the rate', async () => {
    replyWithFixture(
      nock('https://api.twelvedata.com')
        .matchHeader('authorization', `apikey ${testKey}`)
        .get('/exchange_rate')
        .query({ symbol: 'EUR/USD' }),
      'twelvedata',
      'forex-rate.ok',
    );
    expect(await roundTrip(twelvedata, 'forex-rate', { base: 'EUR', quote: 'USD' })).toEqual({
      outcome: 'ok',
      status: 200,
      result: { base: 'EUR', quote: 'USD', rate: 1.18542, asOf: '2026-01-30T17:41:00.000Z' },
    });
  });
});
