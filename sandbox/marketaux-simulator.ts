import { createHash } from 'node:crypto';
import { isUnknownSymbol, round, storiesAboutAny, storyUrl, type SimulatedStory } from './market.js';
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
 * marketaux (https://www.marketaux.com/documentation): GET /news/all with the real envelope, as the free plan serves
 * it (at most 3 articles a call). A story about a ticker carries it as an entity; without filter_entities=true its
 * Mexican listing rides along too, as real entity lists do (TSLA and TSLA.MX). Unknown tickers (ZZZ…) and searches
 * for them find nothing: 200 with empty data. The sandbox holds English stories only.
 */

const planLimit = 3;
const storiesPerTopic = 200;

function errorBody(status: number, code: string, message: string): SimulatorReply {
  return { status, body: { error: { code, message } } };
}

/** marketaux stamps microseconds: "2026-11-24T18:22:41.000000Z". */
function microsIso(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function uuidOf(story: SimulatedStory): string {
  const hex = digestOf(story.slug);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function entitiesOf(story: SimulatedStory, filtered: boolean): object[] {
  const sentiment = round((parseInt(digestOf(`sentiment|${story.slug}`).slice(0, 4), 16) / 0xffff) * 2 - 1, 4);
  return story.symbols.flatMap((ticker) => {
    // Yahoo spelling: a share class takes a hyphen (BRK-B).
    const symbol = ticker.replace(/\.([A-Z])$/, '-$1');
    const listing = {
      symbol,
      name: `${ticker} Holdings Inc.`,
      exchange: null,
      exchange_long: null,
      country: 'us',
      type: 'equity',
      industry: 'Technology',
      match_score: 25.5,
      sentiment_score: sentiment,
      highlights: [
        { highlight: `<em>${ticker}</em> ${story.title.slice(ticker.length + 1)}`, sentiment, highlighted_in: 'title' },
      ],
    };
    const abroad = {
      ...listing,
      symbol: `${symbol}.MX`,
      exchange: 'MEX',
      exchange_long: 'Mexican Stock Exchange',
      country: 'mx',
    };
    return filtered ? [listing] : [listing, abroad];
  });
}

function toArticle(story: SimulatedStory, request: SimulatorRequest) {
  return {
    uuid: uuidOf(story),
    title: story.title,
    description: story.summary,
    keywords: '',
    snippet: `${story.summary} Markets reacted through the session...`,
    url: storyUrl(story),
    image_url: `https://news.example.com/images/${story.slug}.jpg`,
    language: 'en',
    published_at: microsIso(story.publishedMs),
    source: 'news.example.com',
    relevance_score: request.query.search ? 20.5 : null,
    entities: entitiesOf(story, request.query.filter_entities === 'true'),
    similar: [],
  };
}

/** Y-m-d\TH:i:s down to Y, read as UTC; undefined when absent, NaN when unreadable. */
function instantOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const [date = '', time = ''] = value.split('T');
  const [year, month = '01', day = '01'] = date.split('-');
  const [hour = '00', minute = '00', second = '00'] = time.split(':');
  return Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}

function newsAll(request: SimulatorRequest): SimulatorReply {
  const { symbols, search, language, published_after: after, published_before: before } = request.query;
  const fromMs = instantOf(after) ?? Number.NEGATIVE_INFINITY;
  const toMs = Math.min(request.nowMs, instantOf(before) ?? request.nowMs);
  for (const [name, ms] of [
    ['published_after', fromMs],
    ['published_before', toMs],
  ] as const) {
    if (Number.isNaN(ms))
      return errorBody(400, 'malformed_parameters', `The ${name} parameter(s) are incorrectly formatted.`);
  }
  const limit = Math.min(planLimit, Math.max(1, Number(request.query.limit) || planLimit));
  const page = Math.max(1, Number(request.query.page) || 1);
  const topics = symbols
    ? symbols.split(',').map((symbol) =>
        symbol
          .trim()
          .toUpperCase()
          .replace(/-([A-Z])$/, '.$1'),
      )
    : [search?.trim() || 'Wall Street'];
  const english = !language || language.split(',').includes('en');
  const known = topics.filter((topic) => english && !isUnknownSymbol(topic) && !topic.includes('ZZZ'));
  const found = storiesAboutAny(known, toMs, storiesPerTopic, fromMs);
  const data = found.slice((page - 1) * limit, page * limit).map((story) => toArticle(story, request));
  return okReply({ meta: { found: found.length, returned: data.length, limit, page }, data });
}

const routes: SimulatorRoute[] = [{ path: '/news/all', handle: newsAll }];

export const marketauxSimulator: SimulatorDefinition = {
  vendor: 'marketaux',
  routes: servedAlsoUnder('/v1', routes),
  // The token goes only as the api_token GET parameter.
  authorize: keyRequiredIn(['api_token'], [], errorBody(401, 'invalid_api_token', 'Invalid API token.')),
  errorReply() {
    return errorBody(500, 'server_error', 'A server error occured.');
  },
  // marketaux sends its per-minute allowance, not a reset time.
  rateLimitedReply() {
    return {
      ...errorBody(429, 'rate_limit_reached', 'Too many requests in the past 60 seconds.'),
      headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0' },
    };
  },
};
