import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { gnews } from '../../../providers/gnews/index.js';
import {
  buildHeadlinesRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  gnewsArticlesResponseSchema,
  gnewsNewsBySymbol,
  gnewsNewsLatest,
  gnewsNewsSearch,
} from '../../../providers/gnews/news.js';
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
const { msftOptions, appleShares, techRebound } = untaggedBySymbolStories;
const json = { 'content-type': 'application/json' };

newsRequestConformance(gnews, { unservedLanguage: 'ko' });

describe('buildSymbolNewsRequest', () => {
  it('asks /search for the symbols joined with OR, newest first, at most limit articles', () => {
    expect(buildSymbolNewsRequest(symbolQuery)).toEqual({
      method: 'GET',
      path: '/search',
      query: { q: 'AAPL OR MSFT', lang: 'en', max: 10, sortby: 'publishedAt', from: undefined, to: undefined },
    });
  });

  it('quotes a ticker with punctuation so gnews does not read it as query syntax', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, symbols: ['BRK.B', 'AAPL'] })).toMatchObject({
      query: { q: '"BRK.B" OR AAPL' },
    });
  });

  it('sends from and to as instants spanning the whole asked days', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, from: '2026-11-01', to: '2026-11-24' })).toMatchObject({
      query: { from: '2026-11-01T00:00:00Z', to: '2026-11-24T23:59:59Z' },
    });
  });

  it('caps max at 100, the largest value gnews accepts', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, limit: 250 })).toMatchObject({ query: { max: 100 } });
  });
});

describe('buildSearchRequest', () => {
  it('asks /search with q as given', () => {
    expect(buildSearchRequest({ ...searchQuery, language: 'de' })).toEqual({
      method: 'GET',
      path: '/search',
      query: { q: 'interest rates', lang: 'de', max: 10, sortby: 'publishedAt', from: undefined, to: undefined },
    });
  });
});

describe('buildHeadlinesRequest', () => {
  it('asks /top-headlines for business headlines in the asked language', () => {
    expect(buildHeadlinesRequest(latestQuery)).toEqual({
      method: 'GET',
      path: '/top-headlines',
      query: { category: 'business', lang: 'en', max: 10 },
    });
  });
});

newsPageConformance('gnews', gnewsNewsBySymbol, symbolQuery);
untaggedNewsConformance('gnews', { search: gnewsNewsSearch, latest: gnewsNewsLatest });

describe('gnewsNewsBySymbol.normalize', () => {
  it('maps articles field by field, drops a repeated URL, and tags the tickers named in the text', () => {
    expect(normalizeFixture('gnews', gnewsNewsBySymbol, 'news-by-symbol.ok', symbolQuery)).toEqual({
      articles: [msftOptions, appleShares, techRebound],
    });
  });
});

describe('gnewsArticlesResponseSchema', () => {
  it('rejects a body without articles', () => {
    expect(gnewsArticlesResponseSchema.safeParse({ totalArticles: 3 }).success).toBe(false);
  });

  it('rejects an article whose title is a number', () => {
    const body = { articles: [{ title: 42, url: 'https://example.com/a', publishedAt: '2026-11-24T10:00:00Z' }] };
    expect(gnewsArticlesResponseSchema.safeParse(body).success).toBe(false);
  });

  it('accepts the older payload without id, lang, source.id or source.country', () => {
    const body = {
      totalArticles: 1,
      articles: [
        {
          title: 'T',
          description: 'D',
          content: 'C',
          url: 'https://example.com/a',
          image: null,
          publishedAt: '2026-11-24T10:00:00Z',
          source: { name: 'S', url: 'https://example.com' },
        },
      ],
    };
    expect(gnewsArticlesResponseSchema.safeParse(body).success).toBe(true);
  });
});

describe('gnews round trips', () => {
  useNock();
  const searchBase = { lang: 'en', max: '10', sortby: 'publishedAt' };

  it('sends the key in the X-Api-Key header, never the query, for news-by-symbol', async () => {
    replyWithFixture(
      nock('https://gnews.io', { reqheaders: { 'x-api-key': testKey } })
        .get('/api/v4/search')
        .query({ ...searchBase, q: 'AAPL OR MSFT' }),
      'gnews',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(gnews, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['MSFT'],
      ['AAPL'],
      [],
    ]);
  });

  it('passes from/to as instants for news-search', async () => {
    replyWithFixture(
      nock('https://gnews.io')
        .matchHeader('x-api-key', testKey)
        .get('/api/v4/search')
        .query({ ...searchBase, q: 'interest rates', from: '2026-11-20T00:00:00Z', to: '2026-11-25T23:59:59Z' }),
      'gnews',
      'news-search.ok',
    );
    const outcome = await roundTrip(gnews, 'news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-25' });
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks top-headlines for news-latest', async () => {
    replyWithFixture(
      nock('https://gnews.io', { reqheaders: { 'x-api-key': testKey } })
        .get('/api/v4/top-headlines')
        .query({ category: 'business', lang: 'en', max: '10' }),
      'gnews',
      'news-latest.ok',
    );
    const outcome = await roundTrip(gnews, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    replyWithFixture(
      nock('https://gnews.io')
        .get('/api/v4/search')
        .query({ ...searchBase, q: 'AAPL OR MSFT' }),
      'gnews',
      'error.too-many-requests',
    );
    expect(await roundTrip(gnews, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429',
      status: 429,
      retryAfterMs: 1_000,
    });
  });

  it('yields rate-limited until midnight UTC for a 403 used quota', async () => {
    const interceptor = nock('https://gnews.io').get('/api/v4/top-headlines').query(true);
    replyWithFixture(interceptor, 'gnews', 'error.daily-quota', { date: 'Wed, 25 Nov 2026 18:00:00 GMT' });
    expect(await roundTrip(gnews, 'news-latest', latestQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 403 daily quota used',
      status: 403,
      retryAfterMs: 21_600_000,
    });
  });

  it('yields auth for a 401', async () => {
    replyWithFixture(nock('https://gnews.io').get('/api/v4/search').query(true), 'gnews', 'error.bad-key');
    expect(await roundTrip(gnews, 'news-search', searchQuery)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock('https://gnews.io')
      .get('/api/v4/top-headlines')
      .query(true)
      .reply(200, { totalArticles: 3, articles: 'none' }, json);
    expect(await roundTrip(gnews, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the empty page with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(nock('https://gnews.io').get('/api/v4/search').query(true), 'gnews', 'news-by-symbol.empty');
    expect(await roundTrip(gnews, 'news-by-symbol', symbolQuery)).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('gnews news after a schema change', () => {
  it('rejects the empty page with every key renamed, while the recorded one stays an empty page', () => {
    expect(gnewsArticlesResponseSchema.safeParse(driftedReply('gnews', 'news-by-symbol.empty').body).success).toBe(
      false,
    );
    expect(normalizeFixture('gnews', gnewsNewsBySymbol, 'news-by-symbol.empty', symbolQuery)).toEqual({ articles: [] });
  });
});
