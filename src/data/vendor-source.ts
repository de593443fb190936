import type { Capability, NewsQuery, QueryOf, ResultOf } from '../core/index.js';
import type { Answer, CacheSource, QuotesAnswer } from '../cache/response-cache.js';
import type { RouteOptions, Router } from '../routing/router.js';
import { isNewsCapability, routeMergedNews } from './news-merge.js';
import { routeWatchlist } from './watchlist.js';

export interface VendorSourceSettings {
  /** routing.watchlistConcurrency: single quotes in flight at once when a watchlist fans out. */
  watchlistConcurrency: number;
  /** routing.newsSources: vendors asked at once for one news request, their answers merged. */
  newsSources: number;
}

/**
 * Where the cache reads through to: the router for a single answer, a watchlist's batch-or-fan-out, or several news
 * vendors merged. The client's signal, when the cache hands one over, joins the routing options here.
 */
export class VendorSource implements CacheSource<RouteOptions> {
  constructor(
    private readonly router: Router,
    private readonly settings: VendorSourceSettings,
  ) {}

  load<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    route: RouteOptions,
    signal: AbortSignal | undefined,
  ): Promise<Answer<ResultOf<C>>> {
    const options = signal ? { ...route, signal } : route;
    if (isNewsCapability(capability)) {
      const merged = routeMergedNews(this.router, capability, query as NewsQuery, options, this.settings.newsSources);
      return merged as Promise<Answer<ResultOf<C>>>;
    }
    return this.router.route(capability, query, options);
  }

  loadQuotes(symbols: string[], route: RouteOptions, signal: AbortSignal | undefined): Promise<QuotesAnswer> {
    const options = signal ? { ...route, signal } : route;
    return routeWatchlist(this.router, symbols, options, this.settings.watchlistConcurrency);
  }
}
