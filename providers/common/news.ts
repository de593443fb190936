import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type {
  CapabilityHandler,
  News,
  NewsArticle,
  NewsQuery,
  Unsupported,
  VendorRequest,
} from '../../src/core/index.js';
import { textOrNull } from './numbers.js';

/** A stable id per article URL, so the same story keeps its id across vendors and requests. */
export function articleId(url: string): string {
  return createHash('sha256').update(canonicalArticleUrl(url)).digest('hex').slice(0, 16);
}

/** Scheme and host case, a trailing slash and the fragment do not make a different article. */
export function canonicalArticleUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    const text = parsed.toString();
    return text.endsWith('/') && parsed.pathname !== '/' ? text.slice(0, -1) : text;
  } catch {
    return url.trim();
  }
}

export function isHttpUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Newest first, one article per URL (newsapi repeats URLs within a page), at most `limit`. */
export function finishArticles(articles: NewsArticle[], limit: number): NewsArticle[] {
  const seen = new Set<string>();
  const unique: NewsArticle[] = [];
  for (const article of [...articles].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))) {
    if (seen.has(article.id)) continue;
    seen.add(article.id);
    unique.push(article);
  }
  return unique.slice(0, limit);
}

/** One vendor news item, field by field, before it becomes a canonical article. */
export interface VendorArticle {
  url: string | null | undefined;
  title: string | null | undefined;
  summary?: string | null | undefined;
  source?: string | null | undefined;
  /** Already ISO UTC, or null when the vendor gave no usable time. */
  publishedAt: string | null;
  symbols?: readonly string[];
  imageUrl?: string | null | undefined;
}

/** The canonical article, or null for an item no reader can use: no http(s) URL, no title or no time. */
export function toArticle(item: VendorArticle): NewsArticle | null {
  const title = textOrNull(item.title);
  if (!isHttpUrl(item.url) || title === null || item.publishedAt === null) return null;
  return {
    id: articleId(item.url),
    title,
    summary: textOrNull(item.summary),
    url: item.url,
    source: textOrNull(item.source),
    publishedAt: item.publishedAt,
    symbols: (item.symbols ?? []).map((symbol) => symbol.toUpperCase()),
    imageUrl: textOrNull(item.imageUrl),
  };
}

/** Whether an article's day lies within the asked from/to, for endpoints that cannot filter by date themselves. */
export function isWithinDates(publishedAt: string, query: Pick<NewsQuery, 'from' | 'to'>): boolean {
  const day = publishedAt.slice(0, 10);
  return (query.from === null || day >= query.from) && (query.to === null || day <= query.to);
}

/**
 * The asked tickers that stand as whole words (case-sensitive) in `text`. One-letter tickers (F, T) collide with
 * ordinary capitals ("A", "I"): only the cashtag counts.
 */
export function mentionedTickers(symbols: readonly string[], text: string): string[] {
  return symbols.filter((symbol) => {
    const escaped = symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern =
      symbol.length === 1
        ? new RegExp(`\\$${escaped}(?![A-Za-z0-9])`)
        : new RegExp(`(?<![A-Za-z0-9.])${escaped}(?![A-Za-z0-9]|\\.[A-Za-z0-9])`);
    return pattern.test(text);
  });
}

/**
 * The canonical page of one vendor answer: its usable items (see toArticle), newest first, one per URL, at most the
 * asked limit. `filterDates` is for endpoints that cannot filter by date themselves: what falls outside from..to goes.
 */
export function newsPage(
  items: readonly VendorArticle[],
  query: NewsQuery,
  options: { filterDates?: boolean } = {},
): News {
  const articles = items.flatMap((item) => {
    const article = toArticle(item);
    return article && (!options.filterDates || isWithinDates(article.publishedAt, query)) ? [article] : [];
  });
  return { articles: finishArticles(articles, query.limit) };
}

/**
 * The page of a vendor that tags no tickers (newsapi, gnews, mediastack): an article carries the asked tickers its title
 * or description names (none for news-search and news-latest, whose queries ask none). Each of them has an endpoint
 * or plan that ignores from/to, so every page keeps only from..to.
 */
export function untaggedNews(items: readonly VendorArticle[], query: NewsQuery): News {
  const tagged = items.map((item) => {
    const text = [item.title, item.summary].filter(Boolean).join('\n');
    return { ...item, symbols: mentionedTickers(query.symbols, text) };
  });
  return newsPage(tagged, query, { filterDates: true });
}

/** For feeds that serve English only. */
export const englishOnly: ReadonlySet<string> = new Set(['en']);

/**
 * The vendor's value for the asked ISO 639-1 language: the code itself, or the vendor's own spelling of it
 * (`spelledAs`). A language the vendor does not serve is declined rather than sent.
 */
export function vendorLanguage(
  language: string,
  served: ReadonlySet<string>,
  spelledAs: Readonly<Record<string, string>> = {},
): string | Unsupported {
  if (!served.has(language)) return { unsupported: true, detail: `language ${language} not supported` };
  return (Object.hasOwn(spelledAs, language) ? spelledAs[language] : undefined) ?? language;
}

type NewsHandler<C extends 'news-by-symbol' | 'news-search' | 'news-latest', Raw> = CapabilityHandler<C, Raw>;

/**
 * The three news capabilities of a vendor that answers all of them in one shape: one schema and one normalizer, a
 * request builder each.
 */
export function newsHandlers<Raw>(
  responseSchema: z.ZodType<Raw>,
  normalize: (raw: Raw, query: NewsQuery) => News,
  build: Record<'bySymbol' | 'search' | 'latest', (query: NewsQuery) => VendorRequest | Unsupported>,
): {
  bySymbol: NewsHandler<'news-by-symbol', Raw>;
  search: NewsHandler<'news-search', Raw>;
  latest: NewsHandler<'news-latest', Raw>;
} {
  return {
    bySymbol: { capability: 'news-by-symbol', responseSchema, buildRequest: build.bySymbol, normalize },
    search: { capability: 'news-search', responseSchema, buildRequest: build.search, normalize },
    latest: { capability: 'news-latest', responseSchema, buildRequest: build.latest, normalize },
  };
}
