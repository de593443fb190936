import { createHash } from 'node:crypto';
import { storiesAbout, storiesAboutAny, storyUrl, type SimulatedStory } from './market.js';
import {
  isoToTheSecond,
  keyRequiredIn,
  okReply,
  orQueryTopics,
  servedAlsoUnder,
  type SimulatorDefinition,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorRoute,
} from './simulator.js';

/**
 * gnews.io (https://docs.gnews.io): /search and /top-headlines with the real envelope `{totalArticles, articles}` and
 * the real errors `{"errors":[…]}` / `{"errors":{"q":…}}`. gnews tags no tickers and sends no reset hint.
 */

function errorsReply(status: number, errors: string[] | Record<string, string>): SimulatorReply {
  return { status, body: { errors } };
}

function toArticle(story: SimulatedStory, lang: string) {
  const site = `https://${story.source.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`;
  return {
    id: createHash('sha256').update(story.slug).digest('hex').slice(0, 32),
    title: story.title,
    description: story.summary,
    content: `${story.summary} Markets moved as traders weighed the news... [1290 chars]`,
    url: storyUrl(story),
    // Every fourth story has no picture. gnews sends null images only to callers asking nullable=image; the simulator
    // sends them anyway so the gateway's null path stays exercised.
    image:
      Math.floor(story.publishedMs / 2_220_000) % 4 === 0 ? null : `https://news.example.com/images/${story.slug}.jpg`,
    publishedAt: isoToTheSecond(story.publishedMs),
    lang,
    source: {
      id: createHash('sha256').update(site).digest('hex').slice(0, 32),
      name: story.source,
      url: site,
      country: 'us',
    },
  };
}

function maxOf(request: SimulatorRequest): number {
  const max = Number(request.query.max ?? 10);
  return Number.isInteger(max) && max > 0 ? Math.min(max, 100) : 10;
}

function instantOf(value: string | undefined): number | undefined {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function search(request: SimulatorRequest): SimulatorReply {
  const q = request.query.q?.trim();
  if (!q) return errorsReply(400, { q: 'The query is required.' });
  if (q.includes('ZZZ')) return okReply({ totalArticles: 0, articles: [] });
  const max = maxOf(request);
  const fromMs = instantOf(request.query.from) ?? Number.NEGATIVE_INFINITY;
  const toMs = Math.min(request.nowMs, instantOf(request.query.to) ?? request.nowMs);
  const stories = storiesAboutAny(orQueryTopics(q), toMs, max, fromMs);
  const articles = stories.slice(0, max).map((story) => toArticle(story, request.query.lang ?? 'en'));
  return okReply({ totalArticles: stories.length * 37, articles });
}

function topHeadlines(request: SimulatorRequest): SimulatorReply {
  // The same topic as newsapi's business headlines, so the gateway's cross-vendor dedupe has shared URLs to find.
  const topic = request.query.category === 'business' ? 'Wall Street' : (request.query.q ?? 'World');
  const articles = storiesAbout(topic, request.nowMs, maxOf(request)).map((story) =>
    toArticle(story, request.query.lang ?? 'en'),
  );
  return okReply({ totalArticles: articles.length * 12, articles });
}

const routes: SimulatorRoute[] = [
  { path: '/search', handle: search },
  { path: '/top-headlines', handle: topHeadlines },
];

export const gnewsSimulator: SimulatorDefinition = {
  vendor: 'gnews',
  routes: servedAlsoUnder('/api/v4', routes),
  authorize: keyRequiredIn(
    ['apikey'],
    ['x-api-key'],
    errorsReply(401, [
      'You did not provide an API key. You need to provide your API key in the apikey parameter or in the X-Api-Key header.',
    ]),
  ),
  errorReply() {
    return errorsReply(500, ['An internal error has occurred, please try again later.']);
  },
  // gnews documents no reset hint for its 429 ("too many requests in a short time period").
  rateLimitedReply() {
    return errorsReply(429, ['You have made too many requests in a short time period, please slow down.']);
  },
};
