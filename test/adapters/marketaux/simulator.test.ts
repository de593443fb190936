import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { marketauxSimulator } from '../../../src/sandbox/marketaux-simulator.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { marketaux } from '../../../providers/marketaux/index.js';
import { roundTrip } from '../../helpers/vendor.js';

const symbolQuery: NewsQuery = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 10, language: 'en' };
const searchQuery: NewsQuery = { symbols: [], q: 'interest rates', from: null, to: null, limit: 3, language: 'en' };
const latestQuery: NewsQuery = { symbols: [], q: null, from: null, to: null, limit: 3, language: 'en' };

describe('marketauxSimulator', () => {
  let sim: RunningSimulator;
  const call = (
    capability: 'news-by-symbol' | 'news-search' | 'news-latest',
    query: NewsQuery,
    apiKey: string | null = 'sandbox-key',
  ) => roundTrip(marketaux, capability, query, { baseUrl: sim.url, apiKey });

  beforeAll(async () => {
    sim = await startSimulator(marketauxSimulator);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves news-by-symbol, at most 3 articles as on the free plan, each tagged with an asked ticker', async () => {
    sim.setFault({ mode: 'ok', delayMs: 0 });
    const outcome = await call('news-by-symbol', symbolQuery);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(newsSchema.safeParse(outcome.result).success).toBe(true);
    const { articles } = outcome.result;
    expect(articles).toHaveLength(3);
    expect(articles.every((article) => article.url.startsWith('https://news.example.com/'))).toBe(true);
    expect(articles.every((article) => article.symbols.length === 1)).toBe(true);
    expect(articles.every((article) => ['AAPL', 'MSFT'].includes(article.symbols[0] ?? ''))).toBe(true);
  });

  it('tags a share class with the canonical ticker', async () => {
    const outcome = await call('news-by-symbol', { ...symbolQuery, symbols: ['BRK.B'], limit: 2 });
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['BRK.B'],
      ['BRK.B'],
    ]);
  });

  it('answers an unknown symbol with no articles', async () => {
    expect(await call('news-by-symbol', { ...symbolQuery, symbols: ['ZZZZ'] })).toEqual({
      outcome: 'ok',
      result: { articles: [] },
      status: 200,
    });
  });

  it('serves news-search inside the asked dates', async () => {
    const outcome = await call('news-search', { ...searchQuery, from: '2026-11-20', to: '2026-11-24' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(3);
    expect(outcome.result.articles.every((article) => article.publishedAt.slice(0, 10) === '2026-11-24')).toBe(true);
  });

  it('serves news-latest', async () => {
    const outcome = await call('news-latest', latestQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(3);
  });

  it('stamps published_at with six fractional digits and the source as a domain', async () => {
    const response = await fetch(`${sim.url}/v1/news/all?api_token=sandbox-key&symbols=AAPL&limit=1`);
    const body = (await response.json()) as { meta: unknown; data: { published_at: string; source: string }[] };
    expect(body.meta).toEqual({ found: 200, returned: 1, limit: 1, page: 1 });
    expect(body.data[0]?.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(body.data[0]?.source).toBe('news.example.com');
  });

  it('answers an unreadable date with the real 400 malformed_parameters', async () => {
    const response = await fetch(`${sim.url}/news/all?api_token=sandbox-key&published_after=soon`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'malformed_parameters' } });
  });

  it('yields rate-limited with retryAfterMs under the rate-limited fault', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    expect(await call('news-latest', latestQuery)).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 60_000 });
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
});
