import { storiesAbout, storiesAboutAny, storyUrl, type SimulatedStory } from './market.js';
import {
  isoToTheSecond,
  keyRequiredIn,
  orQueryTopics,
  servedAlsoUnder,
  type SimulatorDefinition,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorRoute,
} from './simulator.js';

/**
 * newsapi.org (https://newsapi.org/docs): /everything, /top-headlines and /top-headlines/sources with the real
 * envelopes. Like the real vendor, every /everything page carries a "[Removed]" placeholder and one repeated URL.
 */

function errorBody(status: number, code: string, message: string): SimulatorReply {
  return { status, body: { status: 'error', code, message } };
}

function toArticle(story: SimulatedStory) {
  return {
    source: { id: null, name: story.source },
    author: `${story.source} staff`,
    title: story.title,
    description: story.summary,
    url: storyUrl(story),
    urlToImage: `https://news.example.com/images/${story.slug}.jpg`,
    publishedAt: isoToTheSecond(story.publishedMs),
    content: `${story.summary} [+1200 chars]`,
  };
}

const removedArticle = {
  source: { id: null, name: '[Removed]' },
  author: null,
  title: '[Removed]',
  description: '[Removed]',
  url: 'https://removed.com',
  urlToImage: null,
  publishedAt: '1970-01-01T00:00:00Z',
  content: '[Removed]',
};

function pageSizeOf(request: SimulatorRequest, fallback: number): number {
  const size = Number(request.query.pageSize ?? fallback);
  return Number.isInteger(size) && size > 0 ? Math.min(size, 100) : fallback;
}

/** `to` may be a date (its midnight) or a date-time; an unzoned time is UTC, as at newsapi. */
function instantOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function everything(request: SimulatorRequest): SimulatorReply {
  const q = request.query.q?.trim();
  if (!q) {
    return errorBody(
      400,
      'parametersMissing',
      'Required parameters are missing, the scope of your search is too broad. Please set any of the following required parameters and try again: q, qInTitle, sources, domains.',
    );
  }
  if (q.includes('ZZZ')) return { status: 200, body: { status: 'ok', totalResults: 0, articles: [] } };
  const pageSize = pageSizeOf(request, 100);
  const fromMs = instantOf(request.query.from) ?? Number.NEGATIVE_INFINITY;
  const toMs = Math.min(request.nowMs, instantOf(request.query.to) ?? request.nowMs);
  const articles: object[] = storiesAboutAny(orQueryTopics(q), toMs, pageSize, fromMs)
    .slice(0, pageSize)
    .map(toArticle);
  // The quirks ride on top of the page rather than inside it, so a demo asking for N articles still gets N.
  const first = articles[0];
  if (first) articles.splice(1, 0, removedArticle, { ...first });
  return { status: 200, body: { status: 'ok', totalResults: articles.length, articles } };
}

function topHeadlines(request: SimulatorRequest): SimulatorReply {
  const { country, category, sources, q } = request.query;
  if (!country && !category && !sources && !q) {
    return errorBody(
      400,
      'parametersMissing',
      'Required parameters are missing. Please set any of the following parameters and try again: sources, q, language, country, category.',
    );
  }
  const articles = storiesAbout(q ?? 'Wall Street', request.nowMs, pageSizeOf(request, 20)).map(toArticle);
  return { status: 200, body: { status: 'ok', totalResults: articles.length, articles } };
}

function headlineSources(): SimulatorReply {
  const sources = ['Market Wire', 'Daily Ledger', 'Finance Today'].map((name) => ({
    id: name.toLowerCase().replace(/\s+/g, '-'),
    name,
    description: `${name}, a simulated business news source.`,
    url: `https://news.example.com/${name.toLowerCase().replace(/\s+/g, '-')}`,
    category: 'business',
    language: 'en',
    country: 'us',
  }));
  return { status: 200, body: { status: 'ok', sources } };
}

const routes: SimulatorRoute[] = [
  { path: '/everything', handle: everything },
  { path: '/top-headlines', handle: topHeadlines },
  { path: '/top-headlines/sources', handle: headlineSources },
];

export const newsapiSimulator: SimulatorDefinition = {
  vendor: 'newsapi',
  routes: servedAlsoUnder('/v2', routes),
  authorize: keyRequiredIn(
    ['apiKey'],
    ['x-api-key', 'authorization'],
    errorBody(
      401,
      'apiKeyMissing',
      'Your API key is missing. Append this to the URL with the apiKey param, or use the x-api-key HTTP header.',
    ),
  ),
  errorReply() {
    return errorBody(
      500,
      'unexpectedError',
      "This shouldn't happen, and if it does then it's our fault, not yours. Try the request again shortly.",
    );
  },
  // newsapi sends no reset hint with its 429.
  rateLimitedReply() {
    return errorBody(
      429,
      'rateLimited',
      'You have made too many requests recently. Developer accounts are limited to 100 requests over a 24 hour period (50 requests available every 12 hours). Please upgrade to a paid plan if you need more requests.',
    );
  },
};
