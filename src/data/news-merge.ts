import type { NewsArticle, NewsCapability, NewsQuery } from '../core/index.js';
import { GatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../core/outcomes.js';
import {
  withRouteOptions,
  type RouteOptions,
  type RouteOptionsWithin,
  type RoutedResult,
  type Router,
} from '../routing/router.js';

/**
 * News from several vendors at once: the strategy's order is dealt into `sources` lanes (1st, 3rd, 5th… vendor in one,
 * 2nd, 4th… in the other), each lane fails over within itself, and the answers are merged. One lane answering is
 * enough; the request fails only when every lane does. A pinned vendor or a single source is a plain route.
 */
export async function routeMergedNews<C extends NewsCapability>(
  router: Router,
  capability: C,
  query: NewsQuery,
  options: RouteOptions,
  sources: number,
): Promise<RoutedResult<C>> {
  if (sources <= 1 || options.provider) return router.route(capability, query, options);
  return router.withinDeadline(options, (within) => mergeWithin(router, capability, query, within, sources));
}

async function mergeWithin<C extends NewsCapability>(
  router: Router,
  capability: C,
  query: NewsQuery,
  options: RouteOptionsWithin,
  sources: number,
): Promise<RoutedResult<C>> {
  const started = performance.now();
  const ordered = router.plan(capability, options.key ?? '');
  const lanes = Array.from({ length: Math.min(sources, ordered.length) }, (_, lane) =>
    ordered.filter((_, index) => index % sources === lane),
  );
  if (lanes.length <= 1) return router.route(capability, query, options);

  const settled = await Promise.allSettled(
    lanes.map((only) => router.route(capability, query, withRouteOptions(options, { only }))),
  );
  const answers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  const attempts: AttemptRecord[] = [
    ...answers.flatMap((answer) => answer.attempts),
    ...failures.flatMap((failure) => (failure instanceof GatewayError ? failure.attempts : [])),
  ];
  if (answers.length === 0) {
    const first = failures[0];
    if (!(first instanceof GatewayError)) throw first;
    throw new GatewayError(first.code, first.detail, {
      attempts,
      ...(first.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: first.retryAfterSeconds }),
    });
  }
  return {
    data: {
      articles: mergeArticles(
        answers.map((answer) => answer.data.articles),
        query.limit,
      ),
    } as RoutedResult<C>['data'],
    provider: answers.map((answer) => answer.provider).join(','),
    attempts,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/**
 * One article per id (the id is a hash of the canonical URL, so the same story from two vendors is one article). The
 * copies are combined: tickers from every vendor that tagged any, and the first summary, source and image found.
 * Newest first, at most `limit`.
 */
export function mergeArticles(lists: readonly (readonly NewsArticle[])[], limit: number): NewsArticle[] {
  const byId = new Map<string, NewsArticle>();
  for (const article of lists.flat()) {
    const seen = byId.get(article.id);
    if (!seen) {
      byId.set(article.id, { ...article, symbols: [...article.symbols] });
      continue;
    }
    seen.symbols = [...new Set([...seen.symbols, ...article.symbols])];
    seen.summary ??= article.summary;
    seen.source ??= article.source;
    seen.imageUrl ??= article.imageUrl;
  }
  return [...byId.values()]
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id))
    .slice(0, limit);
}
