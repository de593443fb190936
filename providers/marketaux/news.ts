// GET /news/all — https://www.marketaux.com/documentation (Finance & Market News; serves all three news capabilities)
// docs/vendors.md#marketaux: entities[] tag tickers per article; published_at carries 6 fractional digits
// ("2026-11-24T18:22:41.000000Z"); the free plan returns at most 3 articles a call. Dates are UTC.
import { z } from 'zod';
import {
  defineCapability,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { textOrNull } from '../common/numbers.js';
import { newsPage } from '../common/news.js';
import { toUtcIso } from '../common/time.js';
import { canonicalTicker, toMarketauxSymbol, type MarketauxEntity } from './symbols.js';

// `meta` (found, returned, limit, page) and `data` come on every page, an empty one included; its counts are not read.
export const marketauxNewsResponseSchema = z.object({
  meta: z.object({}),
  data: z.array(
    z.object({
      title: z.string().nullish(),
      description: z.string().nullish(),
      snippet: z.string().nullish(),
      url: z.string().nullish(),
      image_url: z.string().nullish(),
      published_at: z.string().nullish(),
      source: z.string().nullish(),
      entities: z.array(z.object({ symbol: z.string().nullish(), country: z.string().nullish() })).nullish(),
    }),
  ),
});
export type MarketauxNewsResponse = z.infer<typeof marketauxNewsResponseSchema>;

/**
 * `limit` may not exceed the plan's maximum (3 on the free plan), and leaving it out asks for that maximum. So a
 * limit above 3 is left out: every plan then answers with all it may, and finishArticles trims to the asked limit.
 */
const freePlanLimit = 3;

function buildNewsRequest(query: NewsQuery, filters: Record<string, string>): VendorRequest {
  return {
    method: 'GET',
    path: '/news/all',
    query: {
      ...filters,
      language: query.language.toLowerCase(),
      limit: query.limit <= freePlanLimit ? query.limit : undefined,
      // Both ends are instants read as UTC: from's first second and to's last, so both days are included whole.
      published_after: query.from === null ? undefined : `${query.from}T00:00:00`,
      published_before: query.to === null ? undefined : `${query.to}T23:59:59`,
    },
  };
}

export function buildSymbolNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  if (query.symbols.length === 0) return { unsupported: true, detail: 'no symbols asked' };
  // filter_entities keeps only the asked tickers in each article's entities, which become its `symbols`.
  return buildNewsRequest(query, { symbols: query.symbols.map(toMarketauxSymbol).join(','), filter_entities: 'true' });
}

/** With `search`, marketaux ranks by relevance_score; finishArticles puts the page newest first. */
export function buildSearchRequest(query: NewsQuery): VendorRequest | Unsupported {
  const q = query.q?.trim() ?? '';
  if (q === '') return { unsupported: true, detail: 'empty q not supported' };
  return buildNewsRequest(query, { search: q });
}

export function buildLatestNewsRequest(query: NewsQuery): VendorRequest {
  return buildNewsRequest(query, {});
}

/** For news-by-symbol: the asked tickers among the entities, spelled as asked (BRK-B comes back as BRK.B). */
function askedTickersIn(query: NewsQuery): (entities: readonly MarketauxEntity[]) => string[] {
  const asked = new Map(query.symbols.map((symbol) => [toMarketauxSymbol(symbol), symbol.toUpperCase()]));
  return (entities) => entities.flatMap((entity) => asked.get(entity.symbol?.trim().toUpperCase() ?? '') ?? []);
}

/** For search and latest news: every tagged entity that is a US ticker. */
function usTickersIn(entities: readonly MarketauxEntity[]): string[] {
  return entities.flatMap((entity) => canonicalTicker(entity) ?? []);
}

export function normalizeNews(
  raw: MarketauxNewsResponse,
  query: NewsQuery,
  tickersOf: (entities: readonly MarketauxEntity[]) => string[],
): News {
  const items = raw.data.map((item) => ({
    url: item.url,
    title: item.title,
    // description is the page's meta description; snippet, the opening of the body, stands in when it is missing.
    summary: textOrNull(item.description) ?? item.snippet,
    source: item.source,
    publishedAt: toUtcIso(item.published_at),
    symbols: [...new Set(tickersOf(item.entities ?? []))],
    imageUrl: item.image_url,
  }));
  return newsPage(items, query);
}

export const marketauxNewsBySymbol = defineCapability({
  capability: 'news-by-symbol',
  responseSchema: marketauxNewsResponseSchema,
  buildRequest: buildSymbolNewsRequest,
  normalize: (raw, query) => normalizeNews(raw, query, askedTickersIn(query)),
});

export const marketauxNewsSearch = defineCapability({
  capability: 'news-search',
  responseSchema: marketauxNewsResponseSchema,
  buildRequest: buildSearchRequest,
  normalize: (raw, query) => normalizeNews(raw, query, usTickersIn),
});

export const marketauxNewsLatest = defineCapability({
  capability: 'news-latest',
  responseSchema: marketauxNewsResponseSchema,
  buildRequest: buildLatestNewsRequest,
  normalize: (raw, query) => normalizeNews(raw, query, usTickersIn),
});
