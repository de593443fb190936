import { describe, expect, it } from 'vitest';
import { newsapiSimulator } from '../../../sandbox/newsapi-simulator.js';
import { newsapi } from '../../../providers/newsapi/index.js';
import { newsQueries } from '../../helpers/news.js';
import { sandboxKey, simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(newsapi, newsapiSimulator, {
  capability: 'news-latest',
  query: newsQueries.latest,
  rateLimitWaitMs: 3_600_000,
  storyUrls: true,
});

describe('newsapiSimulator', () => {
  it('accepts the key as the apiKey query parameter, as newsapi documents', async () => {
    const response = await fetch(`${sandbox.sim.url}/v2/top-headlines/sources?apiKey=${sandboxKey}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('answers a keyword-less /everything with the real 400 parametersMissing', async () => {
    const response = await fetch(`${sandbox.sim.url}/everything`, { headers: { authorization: sandboxKey } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'error', code: 'parametersMissing' });
  });
});
