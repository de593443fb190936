import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import { polygonNewsBySymbol, polygonNewsLatest } from '../../../providers/polygon/news.js';
import { articleId } from '../../../providers/common/news.js';
import type { NewsQuery } from '../../../src/core/index.js';
import { driftedReply, renameKeys, replyWithDrift } from '../../helpers/drift.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { newsRequestConformance } from '../../helpers/news.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.massive.com';
const bySymbol: NewsQuery = { symbols: ['AAPL'], q: null, from: null, to: null, limit: 10, language: 'en' };
const latest: NewsQuery = { ...bySymbol, symbols: [] };

newsRequestConformance(polygon, { unservedLanguage: 'de' });

describe('polygonNewsBySymbol.buildRequest', () => {
  it('filters on the ticker, newest first by publication time', () => {
    const request = polygonNewsBySymbol.buildRequest(bySymbol, { now });
    expect(request).toEqual({
      method: 'GET',
      path: '/v2/reference/news',
      query: {
        ticker: 'AAPL',
        order: 'desc',
        sort: 'published_utc',
        limit: 10,
        'published_utc.gte': undefined,
        'published_utc.lte': undefined,
      },
    });
    expect(Object.keys((request as { query: object }).query)).not.toContain('apiKey');
  });

  it('asks for the first symbol only, since the endpoint takes one ticker', () => {
    expect(polygonNewsBySymbol.buildRequest({ ...bySymbol, symbols: ['MSFT', 'AAPL'] }, { now })).toMatchObject({
      query: { ticker: 'MSFT' },
    });
  });

  it('covers the whole of from and to days and caps the limit at 1000', () => {
    const query = { ...bySymbol, from: '2026-01-01', to: '2026-01-30', limit: 5000 };
    expect(polygonNewsBySymbol.buildRequest(query, { now })).toMatchObject({
      query: {
        limit: 1000,
        'published_utc.gte': '2026-01-01T00:00:00Z',
        'published_utc.lte': '2026-01-30T23:59:59Z',
      },
    });
  });
});

describe('polygonNewsLatest.buildRequest', () => {
  it('sends no ticker', () => {
    expect(polygonNewsLatest.buildRequest(latest, { now })).toMatchObject({
      path: '/v2/reference/news',
      query: { ticker: undefined, order: 'desc', sort: 'published_utc', limit: 10 },
    });
  });
});

describe('normalizeNews', () => {
  it('keeps web articles newest first, with empty strings as null and tickers upper-cased', () => {
    expect(normalizeFixture('polygon', polygonNewsBySymbol, 'news-by-symbol.ok', bySymbol)).toEqual({
      articles: [
        {
          id: articleId('https://www.example-wire.com/apple-supplier'),
          title: 'Apple supplier raises guidance',
          summary: null,
          url: 'https://www.example-wire.com/apple-supplier',
          source: null,
          publishedAt: '2026-01-30T20:01:02.000Z',
          symbols: ['AAPL'],
          imageUrl: null,
        },
        {
          id: articleId('https://www.example-invest.com/news/apple-beats-estimates'),
          title: 'Apple beats estimates on services strength',
          summary: 'Apple beat analyst estimates for the quarter on strong services revenue.',
          url: 'https://www.example-invest.com/news/apple-beats-estimates',
          source: 'Example Invest',
          publishedAt: '2026-01-30T18:33:53.000Z',
          symbols: ['AAPL', 'MSFT'],
          imageUrl: 'https://i.example-invest.com/news/apple.jpg',
        },
      ],
    });
  });

  it('normalizes the latest news, trimmed to the limit', () => {
    expect(normalizeFixture('polygon', polygonNewsLatest, 'news-latest.ok', { ...latest, limit: 1 })).toEqual({
      articles: [
        {
          id: articleId('https://www.example-markets.com/fed-holds-rates'),
          title: 'Fed holds rates steady',
          summary: 'The Federal Reserve left rates unchanged.',
          url: 'https://www.example-markets.com/fed-holds-rates',
          source: 'Example Markets',
          publishedAt: '2026-01-30T19:05:00.000Z',
          symbols: [],
          imageUrl: 'https://www.example-markets.com/fed.jpg',
        },
      ],
    });
  });

  it('drops items without a title or a readable date and returns no articles for an empty page', () => {
    const raw = polygonNewsLatest.responseSchema.parse({
      status: 'OK',
      count: 2,
      results: [
        { title: '', article_url: 'https://a.example.com/1', published_utc: '2026-01-30T10:00:00Z' },
        { title: 'No date', article_url: 'https://a.example.com/2', published_utc: 'yesterday' },
      ],
    });
    expect(polygonNewsLatest.normalize(raw, latest, { receivedAt: now })).toEqual({ articles: [] });
    const empty = polygonNewsLatest.responseSchema.parse({ status: 'OK', count: 0 });
    expect(polygonNewsLatest.normalize(empty, latest, { receivedAt: now })).toEqual({ articles: [] });
  });

  it('rejects results that are not a list', () => {
    expect(polygonNewsLatest.responseSchema.safeParse({ status: 'OK', results: { title: 'x' } }).success).toBe(false);
  });
});

describe('polygon news over HTTP', () => {
  useNock();

  it('fetches news by symbol with the Bearer key and the exact query', async () => {
    replyWithFixture(
      nock(baseUrl).matchHeader('authorization', `Bearer ${testKey}`).get('/v2/reference/news').query({
        ticker: 'AAPL',
        order: 'desc',
        sort: 'published_utc',
        limit: '10',
        'published_utc.gte': '2026-01-30T00:00:00Z',
        'published_utc.lte': '2026-01-30T23:59:59Z',
      }),
      'polygon',
      'news-by-symbol.ok',
    );
    const outcome = await roundTrip(polygon, 'news-by-symbol', { ...bySymbol, from: '2026-01-30', to: '2026-01-30' });
    expect(outcome).toMatchObject({
      outcome: 'ok',
      result: { articles: [{ symbols: ['AAPL'] }, { source: 'Example Invest' }] },
    });
  });

  it('fetches the latest news without a ticker', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/reference/news')
        .query({ order: 'desc', sort: 'published_utc', limit: '10' }),
      'polygon',
      'news-latest.ok',
    );
    const outcome = await roundTrip(polygon, 'news-latest', latest);
    expect(outcome).toMatchObject({ outcome: 'ok', result: { articles: [{ title: 'Fed holds rates steady' }, {}] } });
  });

  it('maps a page with every key renamed to malformed, not to an empty page', async () => {
    replyWithDrift(nock(baseUrl).get('/v2/reference/news').query(true), 'polygon', 'news-latest.ok');
    expect(await roundTrip(polygon, 'news-latest', latest)).toMatchObject({ outcome: 'malformed' });
  });
});

describe('polygon news after a schema change', () => {
  const emptyPage = { results: [], status: 'OK', request_id: '5c4b3a29', count: 0 };

  it('rejects a page with every key renamed, while an empty page stays an empty page', () => {
    expect(polygonNewsLatest.responseSchema.safeParse(driftedReply('polygon', 'news-latest.ok').body).success).toBe(
      false,
    );
    expect(polygonNewsLatest.responseSchema.safeParse(renameKeys(emptyPage)).success).toBe(false);
    const raw = polygonNewsLatest.responseSchema.parse(emptyPage);
    expect(polygonNewsLatest.normalize(raw, latest, { receivedAt: now })).toEqual({ articles: [] });
  });
});
