import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { newsapi } from '../../../providers/newsapi/index.js';
import {
  buildHeadlinesRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  newsapiArticlesResponseSchema,
  newsapiNewsBySymbol,
  newsapiNewsLatest,
  newsapiNewsSearch,
  type NewsapiArticlesResponse,
} from '../../../providers/newsapi/news.js';
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
  return loadReply('newsapi', name).body as nock.Body;
}

function rawOf(name: string): NewsapiArticlesResponse {
  return newsapiArticlesResponseSchema.parse(loadReply('newsapi', name).body);
}

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

  it('never puts the key parameter in the query', () => {
    const request = buildSymbolNewsRequest(symbolQuery);
    expect(Object.keys('query' in request ? (request.query ?? {}) : {})).not.toContain('apiKey');
    expect(JSON.stringify(request).toLowerCase()).not.toContain('x-api-key');
  });

  it('maps ur to newsapi spelling ud', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'ur' })).toMatchObject({ query: { language: 'ud' } });
  });

  it('declines a language /everything does not know', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, language: 'ja' })).toEqual({
      unsupported: true,
      detail: 'language ja not supported',
    });
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

  it('declines an empty q', () => {
    expect(buildSearchRequest({ ...searchQuery, q: null })).toEqual({
      unsupported: true,
      detail: 'empty q not supported',
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

describe('newsapiNewsBySymbol.normalize', () => {
  it('drops [Removed] placeholders and repeated URLs, and tags the tickers named in the text', () => {
    expect(newsapiNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).toEqual({
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
          source: 'Yahoo Entertainment',
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
    const result = newsapiNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), { ...symbolQuery, limit: 1 }, context);
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-24T20:47:00.000Z',
    ]);
  });

  it('returns no articles, not not-found, for an empty page', () => {
    expect(newsapiNewsBySymbol.normalize(rawOf('news-by-symbol.empty'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('drops items without an http(s) URL, a title or a readable date', () => {
    expect(newsapiNewsBySymbol.normalize(rawOf('news-by-symbol.broken-items'), symbolQuery, context)).toEqual({
      articles: [],
    });
  });

  it('produces articles that pass the canonical model', () => {
    expect(
      newsSchema.safeParse(newsapiNewsBySymbol.normalize(rawOf('news-by-symbol.ok'), symbolQuery, context)).success,
    ).toBe(true);
  });
});

describe('newsapiNewsSearch.normalize', () => {
  it('maps empty strings to null and tags no tickers', () => {
    expect(newsapiNewsSearch.normalize(rawOf('news-search.ok'), searchQuery, context)).toEqual({
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

describe('newsapiNewsLatest.normalize', () => {
  it('maps top headlines field by field', () => {
    expect(newsapiNewsLatest.normalize(rawOf('news-latest.ok'), latestQuery, context)).toEqual({
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

  it('keeps only headlines inside from/to, which top-headlines cannot filter', () => {
    const result = newsapiNewsLatest.normalize(
      rawOf('news-latest.ok'),
      { ...latestQuery, from: '2026-11-24', to: '2026-11-24' },
      context,
    );
    expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
      '2026-11-24T21:30:00.000Z',
    ]);
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
    nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
      .get('/v2/everything')
      .query(everythingQuery)
      .reply(200, fixtureBody('news-by-symbol.ok'), json);
    const outcome = await roundTrip(newsapi, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['MSFT'],
      ['AAPL'],
      [],
    ]);
  });

  it('sends q and the dates for news-search', async () => {
    nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
      .get('/v2/everything')
      .query({ ...everythingQuery, q: 'interest rates', from: '2026-11-20', to: '2026-11-25T23:59:59' })
      .reply(200, fixtureBody('news-search.ok'), json);
    const outcome = await roundTrip(newsapi, 'news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-25' });
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(2);
  });

  it('asks top-headlines for news-latest', async () => {
    nock('https://newsapi.org', { reqheaders: { 'x-api-key': testKey } })
      .get('/v2/top-headlines')
      .query({ country: 'us', category: 'business', pageSize: '10', page: '1' })
      .reply(200, fixtureBody('news-latest.ok'), json);
    const outcome = await roundTrip(newsapi, 'news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('CNBC');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    nock('https://newsapi.org')
      .get('/v2/everything')
      .query(everythingQuery)
      .reply(429, fixtureBody('error.rate-limited'), json);
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
});
