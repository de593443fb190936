import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsSchema, type NewsQuery } from '../../../src/contract/index.js';
import { mediastackSimulator } from '../../../src/sandbox/mediastack-simulator.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { mediastack } from '../../../providers/mediastack/index.js';
import { roundTrip } from '../../helpers/vendor.js';

const symbolQuery: NewsQuery = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 6, language: 'en' };
const searchQuery: NewsQuery = { symbols: [], q: 'interest rates', from: null, to: null, limit: 5, language: 'en' };
const latestQuery: NewsQuery = { symbols: [], q: null, from: null, to: null, limit: 5, language: 'en' };

describe('mediastackSimulator', () => {
  let sim: RunningSimulator;
  const call = (
    capability: 'news-by-symbol' | 'news-search' | 'news-latest',
    query: NewsQuery,
    apiKey: string | null = 'sandbox-key',
  ) => roundTrip(mediastack, capability, query, { baseUrl: sim.url, apiKey });

  beforeAll(async () => {
    sim = await startSimulator(mediastackSimulator);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves news-by-symbol with shared story URLs, tagged with the asked tickers', async () => {
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

  it('serves empty descriptions and missing images as null', async () => {
    const outcome = await call('news-latest', { ...latestQuery, limit: 12 });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles.some((article) => article.summary === null)).toBe(true);
    expect(outcome.result.articles.some((article) => article.imageUrl === null)).toBe(true);
    expect(outcome.result.articles.some((article) => article.summary !== null)).toBe(true);
  });

  it('serves news-search', async () => {
    const outcome = await call('news-search', searchQuery);
    expect(outcome.outcome === 'ok' && outcome.result.articles.length).toBe(5);
  });

  it('answers keywords containing ZZZ with no articles', async () => {
    expect(await call('news-by-symbol', { ...symbolQuery, symbols: ['ZZZQ'] })).toEqual({
      outcome: 'ok',
      result: { articles: [] },
      status: 200,
    });
  });

  it('serves news-latest newest first', async () => {
    const outcome = await call('news-latest', latestQuery);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    const times = outcome.result.articles.map((article) => article.publishedAt);
    expect(times).toHaveLength(5);
    expect(times).toEqual([...times].sort().reverse());
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

  it('serves /sources, the documented health path, under /v1 as on the real host', async () => {
    const response = await fetch(`${sim.url}/v1/sources?limit=1&access_key=sandbox-key`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ pagination: { limit: 1, count: 1 }, data: [{ id: 'marketwire' }] });
  });

  it('answers /news with the published_at offset format mediastack uses', async () => {
    const response = await fetch(`${sim.url}/news?access_key=sandbox-key&keywords=AAPL&limit=1`);
    const body = (await response.json()) as { data: { published_at: string }[] };
    expect(body.data[0]?.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  });
});
