import { describe, expect, it } from 'vitest';
import { marketauxSimulator } from '../../../sandbox/marketaux-simulator.js';
import { marketaux } from '../../../providers/marketaux/index.js';
import { newsQueries } from '../../helpers/news.js';
import { sandboxKey, simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(marketaux, marketauxSimulator, {
  capability: 'news-latest',
  query: newsQueries.latest,
  rateLimitWaitMs: 60_000,
  storyUrls: true,
  // The free plan serves at most 3 articles a call.
  articlesPerCall: 3,
});

describe('marketauxSimulator', () => {
  it('tags a share class with the canonical ticker', async () => {
    const outcome = await sandbox.call('news-by-symbol', { ...newsQueries.bySymbol, symbols: ['BRK.B'], limit: 2 });
    expect(outcome.outcome === 'ok' && outcome.result.articles.map((article) => article.symbols)).toEqual([
      ['BRK.B'],
      ['BRK.B'],
    ]);
  });

  it('serves news-search inside the asked dates', async () => {
    const outcome = await sandbox.call('news-search', {
      ...newsQueries.search,
      limit: 3,
      from: '2026-11-20',
      to: '2026-11-24',
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(3);
    expect(outcome.result.articles.every((article) => article.publishedAt.slice(0, 10) === '2026-11-24')).toBe(true);
  });

  it('stamps published_at with six fractional digits and the source as a domain', async () => {
    const response = await fetch(`${sandbox.sim.url}/v1/news/all?api_token=${sandboxKey}&symbols=AAPL&limit=1`);
    const body = (await response.json()) as { meta: unknown; data: { published_at: string; source: string }[] };
    expect(body.meta).toEqual({ found: 200, returned: 1, limit: 1, page: 1 });
    expect(body.data[0]?.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(body.data[0]?.source).toBe('news.example.com');
  });

  it('answers an unreadable date with the real 400 malformed_parameters', async () => {
    const response = await fetch(`${sandbox.sim.url}/news/all?api_token=${sandboxKey}&published_after=soon`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'malformed_parameters' } });
  });
});
