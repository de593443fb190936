import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { mediastack } from '../../../providers/mediastack/index.js';
import {
  buildLatestRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  mediastackNewsBySymbol,
  mediastackNewsLatest,
  mediastackNewsResponseSchema,
  mediastackNewsSearch,
  type MediastackNewsResponse,
} from '../../../providers/mediastack/news.js';
import { articleId } from '../../../providers/shared/news.js';
import { loadReply } from '../../helpers/fixtures.js';
import { useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const symbolQuery: NewsQuery = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 10, language: 'en' };
const searchQuery: NewsQuery = { symbols: [], q: 'interest rates', from: null, to: null, limit: 10, language: 'en' };
const latestQuery: NewsQuery = { symbols: [], q: null, from: null, to: null, limit: 10, language: 'en' };
const context = { receivedAt: new Date('2026-11-25T12:00:00.000Z') };
const json = { 'content-type': 'application/json' };

function fixtureBody(name: string): nock.Body {
  return loadReply('mediastack', name).body as nock.Body;
}

function rawOf(name: string): MediastackNewsResponse {
  return mediastackNewsResponseSchema.parse(loadReply('mediastack', name).body);
}

function queryOf(request: ReturnType<typeof buildSymbolNewsRequest>): Record<string, unknown> {
  return 'query' in request ? (request.query ?? {}) : {};
}

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

  it('never puts the key parameter in the query', () => {
    expect(Object.keys(queryOf(buildSymbolNewsRequest(symbolQuery)))).not.toContain('access_key');
  });

  it('maps Swedish sv to mediastack spelling se', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'sv' })).toMatchObject({ query: { languages: 'se' } });
  });

  it('declines a language mediastack does not serve', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'ja' })).toEqual({
      unsupported: true,
      detail: 'language ja not supported',
    });
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

  it('declines an empty q', () => {
    expect(buildSearchRequest({ ...searchQuery, q: '  ' })).toEqual({
      unsupported: true,
      detail: 'empty q not supported',
    });
  });

  it('never puts the key parameter in the query', () => {
    expect(Object.keys(queryOf(buildSearchRequest(searchQuery)))).not.toContain('access_key');
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

  it('never puts the key parameter in the query', () => {
    expect(Object.keys(queryOf(buildLatestRequest(latestQuery)))).not.toContain('access_key');
  });
});

describe('mediastackNewsBySymbol.normalize', () => {
  it('maps items field by field, newest first, tagged with the asked tickers named in the text', () => {
    expect(mediastackNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).toEqual({
      articles: [
        {
          id: articleId('https://www.globenewswire.com/news-release/2026/11/24/msft-options.html'),
          title: 'Why MSFT options traders are betting on a breakout',
          summary: null,
          url: 'https://www.globenewswire.com/news-release/2026/11/24/msft-options.html',
          source: 'GlobeNewswire',
          publishedAt: '2026-11-24T20:47:00.000Z',
          symbols: ['MSFT'],
          imageUrl: null,
        },
        {
          id: articleId('https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html'),
          title: 'Apple (AAPL) shares climb as iPhone demand holds up',
          summary: 'Apple stock rose 1.2% on Tuesday after analysts raised iPhone estimates.',
          url: 'https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html',
          source: 'Yahoo Finance',
          publishedAt: '2026-11-24T18:22:41.000Z',
          symbols: ['AAPL'],
          imageUrl: 'https://s.yimg.com/ny/api/res/1.2/apple.jpg',
        },
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
    const result = mediastackNewsBySymbol.normalize(
      rawOf('news-by-symbol.ok'),
      { ...symbolQuery, from: '2026-11-23', to: '2026-11-23' },
      context,
    );
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-23T09:00:00.000Z',
    ]);
  });

  it('trims to the asked limit, newest first', () => {
    const result = mediastackNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), { ...symbolQuery, limit: 1 }, context);
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-24T20:47:00.000Z',
    ]);
  });

  it('returns no articles, not not-found, for an empty page', () => {
    expect(mediastackNewsBySymbol.normalize(rawOf('news-by-symbol.empty'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('drops items without an http(s) URL, a title or a readable date', () => {
    expect(mediastackNewsBySymbol.normalize(rawOf('news-by-symbol.broken-items'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('produces articles that pass the canonical model', () => {
    expect(
      newsSchema.safeParse(mediastackNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).success,
    ).toBe(true);
  });
});

describe('mediastackNewsSearch.normalize', () => {
  it('maps empty strings to null and tags no tickers', () => {
    expect(mediastackNewsSearch.normalize(rawOf('news-search.ok'), searchQuery, context)).toEqual({
      articles: [
        {
          id: articleId('https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/'),
          title: 'Fed signals patience on interest rates as inflation cools',
          summary: 'Federal Reserve officials said they can wait before cutting rates again.',
          url: 'https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/',
          source: 'Reuters',
          publishedAt: '2026-11-25T08:00:00.000Z',
          symbols: [],
          imageUrl: 'https://www.reuters.com/resizer/fed.jpg',
        },
        {
          id: articleId('https://www.example-finance.com/fed-minutes-mortgages'),
          title: 'Interest rates: what the Fed minutes mean for mortgages',
          summary: null,
          url: 'https://www.example-finance.com/fed-minutes-mortgages',
          source: null,
          publishedAt: '2026-11-24T22:15:30.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
  });
});

describe('mediastackNewsLatest.normalize', () => {
  it('maps business headlines and keeps one article per URL, fragment aside', () => {
    expect(mediastackNewsLatest.normalize(rawOf('news-latest.ok'), latestQuery, context)).toEqual({
      articles: [
        {
          id: articleId('https://www.cnbc.com/2026/11/24/stock-market-today-live-updates.html'),
          title: 'Stock futures are little changed after the S&P 500 hits a record',
          summary: 'Stock futures were flat Tuesday night after the S&P 500 closed at an all-time high.',
          url: 'https://www.cnbc.com/2026/11/24/stock-market-today-live-updates.html',
          source: 'CNBC',
          publishedAt: '2026-11-25T01:02:03.000Z',
          symbols: [],
          imageUrl: 'https://image.cnbcfm.com/api/v1/image/futures.jpg',
        },
        {
          id: articleId('https://www.wsj.com/business/energy-oil/oil-prices-slip-9b1c2a7e'),
          title: 'Oil prices slip as supply worries ease',
          summary: null,
          url: 'https://www.wsj.com/business/energy-oil/oil-prices-slip-9b1c2a7e',
          source: 'The Wall Street Journal',
          publishedAt: '2026-11-24T21:30:00.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
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
    const body = { data: [{ title: 'T', url: 'https://example.com/a', published_at: null, image: null }] };
    expect(mediastackNewsResponseSchema.safeParse(body).success).toBe(true);
  });
});

describe('mediastack news round trip', () => {
  useNock();
  const base = 'http://api.mediastack.com';
  const newsQuery = { languages: 'en', sort: 'published_desc', limit: '10', offset: '0' };

  it('sends the key as access_key and normalizes news-by-symbol', async () => {
    nock(base)
      .get('/v1/news')
      .query({ ...newsQuery, keywords: 'AAPL,MSFT', access_key: testKey })
      .reply(200, fixtureBody('news-by-symbol.ok'), json);
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
    nock(base)
      .get('/v1/news')
      .query({ ...newsQuery, keywords: 'interest rates', access_key: testKey })
      .reply(200, fixtureBody('news-search.ok'), json);
    const outcome = await roundTrip(mediastack, 'news-search', searchQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks the business category for news-latest', async () => {
    nock(base)
      .get('/v1/news')
      .query({ ...newsQuery, categories: 'business', access_key: testKey })
      .reply(200, fixtureBody('news-latest.ok'), json);
    const outcome = await roundTrip(mediastack, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    nock(base).get('/v1/news').query(true).reply(429, fixtureBody('error.rate-limited'), json);
    expect(await roundTrip(mediastack, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rate_limit_reached',
      status: 429,
      retryAfterMs: 60_000,
    });
  });

  it('yields auth for an invalid key', async () => {
    nock(base).get('/v1/news').query(true).reply(401, fixtureBody('error.bad-key'), json);
    expect(await roundTrip(mediastack, 'news-search', searchQuery)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock(base).get('/v1/news').query(true).reply(200, { pagination: {}, data: 'none' }, json);
    expect(await roundTrip(mediastack, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });
});
