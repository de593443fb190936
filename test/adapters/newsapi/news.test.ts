import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { newsapi } from '../../../providers/newsapi/index.js';
import {
  buildHeadlinesRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  newsapiArticlesResponseSchema,
  newsapiNewsBySymbol,
  newsapiNewsLatest,
  newsapiNewsSearch,
} from '../../../providers/newsapi/news.js';
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

newsRequestConformance(newsapi, { unservedLanguage: 'ja' });

describe('buildSymbolNewsRequest', () => {
  it('asks /everything for the symbols joined with OR, newest first, one page of limit', () => {
    expect(buildSymbolNewsRequest(symbolQuery)).toEqual({
      method: 'GET',
      path: '/everything',
      query: {
        q: 'AAPL OR MSFT',
        language: 'en',
        sortBy: 'publishedAt',
        pageSize: 10,
        page: 1,
        from: undefined,
        to: undefined,
      },
    });
  });

  it('sends from as a date and to as the last second of its day', () => {
    const request = buildSymbolNewsRequest({ ...symbolQuery, from: '2026-11-01', to: '2026-11-24' });
    expect(request).toMatchObject({ query: { from: '2026-11-01', to: '2026-11-24T23:59:59' } });
  });

  it('caps pageSize at 100, the developer plan maximum', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, limit: 250 })).toMatchObject({ query: { pageSize: 100 } });
  });

  it('maps ur to newsapi spelling ud', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'ur' })).toMatchObject({ query: { language: 'ud' } });
  });
});

describe('buildSearchRequest', () => {
  it('asks /everything with q as given', () => {
    expect(buildSearchRequest(searchQuery)).toEqual({
      method: 'GET',
      path: '/everything',
      query: {
        q: 'interest rates',
        language: 'en',
        sortBy: 'publishedAt',
        pageSize: 10,
        page: 1,
        from: undefined,
        to: undefined,
      },
    });
  });

  it('declines a q longer than 500 characters', () => {
    expect(buildSearchRequest({ ...searchQuery, q: 'x'.repeat(501) })).toEqual({
      unsupported: true,
      detail: 'q longer than 500 characters',
    });
  });
});

describe('buildHeadlinesRequest', () => {
  it('asks /top-headlines for US business headlines', () => {
    expect(buildHeadlinesRequest(latestQuery)).toEqual({
      method: 'GET',
      path: '/top-headlines',
      query: { country: 'us', category: 'business', pageSize: 10, page: 1 },
    });
  });

  it('declines languages other than English, which top-headlines cannot filter', () => {
    expect(buildHeadlinesRequest({ ...latestQuery, language: 'de' })).toEqual({
      unsupported: true,
      detail: 'language de not supported',
    });
  });
});

newsPageConformance('newsapi', newsapiNewsBySymbol, symbolQuery);
untaggedNewsConformance('newsapi', { search: newsapiNewsSearch, latest: newsapiNewsLatest });

describe('newsapiNewsBySymbol.normalize', () => {
  it('drops [Removed] placeholders and repeated URLs, and tags the tickers named in the text', () => {
    expect(normalizeFixture('newsapi', newsapiNewsBySymbol, 'news-by-symbol.ok', symbolQuery)).toEqual({
      articles: [msftOptions, { ...appleShares, source: 'Yahoo Entertainment' }, techRebound],
    });
  });
});

describe('newsapiArticlesResponseSchema', () => {
  it('rejects a body without articles', () => {
    expect(newsapiArticlesResponseSchema.safeParse({ status: 'ok', totalResults: 3 }).success).toBe(false);
  });

  it('rejects an article whose title is a number', () => {
    const body = {
      status: 'ok',
      articles: [{ title: 42, url: 'https://example.com/a', publishedAt: '2026-11-24T10:00:00Z' }],
    };
    expect(newsapiArticlesResponseSchema.safeParse(body).success).toBe(false);
  });
});

describe('newsapi news round trip', () => {
  useNock();
  const everythingQuery = { q: 'AAPL OR MSFT', language: 'en', sortBy: 'publishedAt', pageSize: '10', page: '1' };

  it('sends the key in the X-Api-Key header and normalizes news-by-symbol', async () => {
    replyWithFixture(
      nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
        .get('/v2/everything')
        .query(everythingQuery),
      'newsapi',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(newsapi, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['MSFT'],
      ['AAPL'],
      [],
    ]);
  });

  it('sends q and the dates for news-search', async () => {
    replyWithFixture(
      nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
        .get('/v2/everything')
        .query({ ...everythingQuery, q: 'interest rates', from: '2026-11-20', to: '2026-11-25T23:59:59' }),
      'newsapi',
      'news-search.ok',
    );
    const outcome = await roundTrip(newsapi, 'news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-25' });
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks top-headlines for news-latest', async () => {
    replyWithFixture(
      nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
        .get('/v2/top-headlines')
        .query({ country: 'us', category: 'business', pageSize: '10', page: '1' }),
      'newsapi',
      'news-latest.ok',
    );
    const outcome = await roundTrip(newsapi, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    replyWithFixture(
      nock('https://newsapi.org').get('/v2/everything').query(everythingQuery),
      'newsapi',
      'error.rate-limited',
    );
    expect(await roundTrip(newsapi, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rateLimited',
      status: 429,
      retryAfterMs: 3_600_000,
    });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock('https://newsapi.org')
      .get('/v2/top-headlines')
      .query(true)
      .reply(200, { status: 'ok', articles: 'none' }, json);
    expect(await roundTrip(newsapi, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the empty page with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(nock('https://newsapi.org').get('/v2/everything').query(true), 'newsapi', 'news-by-symbol.empty');
    expect(await roundTrip(newsapi, 'news-by-symbol', symbolQuery)).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('newsapi news after a schema change', () => {
  it('rejects the empty page with every key renamed, while the recorded one stays an empty page', () => {
    expect(newsapiArticlesResponseSchema.safeParse(driftedReply('newsapi', 'news-by-symbol.empty').body).success).toBe(
      false,
    );
    expect(normalizeFixture('newsapi', newsapiNewsBySymbol, 'news-by-symbol.empty', symbolQuery)).toEqual({
      articles: [],
    });
  });
});
