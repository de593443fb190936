import { describe, expect, it } from 'vitest';
import { gnewsSimulator } from '../../../sandbox/gnews-simulator.js';
import { gnews } from '../../../providers/gnews/index.js';
import { newsQueries } from '../../helpers/news.js';
import { sandboxKey, simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(gnews, gnewsSimulator, {
  capability: 'news-latest',
  query: newsQueries.latest,
  rateLimitWaitMs: 1_000,
  storyUrls: true,
});

describe('gnewsSimulator', () => {
  it('serves news-search, one story in four without an image', async () => {
    const outcome = await sandbox.call('news-search', { ...newsQueries.search, limit: 5 });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(5);
    expect(outcome.result.articles.filter((article) => article.imageUrl === null).length).toBeGreaterThan(0);
  });

  it('accepts the key as the apikey query parameter under /api/v4, as gnews documents', async () => {
    const response = await fetch(`${sandbox.sim.url}/api/v4/top-headlines?category=business&apikey=${sandboxKey}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ totalArticles: expect.any(Number) as number });
  });

  it('answers a /search without q with the real per-parameter 400', async () => {
    const response = await fetch(`${sandbox.sim.url}/search`, { headers: { 'x-api-key': sandboxKey } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { q: 'The query is required.' } });
  });
});
