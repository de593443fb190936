import { createHash } from 'node:crypto';
import type { NewsArticle } from '../../src/contract/index.js';

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
