import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { gnewsSimulator } from '../../../src/sandbox/gnews-simulator.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { gnews } from '../../../providers/gnews/index.js';
import { roundTrip } from '../../helpers/vendor.js';

const symbolQuery: NewsQuery = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 6, language: 'en' };
const searchQuery: NewsQuery = { symbols: [], q: 'interest rates', from: null, to: null, limit: 5, language: 'en' };
const latestQuery: NewsQuery = { symbols: [], q: null, from: null, to: null, limit: 5, language: 'en' };

describe('gnewsSimulator', () => {
  let sim: RunningSimulator;
  const call = (
    capability: 'news-by-symbol' | 'news-search' | 'news-latest',
    query: NewsQuery,
    apiKey: string | null = 'sandbox-key',
  ) => roundTrip(gnews, capability, query, { baseUrl: sim.url, apiKey });

  beforeAll(async () => {
    sim = await startSimulator(gnewsSimulator);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves news-by-symbol with story URLs, tagged with the asked tickers', async () => {
    sim.setFault({ mode: 'ok', delayMs: 0 });
    const outcome = await call('news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(newsSchema.safeParse(outcome.result).success).toBe(true);
    const { articles } = outcome.result;
    expect(articles).toHaveLength(6);
    expect(new Set(articles.map((article) => article.url)).size).toBe(6);
    expect(articles.every((article) => article.url.startsWith('https://news.example.com/'))).toBe(true);
    expect(articles.every((article) => article.symbols.length === 1)).toBe(true);
  });

  it('serves news-search, one story in four without an image', async () => {
    const outcome = await call('news-search', searchQuery);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(5);
    expect(outcome.result.articles.filter((article) => article.imageUrl === null).length).toBeGreaterThan(0);
  });

  it('keeps news-search inside the asked dates', async () => {
    const outcome = await call('news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-24' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles.length).toBeGreaterThan(0);
    expect(outcome.result.articles[0]?.publishedAt.slice(0, 10)).toBe('2026-11-24');
  });

  it('answers a query containing ZZZ with no articles', async () => {
    expect(await call('news-search', { ...searchQuery, q: 'ZZZ' })).toEqual({
      outcome: 'ok',
      result: { articles: [] },
      status: 200,
    });
  });

  it('serves news-latest', async () => {
    const outcome = await call('news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(5);
  });

  it('yields rate-limited with retryAfterMs under the rate-limited fault', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    expect(await call('news-latest', latestQuery)).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 1_000 });
  });

  it('yields malformed under the malformed fault', async () => {
    sim.setFault({ mode: 'malformed', delayMs: 0 });
    expect(await call('news-by-symbol', symbolQuery)).toMatchObject({ outcome: 'malformed' });
  });

  it('yields unavailable under the error fault', async () => {
    sim.setFault({ mode: 'error', delayMs: 0 });
    expect(await call('news-search', searchQuery)).toMatchObject({ outcome: 'unavailable', status: 500 });
  });

  it('yields auth without a key', async () => {
    sim.setFault({ mode: 'ok', delayMs: 0 });
    expect(await call('news-latest', latestQuery, null)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('accepts the key as the apikey query parameter under /api/v4, as gnews documents', async () => {
    const response = await fetch(`${sim.url}/api/v4/top-headlines?category=business&apikey=sandbox-key`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ totalArticles: expect.any(Number) as number });
  });

  it('answers a /search without q with the real per-parameter 400', async () => {
    const response = await fetch(`${sim.url}/search`, { headers: { 'x-api-key': 'sandbox-key' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { q: 'The query is required.' } });
  });
});
