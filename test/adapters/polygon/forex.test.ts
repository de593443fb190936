import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { polygonForexRate } from '../../../providers/polygon/forex.js';
import { polygon } from '../../../providers/polygon/index.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.massive.com';

describe('polygonForexRate.buildRequest', () => {
  it('converts 1000 units at the largest documented precision', () => {
    const request = polygonForexRate.buildRequest({ base: 'EUR', quote: 'USD' }, { now });
    expect(request).toEqual({ method: 'GET', path: '/v1/conversion/EUR/USD', query: { amount: 1000, precision: 4 } });
    expect(Object.keys((request as { query: object }).query)).not.toContain('apiKey');
  });
});

describe('normalizeForexRate', () => {
  it('divides the converted amount back to a rate and reads the quote time in ms', () => {
    expect(normalizeFixture('polygon', polygonForexRate, 'forex-rate.ok', { base: 'EUR', quote: 'USD' })).toEqual({
      base: 'EUR',
      quote: 'USD',
      rate: 1.0842123,
      asOf: '2026-01-30T15:59:58.000Z',
    });
  });

  it('keeps small rates precise (JPY to USD)', () => {
    const raw = polygonForexRate.responseSchema.parse({ status: 'success', converted: 6.6667, last: null });
    expect(polygonForexRate.normalize(raw, { base: 'JPY', quote: 'USD' }, { receivedAt: now })).toEqual({
      base: 'JPY',
      quote: 'USD',
      rate: 0.0066667,
      asOf: null,
    });
  });

  it('returns NotFound for a zero conversion', () => {
    const raw = polygonForexRate.responseSchema.parse({ status: 'success', converted: 0 });
    expect(polygonForexRate.normalize(raw, { base: 'EUR', quote: 'XXX' }, { receivedAt: now })).toEqual({
      notFound: true,
      detail: 'conversion gave no rate',
    });
  });

  it('rejects a body without converted', () => {
    expect(polygonForexRate.responseSchema.safeParse({ status: 'success', last: {} }).success).toBe(false);
  });
});

describe('polygon forex rate over HTTP', () => {
  useNock();

  it('sends the Bearer key and only amount and precision in the query', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v1/conversion/EUR/USD')
        .query({ amount: '1000', precision: '4' }),
      'polygon',
      'forex-rate.ok',
    );
    const outcome = await roundTrip(polygon, 'forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome).toEqual({
      outcome: 'ok',
      status: 200,
      result: { base: 'EUR', quote: 'USD', rate: 1.0842123, asOf: '2026-01-30T15:59:58.000Z' },
    });
  });
});
