import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { NewsQuery } from '../../../src/core/index.js';
import { marketaux } from '../../../providers/marketaux/index.js';
import {
  buildLatestNewsRequest,
  buildSearchRequest,
  buildSymbolNewsRequest,
  marketauxNewsBySymbol,
  marketauxNewsLatest,
  marketauxNewsResponseSchema,
  marketauxNewsSearch,
} from '../../../providers/marketaux/news.js';
import { articleId } from '../../../providers/common/news.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { newsPageConformance, newsQueries, newsRequestConformance } from '../../helpers/news.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const symbolQuery: NewsQuery = { ...newsQueries.bySymbol, symbols: ['AAPL', 'TSLA'], limit: 3 };
const searchQuery: NewsQuery = { ...newsQueries.search, limit: 3 };
const latestQuery: NewsQuery = { ...newsQueries.latest, limit: 3 };
const json = { 'content-type': 'application/json' };

// marketaux passes any language on and answers what it has.
newsRequestConformance(marketaux);

describe('buildSymbolNewsRequest', () => {
  it('asks /news/all for the symbols joined with commas, with only their entities', () => {
    expect(buildSymbolNewsRequest(symbolQuery)).toEqual({
      method: 'GET',
      path: '/news/all',
      query: {
        symbols: 'AAPL,TSLA',
        filter_entities: 'true',
        language: 'en',
        limit: 3,
        published_after: undefined,
        published_before: undefined,
      },
    });
  });

  it('sends from as its first second and to as its last', () => {
    const request = buildSymbolNewsRequest({ ...symbolQuery, from: '2026-11-01', to: '2026-11-24' });
    expect(request).toMatchObject({
      query: { published_after: '2026-11-01T00:00:00', published_before: '2026-11-24T23:59:59' },
    });
  });

  it('leaves limit out above the free plan maximum of 3, so each plan answers with its own maximum', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, limit: 20 })).toMatchObject({ query: { limit: undefined } });
  });

  it('spells a share class with a hyphen, as marketaux does', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, symbols: ['BRK.B'] })).toMatchObject({
      query: { symbols: 'BRK-B' },
    });
  });

  it('declines a query without symbols', () => {
    expect(buildSymbolNewsRequest({ ...symbolQuery, symbols: [] })).toEqual({
      unsupported: true,
      detail: 'no symbols asked',
    });
  });
});

describe('buildSearchRequest', () => {
  it('asks /news/all with search as given', () => {
    expect(buildSearchRequest(searchQuery)).toEqual({
      method: 'GET',
      path: '/news/all',
      query: {
        search: 'interest rates',
        language: 'en',
        limit: 3,
        published_after: undefined,
        published_before: undefined,
      },
    });
  });
});

describe('buildLatestNewsRequest', () => {
  it('asks /news/all with no filter but the language', () => {
    expect(buildLatestNewsRequest({ ...latestQuery, language: 'de', limit: 2 })).toEqual({
      method: 'GET',
      path: '/news/all',
      query: { language: 'de', limit: 2, published_after: undefined, published_before: undefined },
    });
  });
});

newsPageConformance('marketaux', marketauxNewsBySymbol, symbolQuery);

describe('marketauxNewsBySymbol.normalize', () => {
  it('maps articles field by field and tags the asked tickers among the entities', () => {
    expect(normalizeFixture('marketaux', marketauxNewsBySymbol, 'news-by-symbol.ok', symbolQuery)).toEqual({
      articles: [
        {
          id: articleId('https://www.investing.com/news/stock-market-news/apple-and-tesla-lead-late-rally-3710319'),
          title: 'Apple and Tesla lead a late rally in megacaps',
          summary: 'Shares of Apple and Tesla rose in the final hour of trading on Tuesday.',
          url: 'https://www.investing.com/news/stock-market-news/apple-and-tesla-lead-late-rally-3710319',
          source: 'investing.com',
          publishedAt: '2026-11-24T20:47:00.000Z',
          symbols: ['AAPL', 'TSLA'],
          imageUrl: 'https://i-invdn-com.investing.com/news/apple_800x533.jpg',
        },
        {
          id: articleId('https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html'),
          title: 'Apple shares climb as iPhone demand holds up',
          summary: 'Apple stock rose 1.2% on Tuesday after analysts raised iPhone estimates...',
          url: 'https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html',
          source: 'finance.yahoo.com',
          publishedAt: '2026-11-24T18:22:41.000Z',
          symbols: ['AAPL'],
          imageUrl: null,
        },
        {
          id: articleId('https://www.reuters.com/business/autos-transportation/tesla-recalls-cybertruck-2026-11-24/'),
          title: 'Tesla recalls Cybertruck units over trim panel',
          summary: 'Tesla is recalling some Cybertruck units, a regulator said.',
          url: 'https://www.reuters.com/business/autos-transportation/tesla-recalls-cybertruck-2026-11-24/',
          source: 'reuters.com',
          publishedAt: '2026-11-24T15:05:09.000Z',
          symbols: ['TSLA'],
          imageUrl: null,
        },
      ],
    });
  });

  it('tags a hyphenated share class with the ticker as asked', () => {
    const raw = marketauxNewsResponseSchema.parse(loadReply('marketaux', 'news-by-symbol.ok').body);
    const item = { ...raw.data[1], entities: [{ symbol: 'BRK-B', country: 'us' }] };
    const query = { ...symbolQuery, symbols: ['BRK.B'] };
    const result = marketauxNewsBySymbol.normalize({ ...raw, data: [item] }, query, { receivedAt: new Date() });
    expect('articles' in result && result.articles[0]?.symbols).toEqual(['BRK.B']);
  });

  it('keeps no entity that was not asked, should the vendor ignore filter_entities', () => {
    const result = normalizeFixture('marketaux', marketauxNewsBySymbol, 'news-by-symbol.ok', {
      ...symbolQuery,
      symbols: ['TSLA'],
    });
    expect('articles' in result && result.articles.map((article) => article.symbols)).toEqual([['TSLA'], [], ['TSLA']]);
  });
});

describe('marketauxNewsSearch.normalize', () => {
  it('tags US tickers only, spells share classes canonically, and maps absent fields to null', () => {
    expect(normalizeFixture('marketaux', marketauxNewsSearch, 'news-search.ok', searchQuery)).toEqual({
      articles: [
        {
          id: articleId('https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/'),
          title: 'Fed signals patience on interest rates as inflation cools',
          summary: 'Federal Reserve officials said they can wait before cutting rates again.',
          url: 'https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/',
          source: 'reuters.com',
          publishedAt: '2026-11-25T08:00:00.000Z',
          symbols: [],
          imageUrl: 'https://www.reuters.com/resizer/fed.jpg',
        },
        {
          id: articleId('https://www.cnbc.com/2026/11/24/berkshire-trims-bank-stakes.html'),
          title: 'Berkshire trims bank stakes as interest rates stay high',
          summary: 'Berkshire Hathaway cut its holdings in two banks, a filing showed.',
          url: 'https://www.cnbc.com/2026/11/24/berkshire-trims-bank-stakes.html',
          source: 'cnbc.com',
          publishedAt: '2026-11-24T22:15:30.000Z',
          symbols: ['BRK.B', 'BAC'],
          imageUrl: 'https://image.cnbcfm.com/api/v1/image/berkshire.jpg',
        },
        {
          id: articleId('https://www.example-finance.com/fed-minutes-mortgages'),
          title: 'Interest rates: what the Fed minutes mean for mortgages',
          summary: null,
          url: 'https://www.example-finance.com/fed-minutes-mortgages',
          source: null,
          publishedAt: '2026-11-24T21:30:00.000Z',
          symbols: [],
          imageUrl: null,
        },
      ],
    });
  });
});

describe('marketauxNewsLatest.normalize', () => {
  it('maps the latest articles and drops listings abroad from the tags', () => {
    const result = normalizeFixture('marketaux', marketauxNewsLatest, 'news-latest.ok', latestQuery);
    expect(
      'articles' in result &&
        result.articles.map(({ publishedAt, source, symbols }) => ({ publishedAt, source, symbols })),
    ).toEqual([
      { publishedAt: '2026-11-25T01:02:03.000Z', source: 'cnbc.com', symbols: ['NVDA'] },
      { publishedAt: '2026-11-24T21:30:00.000Z', source: 'wsj.com', symbols: [] },
      { publishedAt: '2026-11-24T06:10:00.000Z', source: 'asia.nikkei.com', symbols: ['TM'] },
    ]);
  });
});

describe('marketauxNewsResponseSchema', () => {
  it('rejects a body without data', () => {
    expect(marketauxNewsResponseSchema.safeParse({ meta: { found: 0 } }).success).toBe(false);
  });

  it('rejects an article whose title is a number', () => {
    const body = { data: [{ title: 42, url: 'https://example.com/a', published_at: '2026-11-24T10:00:00.000000Z' }] };
    expect(marketauxNewsResponseSchema.safeParse(body).success).toBe(false);
  });

  it('accepts an article with every optional field null', () => {
    const body = {
      meta: { found: 1, returned: 1, limit: 3, page: 1 },
      data: [{ title: null, url: null, published_at: null, entities: null }],
    };
    expect(marketauxNewsResponseSchema.safeParse(body).success).toBe(true);
  });
});

describe('marketaux news round trip', () => {
  useNock();
  const base = 'https://api.marketaux.com';

  it('sends the key as the api_token parameter and normalizes news-by-symbol', async () => {
    replyWithFixture(
      nock(base)
        .get('/v1/news/all')
        .query({ symbols: 'AAPL,TSLA', filter_entities: 'true', language: 'en', limit: '3', api_token: testKey }),
      'marketaux',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(marketaux, 'news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['AAPL', 'TSLA'],
      ['AAPL'],
      ['TSLA'],
    ]);
  });

  it('sends search and the dates for news-search', async () => {
    replyWithFixture(
      nock(base).get('/v1/news/all').query({
        search: 'interest rates',
        language: 'en',
        limit: '3',
        published_after: '2026-11-20T00:00:00',
        published_before: '2026-11-25T23:59:59',
        api_token: testKey,
      }),
      'marketaux',
      'news-search.ok',
    );
    const outcome = await roundTrip(marketaux, 'news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-25' });
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(3);
  });

  it('asks without filters for news-latest', async () => {
    replyWithFixture(
      nock(base).get('/v1/news/all').query({ language: 'en', api_token: testKey }),
      'marketaux',
      'news-latest.ok',
    );
    const outcome = await roundTrip(marketaux, 'news-latest', { ...latestQuery, limit: 10 });
    expect(outcome.outcome === 'ok' && outcome.result.articles[0]?.source).toBe('cnbc.com');
  });

  it('yields rate-limited with retryAfterMs for a 429', async () => {
    replyWithFixture(nock(base).get('/v1/news/all').query(true), 'marketaux', 'error.rate-limited');
    expect(await roundTrip(marketaux, 'news-by-symbol', symbolQuery)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rate_limit_reached',
      status: 429,
      retryAfterMs: 60_000,
    });
  });

  it('yields auth for a 401 invalid_api_token', async () => {
    replyWithFixture(nock(base).get('/v1/news/all').query(true), 'marketaux', 'error.bad-key');
    expect(await roundTrip(marketaux, 'news-latest', latestQuery)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('yields malformed for a body that breaks the schema', async () => {
    nock(base).get('/v1/news/all').query(true).reply(200, { meta: {}, data: 'none' }, json);
    expect(await roundTrip(marketaux, 'news-latest', latestQuery)).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the empty page with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(nock(base).get('/v1/news/all').query(true), 'marketaux', 'news-by-symbol.empty');
    expect(await roundTrip(marketaux, 'news-by-symbol', symbolQuery)).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('marketaux news after a schema change', () => {
  it('rejects the empty page with every key renamed, while the recorded one stays an empty page', () => {
    expect(marketauxNewsResponseSchema.safeParse(driftedReply('marketaux', 'news-by-symbol.empty').body).success).toBe(
      false,
    );
    expect(normalizeFixture('marketaux', marketauxNewsBySymbol, 'news-by-symbol.empty', symbolQuery)).toEqual({
      articles: [],
    });
  });
});
