import { describe, expect, it } from 'vitest';
import { articleId } from '../../providers/common/news.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const news = async (gateway: TestGateway, query: string) => {
  const response = await gateway.app.inject({ method: 'GET', url: `/v1/news${query}` });
  return { status: response.statusCode, body: response.json() };
};

type Article = { id: string; url: string; publishedAt: string; symbols: string[] };

describe('news merged from several vendors (routing.newsSources: 2)', () => {
  it('asks two vendors at once and returns one article per URL with a stable id, newest first', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.routing.newsSources = 2) });
    const { status, body } = await news(gateway, '?q=earnings&limit=30');
    expect(status).toBe(200);
    expect(body.meta.provider.split(',')).toHaveLength(2);
    const articles = body.data.articles as Article[];
    expect(articles.length).toBeGreaterThan(0);
    expect(new Set(articles.map((entry) => entry.url)).size).toBe(articles.length);
    for (const entry of articles) {
      expect(entry.id).toBe(articleId(entry.url));
      expect(entry.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const times = articles.map((entry) => entry.publishedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('removes the copies two vendors send of the same story and keeps the tickers a vendor tagged', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.routing.newsSources = 2;
        // Two vendors whose simulators publish the same stories at the same URLs; marketaux tags tickers.
        config.routing.strategy = 'priority';
        for (const name of ['polygon', 'finnhub', 'gnews', 'mediastack']) config.providers[name]!.enabled = false;
      },
    });
    const single = await news(gateway, '?symbols=AAPL&limit=50&provider=newsapi');
    const merged = await news(gateway, '?symbols=AAPL&limit=50');
    expect(merged.body.meta.provider).toBe('marketaux,newsapi');
    const mergedArticles = merged.body.data.articles as Article[];
    const newsapiUrls = new Set((single.body.data.articles as Article[]).map((entry) => entry.url));
    const shared = mergedArticles.filter((entry) => newsapiUrls.has(entry.url));
    expect(shared.length).toBeGreaterThan(0);
    expect(new Set(mergedArticles.map((entry) => entry.id)).size).toBe(mergedArticles.length);
    expect(shared.every((entry) => entry.symbols.includes('AAPL'))).toBe(true);
  });

  it('still answers when one lane fails, failing over inside the other lanes', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.routing.newsSources = 2) });
    await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/gnews/fault',
      payload: { mode: 'error', delayMs: 0 },
    });
    const { status, body } = await news(gateway, '?q=earnings&limit=10');
    expect(status).toBe(200);
    expect(body.meta.attempts).toContainEqual(expect.objectContaining({ provider: 'gnews', outcome: 'unavailable' }));
    expect(body.meta.provider.split(',')).toHaveLength(2);
  });
});
