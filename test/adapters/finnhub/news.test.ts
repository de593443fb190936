import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';
import { finnhubNewsBySymbol, finnhubNewsLatest } from '../../../providers/finnhub/news.js';
import { articleId } from '../../../providers/common/news.js';
import type { NewsQuery } from '../../../src/core/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { newsRequestConformance } from '../../helpers/news.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T18:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T18:00:00Z') };
const bySymbol: NewsQuery = { symbols: ['AAPL'], q: null, from: null, to: null, limit: 10, language: 'en' };
const latest: NewsQuery = { symbols: [], q: null, from: null, to: null, limit: 10, language: 'en' };

newsRequestConformance(finnhub, { unservedLanguage: 'de' });

describe('finnhubNewsBySymbol.buildRequest', () => {
  it('asks GET /company-news for the last 7 days ending now when the query has no dates', () => {
    const request = finnhubNewsBySymbol.buildRequest(bySymbol, context);
    expect(request).toEqual({
      method: 'GET',
      path: '/company-news',
      query: { symbol: 'AAPL', from: '2026-01-23', to: '2026-01-30' },
    });
    expect(JSON.stringify(request)).not.toMatch(/token/i);
  });

  it('passes the asked dates and only the first symbol', () => {
    const query = { ...bySymbol, symbols: ['MSFT', 'AAPL'], from: '2026-01-02', to: '2026-01-09' };
    expect(finnhubNewsBySymbol.buildRequest(query, context)).toEqual({
      method: 'GET',
      path: '/company-news',
      query: { symbol: 'MSFT', from: '2026-01-02', to: '2026-01-09' },
    });
  });

  it('fills a missing `from` with 7 days before the asked `to`', () => {
    expect(finnhubNewsBySymbol.buildRequest({ ...bySymbol, to: '2026-01-09' }, context)).toMatchObject({
      query: { from: '2026-01-02', to: '2026-01-09' },
    });
  });
});

describe('finnhubNewsLatest.buildRequest', () => {
  it('asks GET /news for the general category', () => {
    const request = finnhubNewsLatest.buildRequest(latest, context);
    expect(request).toEqual({ method: 'GET', path: '/news', query: { category: 'general' } });
    expect(JSON.stringify(request)).not.toMatch(/token/i);
  });
});

describe('finnhubNewsBySymbol.normalize', () => {
  it('builds articles newest first, splitting `related` and nulling empty strings, and drops items without a URL', () => {
    const first = 'https://finnhub.io/api/news?id=9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
    const second = 'https://finnhub.io/api/news?id=5c3b5a1d0d6e4f2a8b9c7d1e2f3a4b5c';
    expect(normalizeFixture('finnhub', finnhubNewsBySymbol, 'news-by-symbol.ok', bySymbol)).toEqual({
      articles: [
        {
          id: articleId(first),
          title: 'Chipmakers and Apple lead tech rebound',
          summary: null,
          url: first,
          source: 'MarketWatch',
          publishedAt: '2026-01-30T16:20:00.000Z',
          symbols: ['AAPL', 'NVDA'],
          imageUrl: null,
        },
        {
          id: articleId(second),
          title: 'Apple shares climb after record services revenue',
          summary: 'Services revenue reached a new high in the December quarter.',
          url: second,
          source: 'Yahoo',
          publishedAt: '2026-01-30T14:00:00.000Z',
          symbols: ['AAPL'],
          imageUrl: 'https://static2.finnhub.io/file/publicdatany/finnhubimage/stock_logo/AAPL.png',
        },
      ],
    });
  });

  it('trims to the limit', () => {
    const result = normalizeFixture('finnhub', finnhubNewsBySymbol, 'news-by-symbol.ok', { ...bySymbol, limit: 1 });
    expect(result).toMatchObject({ articles: [{ title: 'Chipmakers and Apple lead tech rebound' }] });
    expect('articles' in result && result.articles).toHaveLength(1);
  });

  it('drops items without a headline or a time and keeps an empty answer empty', () => {
    const raw = finnhubNewsBySymbol.responseSchema.parse([
      { datetime: 1769781600, headline: '', url: 'https://example.com/a' },
      { datetime: null, headline: 'No time', url: 'https://example.com/b' },
      { datetime: 1769781600, headline: 'Not http', url: 'ftp://example.com/c' },
    ]);
    expect(finnhubNewsBySymbol.normalize(raw, bySymbol, normalizeContext)).toEqual({ articles: [] });
    expect(finnhubNewsBySymbol.normalize([], bySymbol, normalizeContext)).toEqual({ articles: [] });
  });

  it('rejects a body that is not an array', () => {
    expect(finnhubNewsBySymbol.responseSchema.safeParse({ error: 'x' }).success).toBe(false);
  });
});

describe('finnhubNewsLatest.normalize', () => {
  it('dedupes URLs that differ only by fragment and gives [] symbols for an empty `related`', () => {
    const first = 'https://www.marketwatch.com/story/stocks-end-january-higher-2026-01-30';
    const second = 'https://www.cnbc.com/2026/01/30/treasury-yields.html';
    expect(normalizeFixture('finnhub', finnhubNewsLatest, 'news-latest.ok', latest)).toEqual({
      articles: [
        {
          id: articleId(first),
          title: 'Stocks end January higher as earnings season rolls on',
          summary: 'The S&P 500 posted a monthly gain.',
          url: first,
          source: 'MarketWatch',
          publishedAt: '2026-01-30T17:00:00.000Z',
          symbols: [],
          imageUrl: 'https://images.mktw.net/im-123456',
        },
        {
          id: articleId(second),
          title: 'Treasury yields slip ahead of jobs report',
          summary: null,
          url: second,
          source: 'CNBC',
          publishedAt: '2026-01-30T16:00:00.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
  });

  it('applies an asked date window itself, since /news has none', () => {
    const query = { ...latest, from: '2026-01-01', to: '2026-01-29' };
    expect(normalizeFixture('finnhub', finnhubNewsLatest, 'news-latest.ok', query)).toEqual({ articles: [] });
  });
});

describe('finnhub news round trips', () => {
  useNock();

  it('sends the key in X-Finnhub-Token for company news', async () => {
    replyWithFixture(
      nock('https://finnhub.io')
        .matchHeader('x-finnhub-token', testKey)
        .get('/api/v1/company-news')
        .query({ symbol: 'AAPL', from: '2026-01-29', to: '2026-01-30' }),
      'finnhub',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(finnhub, 'news-by-symbol', { ...bySymbol, from: '2026-01-29', to: '2026-01-30' });
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles).toHaveLength(2);
  });

  it('sends the key in X-Finnhub-Token for market news', async () => {
    replyWithFixture(
      nock('https://finnhub.io')
        .matchHeader('x-finnhub-token', testKey)
        .get('/api/v1/news')
        .query({ category: 'general' }),
      'finnhub',
      'news-latest.ok',
    );
    const outcome = await roundTrip(finnhub, 'news-latest', latest);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles).toHaveLength(2);
  });

  it('maps market news with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(
      nock('https://finnhub.io').get('/api/v1/news').query({ category: 'general' }),
      'finnhub',
      'news-latest.ok',
    );
    expect(await roundTrip(finnhub, 'news-latest', latest)).toMatchObject({ outcome: 'malformed' });
  });
});

describe('finnhub news after a schema change', () => {
  it('rejects items with every key renamed, while an empty answer stays an empty page', () => {
    expect(
      finnhubNewsBySymbol.responseSchema.safeParse(driftedReply('finnhub', 'news-by-symbol.ok').body).success,
    ).toBe(false);
    expect(finnhubNewsLatest.responseSchema.safeParse(driftedReply('finnhub', 'news-latest.ok').body).success).toBe(
      false,
    );
    const raw = finnhubNewsBySymbol.responseSchema.parse([]);
    expect(finnhubNewsBySymbol.normalize(raw, bySymbol, normalizeContext)).toEqual({ articles: [] });
  });
});
