import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { mediastack } from '../../../providers/mediastack/index.js';
import {
  buildLatestRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  mediastackNewsBySymbol,
  mediastackNewsLatest,
  mediastackNewsResponseSchema,
  mediastackNewsSearch,
} from '../../../providers/mediastack/news.js';
import { articleId } from '../../../providers/common/news.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import {
  newsPageConformance,
  newsQueries,
  newsRequestConformance,
  untaggedBySymbolStories,
  untaggedNewsConformance,
} from '../../helpers/news.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const { bySymbol: symbolQuery, search: searchQuery, latest: latestQuery } = newsQueries;
const { msftOptions, appleShares } = untaggedBySymbolStories;
const json = { 'content-type': 'application/json' };

function queryOf(request: ReturnType<typeof buildSymbolNewsRequest>): Record<string, unknown> {
  return 'query' in request ? (request.query ?? {}) : {};
}

newsRequestConformance(mediastack, { unservedLanguage: 'ja' });

describe('buildSymbolNewsRequest', () => {
  it('asks /news for the symbols as comma-separated keywords, newest first, one page of limit', () => {
    expect(buildSymbolNewsRequest(symbolQuery)).toEqual({
      method: 'GET',
      path: '/news',
      query: { keywords: 'AAPL,MSFT', languages: 'en', sort: 'published_desc', limit: 10, offset: 0 },
    });
  });

  it('sends no date, which the free plan refuses', () => {
    expect(
      queryOf(buildSymbolNewsRequest({ ...symbolQuery, from: '2026-11-01', to: '2026-11-24' })),
    ).not.toHaveProperty('date');
  });

  it('caps limit at 100, the vendor maximum', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, limit: 250 })).toMatchObject({ query: { limit: 100 } });
  });

  it('maps Swedish sv to mediastack spelling se', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'sv' })).toMatchObject({ query: { languages: 'se' } });
  });

  it('declines a query without symbols', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, symbols: [] })).toEqual({
      unsupported: true,
      detail: 'no symbols',
    });
  });
});

describe('buildSearchRequest', () => {
  it('asks /news with q as the keywords', () => {
    expect(buildSearchRequest(searchQuery)).toEqual({
      method: 'GET',
      path: '/news',
      query: { keywords: 'interest rates', languages: 'en', sort: 'published_desc', limit: 10, offset: 0 },
    });
  });
});

describe('buildLatestRequest', () => {
  it('asks /news for the business category in the asked language', () => {
    expect(buildLatestRequest({ ...latestQuery, language: 'de' })).toEqual({
      method: 'GET',
      path: '/news',
      query: { categories: 'business', languages: 'de', sort: 'published_desc', limit: 10, offset: 0 },
    });
  });
});

newsPageConformance('mediastack', mediastackNewsBySymbol, symbolQuery);
untaggedNewsConformance('mediastack', { search: mediastackNewsSearch, latest: mediastackNewsLatest });

describe('mediastackNewsBySymbol.normalize', () => {
  it('maps items field by field, newest first, tagged with the asked tickers named in the text', () => {
    expect(normalizeFixture('mediastack', mediastackNewsBySymbol, 'news-by-symbol.ok', symbolQuery)).toEqual({
      articles: [
        // mediastack sends the description as "".
        { ...msftOptions, summary: null },
        appleShares,
        {
          id: articleId('https://www.reuters.com/technology/tech-rebound-2026-11-24/'),
          title: 'Microsoft and Apple lead a tech rebound',
          summary: 'AAPL and MSFT gained as investors rotated back into megacaps.',
          url: 'https://www.reuters.com/technology/tech-rebound-2026-11-24/',
          source: 'Reuters',
          publishedAt: '2026-11-24T15:05:09.000Z',
          symbols: ['AAPL', 'MSFT'],
          imageUrl: 'https://www.reuters.com/resizer/tech.jpg',
        },
        {
          id: articleId('https://www.marketwatch.com/story/big-tech-earnings-preview'),
          title: 'Big tech earnings preview',
          summary: 'What to expect from the largest companies this week.',
          url: 'https://www.marketwatch.com/story/big-tech-earnings-preview',
          source: 'MarketWatch',
          publishedAt: '2026-11-23T09:00:00.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
  });

  it('keeps only articles inside from/to, since the date filter is not sent', () => {
    const result = normalizeFixture('mediastack', mediastackNewsBySymbol, 'news-by-symbol.ok', {
      ...symbolQuery,
      from: '2026-11-23',
      to: '2026-11-23',
    });
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-23T09:00:00.000Z',
    ]);
  });
});

describe('mediastackNewsResponseSchema', () => {
  it('rejects a body without data', () => {
    expect(mediastackNewsResponseSchema.safeParse({ pagination: { count: 0 } }).success).toBe(false);
  });

  it('rejects an item whose title is a number', () => {
    const body = { data: [{ title: 42, url: 'https://example.com/a', published_at: '2026-11-24T10:00:00+00:00' }] };
    expect(mediastackNewsResponseSchema.safeParse(body).success).toBe(false);
  });

  it('accepts items whose optional fields are null or missing', () => {
    const body = {
      pagination: { limit: 10, offset: 0, count: 1, total: 1 },
      data: [{ title: 'T', url: 'https://example.com/a', published_at: null, image: null }],
    };
    expect(mediastackNewsResponseSchema.safeParse(body).success).toBe(true);
  });
});

describe('mediastack news round trip', () => {
  useNock();
  const base = 'https://api.mediastack.com';
  const newsQuery = { languages: 'en', sort: 'published_desc', limit: '10', offset: '0' };

  it('sends the key as access_key and normalizes news-by-symbol', async () => {
    replyWithFixture(
      nock(base)
        .get('/v1/news')
        .query({ ...newsQuery, keywords: 'AAPL,MSFT', access_key: testKey }),
      'mediastack',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(mediastack, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['MSFT'],
      ['AAPL'],
      ['AAPL', 'MSFT'],
      [],
    ]);
  });

  it('sends q as keywords for news-search', async () => {
    replyWithFixture(
      nock(base)
        .get('/v1/news')
        .query({ ...newsQuery, keywords: 'interest rates', access_key: testKey }),
      'mediastack',
      'news-search.ok',
    );
    const outcome = await roundTrip(mediastack, 'news-search', searchQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks the business category for news-latest', async () => {
    replyWithFixture(
      nock(base)
        .get('/v1/news')
        .query({ ...newsQuery, categories: 'business', access_key: testKey }),
      'mediastack',
      'news-latest.ok',
    );
    const outcome = await roundTrip(mediastack, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    replyWithFixture(nock(base).get('/v1/news').query(true), 'mediastack', 'error.rate-limited');
    expect(await roundTrip(mediastack, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rate_limit_reached',
      status: 429,
      retryAfterMs: 60_000,
    });
  });

  it('yields auth for an invalid key', async () => {
    replyWithFixture(nock(base).get('/v1/news').query(true), 'mediastack', 'error.bad-key');
    expect(await roundTrip(mediastack, 'news-search', searchQuery)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock(base).get('/v1/news').query(true).reply(200, { pagination: {}, data: 'none' }, json);
    expect(await roundTrip(mediastack, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the empty page with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(nock(base).get('/v1/news').query(true), 'mediastack', 'news-by-symbol.empty');
    expect(await roundTrip(mediastack, 'news-by-symbol', symbolQuery)).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('mediastack news after a schema change', () => {
  it('rejects the empty page with every key renamed, while the recorded one stays an empty page', () => {
    expect(
      mediastackNewsResponseSchema.safeParse(driftedReply('mediastack', 'news-by-symbol.empty').body).success,
    ).toBe(false);
    expect(normalizeFixture('mediastack', mediastackNewsBySymbol, 'news-by-symbol.empty', symbolQuery)).toEqual({
      articles: [],
    });
  });
});
