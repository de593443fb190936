import type { CacheConfig } from '../config/schema.js';
import { isNewsCapability, type Capability, type NewsQuery, type QueryOf, type ResultOf } from '../core/index.js';
import { freshHit, type PathParams, type PlainRequest } from '../cache/fast-path.js';
import {
  ResponseCache,
  type Answer,
  type CacheSource,
  type QuotesAnswer,
  type CachedAnswer,
  type CacheResultListener,
  type JsonAnswer,
  type ResponseCacheOptions,
} from '../cache/response-cache.js';
import type { Priority } from '../resilience/limiter.js';
import type { RouteOptions, Router } from '../routing/router.js';
import { routeMergedNews } from './news-merge.js';
import { QuoteBatcher } from './quote-batcher.js';
import { routeWatchlist } from './watchlist.js';

/** One data request's options, as the HTTP layer reads them off the request. */
export interface DataRequest {
  requestId: string;
  /** X-Priority: the vendor limiters' queue priority. */
  priority: Priority;
  /** ?provider=: one vendor, no failover, its own cache entries. */
  provider?: string | undefined;
  /** Cache-Control: no-cache: skip the cache read (the answer is still stored). */
  noCache: boolean;
  /** The client's abort signal, made on demand: building one costs more than a cache hit. */
  clientSignal(): AbortSignal;
  /** Throws to refuse asking the vendors for this request (a client over its spend): it gets cached answers only. */
  refuseVendorCall?: () => void;
}

/**
 * The one way to data: `get(capability, query, request)` answers from the cache, or reads through it to the vendors
 * (router, watchlist batch or fan-out, merged news), and returns the answer with its provenance (`provider`,
 * `attempts`, `cache`). Route handlers call only this; the router knows nothing of caching.
 */
export class DataService {
  private readonly cache: ResponseCache<RouteOptions>;

  constructor(
    router: Router,
    settings: VendorSourceSettings & { cache: CacheConfig },
    cacheOptions: ResponseCacheOptions = {},
  ) {
    const { batchWindowMs, batchMaxSymbols } = settings.cache;
    const batcher =
      batchWindowMs > 0
        ? new QuoteBatcher(router, {
            windowMs: batchWindowMs,
            maxSymbols: batchMaxSymbols,
            concurrency: settings.watchlistConcurrency,
          })
        : undefined;
    this.cache = new ResponseCache(settings.cache, new VendorSource(router, settings, batcher), cacheOptions);
  }

  get<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    request: DataRequest,
  ): Promise<CachedAnswer<ResultOf<C>>> {
    const cacheRequest = {
      route: {
        requestId: request.requestId,
        priority: request.priority,
        provider: request.provider,
        key: subjectKey(query),
      },
      provider: request.provider,
      noCache: request.noCache,
      clientSignal: request.clientSignal,
      ...(request.refuseVendorCall ? { beforeLoad: request.refuseVendorCall } : {}),
    };
    if (capability === 'stock-quotes') {
      const { symbols } = query as QueryOf<'stock-quotes'>;
      return this.cache.watchlist(symbols, cacheRequest) as Promise<CachedAnswer<ResultOf<C>>>;
    }
    return this.cache.serve(capability, query, cacheRequest);
  }

  /** A fresh cached answer for a plain request not yet validated (cache/fast-path.ts), or undefined. */
  fresh<C extends Capability>(
    capability: C,
    request: PlainRequest,
    queryFrom: (params: PathParams) => QueryOf<C> | undefined,
  ): JsonAnswer<unknown> | undefined {
    return freshHit(this.cache, capability, request, queryFrom);
  }

  /** Called once per data request with how the cache answered it, for metrics. */
  onCacheResult(listener: CacheResultListener): void {
    this.cache.onResult(listener);
  }

  close(): void {
    this.cache.close();
  }
}

export interface VendorSourceSettings {
  /** routing.watchlistConcurrency: single quotes in flight at once when a watchlist fans out. */
  watchlistConcurrency: number;
  /** routing.newsSources: vendors asked at once for one news request, their answers merged. */
  newsSources: number;
}

/**
 * Where the cache reads through to: the router for a single answer, a watchlist's batch-or-fan-out, or several news
 * vendors merged. The client's signal, when the cache hands one over, joins the routing options here. A single quote
 * fetched for the cache rather than for one client alone (no signal) rides in a batch when `batcher` is set.
 */
export class VendorSource implements CacheSource<RouteOptions> {
  constructor(
    private readonly router: Router,
    private readonly settings: VendorSourceSettings,
    private readonly batcher?: QuoteBatcher,
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
    if (capability === 'stock-quote' && this.batcher && !signal) {
      const quote = this.batcher.quote((query as QueryOf<'stock-quote'>).symbol, route);
      return quote as Promise<Answer<ResultOf<C>>>;
    }
    return this.router.route(capability, query, options);
  }

  backgroundRoute<C extends Capability>(_capability: C, query: QueryOf<C>): RouteOptions {
    return { requestId: 'refresh-ahead', priority: 'low', key: subjectKey(query) };
  }

  batches(capability: Capability): boolean {
    return capability === 'stock-quote' && this.batcher !== undefined && this.router.serves('stock-quotes');
  }

  loadQuotes(symbols: string[], route: RouteOptions, signal: AbortSignal | undefined): Promise<QuotesAnswer> {
    const options = signal ? { ...route, signal } : route;
    return routeWatchlist(this.router, symbols, options, this.settings.watchlistConcurrency);
  }
}

/** What a request is about: strategies keep one subject on one vendor, and a 404 names it. */
function subjectKey(query: QueryOf<Capability>): string {
  if ('base' in query) return `${query.base}/${query.quote}`;
  if ('q' in query) return query.symbols.length > 0 ? query.symbols.join(',') : (query.q ?? 'latest');
  if ('symbols' in query) return query.symbols.join(',');
  return 'vs' in query ? `${query.symbol}/${query.vs}` : query.symbol;
}
