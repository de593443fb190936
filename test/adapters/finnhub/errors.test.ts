import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyFinnhubFailure } from '../../../providers/finnhub/errors.js';
import { finnhub } from '../../../providers/finnhub/index.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip } from '../../helpers/vendor.js';

describe('classifyFinnhubFailure', () => {
  classifierConformance('finnhub', classifyFinnhubFailure);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-30T17:00:30Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('maps a 401 for a bad key to auth', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.bad-key'))).toEqual({ kind: 'auth', detail: 'HTTP 401' });
  });

  it('maps a 401 for a missing key to auth', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.missing-key'))).toEqual({
      kind: 'auth',
      detail: 'HTTP 401',
    });
  });

  it('maps a 403 (premium endpoint or non-US symbol) to plan', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.plan'))).toEqual({ kind: 'plan', detail: 'HTTP 403' });
  });

  it('maps a 429 with X-Ratelimit-Reset to rate-limited with retryAfterMs', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.rate-limited'))).toEqual({
      kind: 'rate-limited',
      detail: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('maps a 429 without a reset header to rate-limited for a whole minute', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.rate-limited-no-reset'))).toEqual({
      kind: 'rate-limited',
      detail: 'HTTP 429',
      retryAfterMs: 60_000,
    });
  });

  it('maps a 5xx to unavailable', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'error.server'))).toEqual({
      kind: 'unavailable',
      detail: 'HTTP 502',
    });
  });

  it('leaves the unknown-symbol 200 to the normalizer', () => {
    expect(classifyFinnhubFailure(loadReply('finnhub', 'stock-quote.unknown-symbol'))).toBeNull();
  });
});

describe('finnhub failure round trips', () => {
  useNock();

  it('reports a 429 as rate-limited with retryAfterMs from X-Ratelimit-Reset', async () => {
    const reply = loadReply('finnhub', 'error.rate-limited');
    const reset = Math.floor(Date.now() / 1000) + 45;
    nock('https://finnhub.io')
      .get('/api/v1/quote')
      .query({ symbol: 'AAPL' })
      .reply(
        429,
        reply.body as nock.Body,
        { ...reply.headers, 'x-ratelimit-reset': String(reset) } as Record<string, string>,
      );
    const outcome = await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' });
    expect(outcome).toMatchObject({ outcome: 'rate-limited', status: 429 });
    const wait = outcome.outcome === 'rate-limited' ? outcome.retryAfterMs : undefined;
    expect(wait).toBeGreaterThan(40_000);
    expect(wait).toBeLessThanOrEqual(45_000);
  });

  it('reports a 401 as auth without echoing the vendor message', async () => {
    replyWithFixture(
      nock('https://finnhub.io').get('/api/v1/quote').query({ symbol: 'AAPL' }),
      'finnhub',
      'error.bad-key',
    );
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'auth',
      detail: 'HTTP 401',
      status: 401,
    });
  });
});
