// GET /company-news?symbol=AAPL&from=YYYY-MM-DD&to=YYYY-MM-DD — https://finnhub.io/docs/api/company-news
// GET /news?category=general — https://finnhub.io/docs/api/market-news
// Both answer a bare array of {id, category, datetime (Unix s), headline, summary, source, url, image, related}.
// `image` may be "" (absent); `related` is a comma list of tickers ("AAPL,MSFT"). There is no page size, so the
// answer is trimmed by finishArticles. Company news needs both dates and takes one symbol per call; news is English only.
import { z } from 'zod';
import {
  defineCapability,
  type BuildContext,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/contract/index.js';
import { finishArticles, isWithinDates, toArticle } from '../shared/news.js';
import { secondsToIso } from '../shared/time.js';

const finnhubNewsResponseSchema = z.array(
  z.object({
    datetime: z.number().nullish(),
    headline: z.string().nullish(),
    summary: z.string().nullish(),
    source: z.string().nullish(),
    url: z.string().nullish(),
    image: z.string().nullish(),
    related: z.string().nullish(),
  }),
);
type FinnhubNewsResponse = z.infer<typeof finnhubNewsResponseSchema>;

const defaultWindowDays = 7;
const dayMs = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function buildCompanyNewsRequest(query: NewsQuery, context: BuildContext): VendorRequest | Unsupported {
  const symbol = query.symbols[0];
  if (symbol === undefined) return { unsupported: true, detail: 'news-by-symbol needs a symbol' };
  if (query.language !== 'en') return { unsupported: true, detail: `language ${query.language} not supported` };
  // finnhub requires both dates: default to the last 7 days ending now, or ending at the asked `to`.
  const to = query.to ?? isoDate(context.now.getTime());
  const from = query.from ?? isoDate(Date.parse(`${to}T00:00:00Z`) - defaultWindowDays * dayMs);
  return { method: 'GET', path: '/company-news', query: { symbol, from, to } };
}

function buildMarketNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  if (query.language !== 'en') return { unsupported: true, detail: `language ${query.language} not supported` };
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
  const articles = raw.flatMap((item) => {
    const article = toArticle({
      url: item.url,
      title: item.headline,
      summary: item.summary,
      source: item.source,
      publishedAt: item.datetime ? secondsToIso(item.datetime) : null,
      symbols: relatedSymbols(item.related),
      imageUrl: item.image,
    });
    return article && isWithinDates(article.publishedAt, query) ? [article] : [];
  });
  return { articles: finishArticles(articles, query.limit) };
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
