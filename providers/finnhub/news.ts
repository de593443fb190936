// GET /company-news?symbol=AAPL&from=YYYY-MM-DD&to=YYYY-MM-DD — https://finnhub.io/docs/api/company-news
// GET /news?category=general — https://finnhub.io/docs/api/market-news
// Both answer a bare array of {id, category, datetime (Unix s), headline, summary, source, url, image, related}.
// `image` may be "" (absent); `related` is a comma list of tickers ("AAPL,MSFT"). There is no page size, so the
// answer is trimmed by finishArticles. Company news needs both dates and takes one symbol per call; news is English only.
import { z } from 'zod';
import {
  defineCapability,
  isUnsupported,
  type BuildContext,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { englishOnly, newsPage, vendorLanguage } from '../common/news.js';
import { addDays, secondsToIso } from '../common/time.js';

// The answer has no envelope, so each item's datetime, headline and url stand for one: finnhub sends them on every
// item (empty when it has nothing). An item without them is a changed payload, not an article to drop quietly; `[]` is
// no news.
const finnhubNewsResponseSchema = z.array(
  z.object({
    datetime: z.number().nullable(),
    headline: z.string().nullable(),
    summary: z.string().nullish(),
    source: z.string().nullish(),
    url: z.string().nullable(),
    image: z.string().nullish(),
    related: z.string().nullish(),
  }),
);
type FinnhubNewsResponse = z.infer<typeof finnhubNewsResponseSchema>;

const defaultWindowDays = 7;

function buildCompanyNewsRequest(query: NewsQuery, context: BuildContext): VendorRequest | Unsupported {
  const symbol = query.symbols[0];
  if (symbol === undefined) return { unsupported: true, detail: 'news-by-symbol needs a symbol' };
  const language = vendorLanguage(query.language, englishOnly);
  if (isUnsupported(language)) return language;
  // finnhub requires both dates: default to the last 7 days ending now, or ending at the asked `to`.
  const to = query.to ?? context.now.toISOString().slice(0, 10);
  const from = query.from ?? addDays(to, -defaultWindowDays);
  return { method: 'GET', path: '/company-news', query: { symbol, from, to } };
}

function buildMarketNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  const language = vendorLanguage(query.language, englishOnly);
  if (isUnsupported(language)) return language;
  return { method: 'GET', path: '/news', query: { category: 'general' } };
}

function relatedSymbols(related: string | null | undefined): string[] {
  return (related ?? '')
    .split(',')
    .map((symbol) => symbol.trim().toUpperCase())
    .filter((symbol) => symbol !== '');
}

/** /news has no date filter, so an asked window is applied here; /company-news already honours it. */
function normalizeNews(raw: FinnhubNewsResponse, query: NewsQuery): News {
  const items = raw.map((item) => ({
    url: item.url,
    title: item.headline,
    summary: item.summary,
    source: item.source,
    publishedAt: item.datetime ? secondsToIso(item.datetime) : null,
    symbols: relatedSymbols(item.related),
    imageUrl: item.image,
  }));
  return newsPage(items, query, { filterDates: true });
}

export const finnhubNewsBySymbol = defineCapability({
  capability: 'news-by-symbol',
  responseSchema: finnhubNewsResponseSchema,
  buildRequest: buildCompanyNewsRequest,
  normalize: normalizeNews,
});

export const finnhubNewsLatest = defineCapability({
  capability: 'news-latest',
  responseSchema: finnhubNewsResponseSchema,
  buildRequest: buildMarketNewsRequest,
  normalize: normalizeNews,
});
