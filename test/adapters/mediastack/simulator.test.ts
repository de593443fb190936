import { describe, expect, it } from 'vitest';
import { mediastackSimulator } from '../../../sandbox/mediastack-simulator.js';
import { mediastack } from '../../../providers/mediastack/index.js';
import { newsQueries } from '../../helpers/news.js';
import { sandboxKey, simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(mediastack, mediastackSimulator, {
  capability: 'news-latest',
  query: newsQueries.latest,
  rateLimitWaitMs: 60_000,
  storyUrls: true,
  datesFilterOnlyThePage: true,
});

describe('mediastackSimulator', () => {
  it('serves empty descriptions and missing images as null', async () => {
    const outcome = await sandbox.call('news-latest', { ...newsQueries.latest, limit: 12 });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles.some((article) => article.summary === null)).toBe(true);
    expect(outcome.result.articles.some((article) => article.imageUrl === null)).toBe(true);
    expect(outcome.result.articles.some((article) => article.summary !== null)).toBe(true);
  });

  it('serves /sources, the documented health path, under /v1 as on the real host', async () => {
    const response = await fetch(`${sandbox.sim.url}/v1/sources?limit=1&access_key=${sandboxKey}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ pagination: { limit: 1, count: 1 }, data: [{ id: 'marketwire' }] });
  });

  it('answers /news with the published_at offset format mediastack uses', async () => {
    const response = await fetch(`${sandbox.sim.url}/news?access_key=${sandboxKey}&keywords=AAPL&limit=1`);
    const body = (await response.json()) as { data: { published_at: string }[] };
    expect(body.data[0]?.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  });
});
