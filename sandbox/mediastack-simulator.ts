import { apilayerInternalError, apilayerMissingKey, apilayerRateLimited } from './apilayer.js';
import { storiesAboutAny, storyUrl, type SimulatedStory } from './market.js';
import {
  keyRequiredIn,
  okReply,
  servedAlsoUnder,
  type SimulatorDefinition,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorRoute,
} from './simulator.js';

/**
 * mediastack (https://api.mediastack.com/v1, https://mediastack.com/documentation): /news and /sources with apilayer's
 * envelopes. `keywords` is read as a comma-separated list of topics, `categories=business` serves market headlines;
 * `sort`, `date`, `countries` and `sources` are accepted and ignored (every page is newest first). Some stories come
 * with `description: ""`, `image: null` or `author: null`, as real ones do.
 */

const storyEveryMs = 37 * 60_000;

/** mediastack stamps articles to the second with an explicit offset: "2026-11-24T18:22:41+00:00". */
function offsetIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function toArticle(story: SimulatedStory, language: string) {
  // The story's slot number picks its quirks, so a story looks the same on every page it appears on.
  const slot = Math.round(story.publishedMs / storyEveryMs);
  return {
    author: slot % 5 === 0 ? null : `${story.source} staff`,
    title: story.title,
    description: slot % 3 === 0 ? '' : story.summary,
    url: storyUrl(story),
    source: story.source,
    image: slot % 4 === 0 ? null : `https://news.example.com/images/${story.slug}.jpg`,
    category: 'business',
    language,
    country: 'us',
    published_at: offsetIso(story.publishedMs),
  };
}

function numberParam(value: string | undefined, fallback: number, max: number): number {
  const parsed = Number(value ?? fallback);
  return Number.isInteger(parsed) && parsed >= 0 ? Math.min(parsed, max) : fallback;
}

function news(request: SimulatorRequest): SimulatorReply {
  const { keywords, categories, languages } = request.query;
  const limit = Math.max(1, numberParam(request.query.limit, 25, 100));
  const offset = numberParam(request.query.offset, 0, 10_000);
  const pagination = { limit, offset };
  if (keywords?.includes('ZZZ')) return okReply({ pagination: { ...pagination, count: 0, total: 0 }, data: [] });
  const topics = keywords
    ? keywords.split(',').map((topic) => topic.trim())
    : [categories?.includes('business') ? 'Wall Street' : 'World'];
  const language = languages?.split(',')[0] ?? 'en';
  const data = storiesAboutAny(topics, request.nowMs, offset + limit)
    .slice(offset, offset + limit)
    .map((story) => toArticle(story, language));
  // The real total counts the whole archive that matches; ours is endless, so a round number stands in.
  return okReply({ pagination: { ...pagination, count: data.length, total: 10_000 }, data });
}

function sources(request: SimulatorRequest): SimulatorReply {
  const limit = Math.max(1, numberParam(request.query.limit, 25, 100));
  const data = ['Market Wire', 'Daily Ledger', 'Finance Today', 'The Ticker Tape', 'Coin Journal']
    .slice(0, limit)
    .map((name) => {
      const id = name.toLowerCase().replace(/\s+/g, '');
      return { id, name, category: 'business', country: 'us', language: 'en', url: `https://news.example.com/${id}` };
    });
  return okReply({ pagination: { limit, offset: 0, count: data.length, total: 5 }, data });
}

const routes: SimulatorRoute[] = [
  { path: '/news', handle: news },
  { path: '/sources', handle: sources },
];

export const mediastackSimulator: SimulatorDefinition = {
  vendor: 'mediastack',
  routes: servedAlsoUnder('/v1', routes),
  // apilayer's own answers, as marketstack gives them.
  authorize: keyRequiredIn(['access_key'], [], apilayerMissingKey),
  errorReply: () => apilayerInternalError,
  rateLimitedReply: () => apilayerRateLimited,
};
