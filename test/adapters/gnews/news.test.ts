import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { gnews } from '../../../providers/gnews/index.js';
import {
  buildHeadlinesRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  gnewsArticlesResponseSchema,
  gnewsNewsBySymbol,
  gnewsNewsLatest,
  gnewsNewsSearch,
  type GnewsArticlesResponse,
} from '../../../providers/gnews/news.js';
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
  return loadReply('gnews', name).body as nock.Body;
}

function rawOf(name: string): GnewsArticlesResponse {
  return gnewsArticlesResponseSchema.parse(loadReply('gnews', name).body);
}

function queryKeysOf(request: object): string[] {
  return 'query' in request ? Object.keys((request as { query?: object }).query ?? {}) : [];
}

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

  it('never puts the key parameter in the query', () => {
    const request = buildSymbolNewsRequest(symbolQuery);
    expect(queryKeysOf(request)).not.toContain('apikey');
    expect(JSON.stringify(request).toLowerCase()).not.toContain('x-api-key');
  });

  it('declines a language gnews does not serve', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'ko' })).toEqual({
      unsupported: true,
      detail: 'language ko not supported',
    });
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

  it('declines an empty q, which gnews requires', () => {
    expect(buildSearchRequest({ ...searchQuery, q: '  ' })).toEqual({
      unsupported: true,
      detail: 'empty q not supported',
    });
  });

  it('never puts the key parameter in the query', () => {
    expect(queryKeysOf(buildSearchRequest(searchQuery))).not.toContain('apikey');
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

  it('never puts the key parameter in the query', () => {
    expect(queryKeysOf(buildHeadlinesRequest(latestQuery))).not.toContain('apikey');
  });

  it('declines a language gnews does not serve', () => {
    expect(buildHeadlinesRequest({ ...latestQuery, language: 'tr' })).toEqual({
      unsupported: true,
      detail: 'language tr not supported',
    });
  });
});

describe('gnewsNewsBySymbol.normalize', () => {
  it('maps articles field by field, drops a repeated URL, and tags the tickers named in the text', () => {
    expect(gnewsNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).toEqual({
      articles: [
        {
          id: articleId('https://www.globenewswire.com/news-release/2026/11/24/msft-options.html'),
          title: 'Why MSFT options traders are betting on a breakout',
          summary: 'Options volume in MSFT and $NVDA jumped ahead of the Fed minutes.',
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
          id: articleId('https://www.businessinsider.com/tech-rebound-msft-aapl-2026-11'),
          title: 'Microsoft and Apple lead a tech rebound',
          summary: null,
          url: 'https://www.businessinsider.com/tech-rebound-msft-aapl-2026-11',
          source: 'Business Insider',
          publishedAt: '2026-11-24T15:05:09.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
  });

  it('trims to the asked limit, newest first', () => {
    const result = gnewsNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), { ...symbolQuery, limit: 1 }, context);
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-24T20:47:00.000Z',
    ]);
  });

  it('returns no articles, not not-found, for an empty page', () => {
    expect(gnewsNewsBySymbol.normalize(rawOf('news-by-symbol.empty'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('drops items without an http(s) URL, a title or a readable date', () => {
    expect(gnewsNewsBySymbol.normalize(rawOf('news-by-symbol.broken-items'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('produces articles that pass the canonical model', () => {
    expect(
      newsSchema.safeParse(gnewsNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).success,
    ).toBe(true);
  });
});

describe('gnewsNewsSearch.normalize', () => {
  it('maps empty strings and nulls to null and tags no tickers', () => {
    expect(gnewsNewsSearch.normalize(rawOf('news-search.ok'), searchQuery, context)).toEqual({
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

describe('gnewsNewsLatest.normalize', () => {
  it('maps top headlines field by field', () => {
    expect(gnewsNewsLatest.normalize(rawOf('news-latest.ok'), latestQuery, context)).toEqual({
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

  it('keeps only headlines inside from/to, which the request does not filter', () => {
    const result = gnewsNewsLatest.normalize(
      rawOf('news-latest.ok'),
      { ...latestQuery, from: '2026-11-24', to: '2026-11-24' },
      context,
    );
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-24T21:30:00.000Z',
    ]);
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
    nock('https://gnews.io', { reqheaders: { 'x-api-key': testKey } })
      .get('/api/v4/search')
      .query({ ...searchBase, q: 'AAPL OR MSFT' })
      .reply(200, fixtureBody('news-by-symbol.ok'), json);
    const outcome = await roundTrip(gnews, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['MSFT'],
      ['AAPL'],
      [],
    ]);
  });

  it('passes from/to as instants for news-search', async () => {
    nock('https://gnews.io')
      .matchHeader('x-api-key', testKey)
      .get('/api/v4/search')
      .query({ ...searchBase, q: 'interest rates', from: '2026-11-20T00:00:00Z', to: '2026-11-25T23:59:59Z' })
      .reply(200, fixtureBody('news-search.ok'), json);
    const outcome = await roundTrip(gnews, 'news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-25' });
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks top-headlines for news-latest', async () => {
    nock('https://gnews.io', { reqheaders: { 'x-api-key': testKey } })
      .get('/api/v4/top-headlines')
      .query({ category: 'business', lang: 'en', max: '10' })
      .reply(200, fixtureBody('news-latest.ok'), json);
    const outcome = await roundTrip(gnews, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    nock('https://gnews.io')
      .get('/api/v4/search')
      .query({ ...searchBase, q: 'AAPL OR MSFT' })
      .reply(429, fixtureBody('error.too-many-requests'), json);
    expect(await roundTrip(gnews, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429',
      status: 429,
      retryAfterMs: 1_000,
    });
  });

  it('yields rate-limited until midnight UTC for a 403 used quota', async () => {
    nock('https://gnews.io')
      .get('/api/v4/top-headlines')
      .query(true)
      .reply(403, fixtureBody('error.daily-quota'), { ...json, date: 'Wed, 25 Nov 2026 18:00:00 GMT' });
    expect(await roundTrip(gnews, 'news-latest', latestQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 403 daily quota used',
      status: 403,
      retryAfterMs: 21_600_000,
    });
  });

  it('yields auth for a 401', async () => {
    nock('https://gnews.io').get('/api/v4/search').query(true).reply(401, fixtureBody('error.bad-key'), json);
    expect(await roundTrip(gnews, 'news-search', searchQuery)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock('https://gnews.io')
      .get('/api/v4/top-headlines')
      .query(true)
      .reply(200, { totalArticles: 3, articles: 'none' }, json);
    expect(await roundTrip(gnews, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });
});
