import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { finnhubForexRate } from '../../../providers/finnhub/forex.js';
import { finnhub } from '../../../providers/finnhub/index.js';
import { driftedReply, renameKeys, replyWithDrift } from '../../helpers/drift.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T18:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T18:00:00Z') };

describe('finnhubForexRate.buildRequest', () => {
  it('asks GET /forex/rates with the base only and without the token', () => {
    const request = finnhubForexRate.buildRequest({ base: 'EUR', quote: 'USD' }, context);
    expect(request).toEqual({ method: 'GET', path: '/forex/rates', query: { base: 'EUR' } });
    expect(JSON.stringify(request)).not.toMatch(/token/i);
  });
});

describe('finnhubForexRate.normalize', () => {
  it('picks the quote currency from the map, with asOf null', () => {
    expect(normalizeFixture('finnhub', finnhubForexRate, 'forex-rate.ok', { base: 'EUR', quote: 'USD' })).toEqual({
      base: 'EUR',
      quote: 'USD',
      rate: 1.0842,
      asOf: null,
    });
  });

  it('returns NotFound when the quote currency is missing', () => {
    expect(normalizeFixture('finnhub', finnhubForexRate, 'forex-rate.ok', { base: 'EUR', quote: 'XAU' })).toEqual({
      notFound: true,
      detail: 'finnhub has no EUR/XAU rate',
    });
  });

  it('returns NotFound for an empty map and for a zero or null rate', () => {
    const query = { base: 'ABC', quote: 'USD' };
    for (const quote of [{}, { USD: 0 }, { USD: null }]) {
      const raw = finnhubForexRate.responseSchema.parse({ base: 'ABC', quote });
      expect(finnhubForexRate.normalize(raw, query, normalizeContext)).toMatchObject({ notFound: true });
    }
  });

  it('rejects a rate sent as a string', () => {
    expect(finnhubForexRate.responseSchema.safeParse({ base: 'EUR', quote: { USD: '1.08' } }).success).toBe(false);
  });
});

describe('finnhub forex-rate round trip', () => {
  useNock();

  it('sends the key in X-Finnhub-Token and normalizes the rate', async () => {
    replyWithFixture(
      nock('https://finnhub.io')
        .matchHeader('x-finnhub-token', testKey)
        .get('/api/v1/forex/rates')
        .query({ base: 'EUR' }),
      'finnhub',
      'forex-rate.ok',
    );
    expect(await roundTrip(finnhub, 'forex-rate', { base: 'EUR', quote: 'GBP' })).toEqual({
      outcome: 'ok',
      status: 200,
      result: { base: 'EUR', quote: 'GBP', rate: 0.8544, asOf: null },
    });
  });

  it('maps rates with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock('https://finnhub.io').get('/api/v1/forex/rates').query({ base: 'EUR' }),
      'finnhub',
      'forex-rate.ok',
    );
    expect(await roundTrip(finnhub, 'forex-rate', { base: 'EUR', quote: 'GBP' })).toMatchObject({
      outcome: 'malformed',
    });
  });
});

describe('finnhub forex rates after a schema change', () => {
  it('rejects rates with every key renamed, while a base without quotes stays NotFound', () => {
    const unquoted = { base: 'XAU', quote: {} };
    expect(finnhubForexRate.responseSchema.safeParse(driftedReply('finnhub', 'forex-rate.ok').body).success).toBe(
      false,
    );
    expect(finnhubForexRate.responseSchema.safeParse(renameKeys(unquoted)).success).toBe(false);
    const raw = finnhubForexRate.responseSchema.parse(unquoted);
    expect(finnhubForexRate.normalize(raw, { base: 'XAU', quote: 'USD' }, normalizeContext)).toMatchObject({
      notFound: true,
    });
  });
});
