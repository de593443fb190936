import type { CacheConfig } from '../config/schema.js';
import { isNewsCapability, type Capability, type NewsQuery, type QueryOf, type ResultOf } from '../core/index.js';
import { freshHit, type PathParams, type PlainRequest } from '../cache/fast-path.js';
import type { Freshness } from '../cache/http-caching.js';
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
import { withRouteOptions, type RouteOptions } from '../routing/router.js';
import { routeMergedNews } from './news-merge.js';
import { QuoteBatcher } from './quote-batcher.js';
import type { LiveSnapshot } from './snapshot.js';
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

  constructor(live: LiveSnapshot, cacheOptions: ResponseCacheOptions = {}) {
    this.cache = new ResponseCache(live.current.config.cache, new VendorSource(live), cacheOptions);
  }

  /** A reload's cache settings (freshness, batching, refresh-ahead), for requests from now on. */
  reconfigureCache(config: CacheConfig): void {
    this.cache.reconfigure(config);
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

  /** The Cache-Control freshness directives for a cached answer, as of now. */
  freshnessDirectives(freshness: Freshness): string {
    return this.cache.freshnessDirectives(freshness);
  }

  /** Called once per data request with how the cache answered it, for metrics. */
  onCacheResult(listener: CacheResultListener): void {
    this.cache.onResult(listener);
  }

  close(): void {
    this.cache.close();
  }
}

/**
 * Where the cache reads through to: the router for a single answer, a watchlist's batch-or-fan-out, or several news
 * vendors merged, all on the snapshot current when the vendors are asked (routing.watchlistConcurrency and
 * routing.newsSources come with it). The client's signal, when the cache hands one over, joins the routing options here.
 * A single quote fetched for the cache rather than for one client alone (no signal) rides in a batch when
 * cache.batchWindowMs is set.
 */
export class VendorSource implements CacheSource<RouteOptions> {
  private readonly batcher: QuoteBatcher;

  constructor(private readonly live: LiveSnapshot) {
    this.batcher = new QuoteBatcher(live);
  }

  load<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    route: RouteOptions,
    signal: AbortSignal | undefined,
  ): Promise<Answer<ResultOf<C>>> {
    const options = signal ? withRouteOptions(route, { signal }) : route;
    if (capability === 'stock-quote' && !signal && this.batcher.enabled) {
      const quote = this.batcher.quote((query as QueryOf<'stock-quote'>).symbol, route);
      return quote as Promise<Answer<ResultOf<C>>>;
    }
    return this.live.use(({ router, config }) => {
      if (isNewsCapability(capability)) {
        const sources = config.routing.newsSources;
        const merged = routeMergedNews(router, capability, query as NewsQuery, options, sources);
        return merged as Promise<Answer<ResultOf<C>>>;
      }
      return router.route(capability, query, options);
    });
  }

  backgroundRoute<C extends Capability>(_capability: C, query: QueryOf<C>): RouteOptions {
    return { requestId: 'refresh-ahead', priority: 'low', key: subjectKey(query) };
  }

  batches(capability: Capability): boolean {
    return capability === 'stock-quote' && this.batcher.enabled && this.live.current.router.serves('stock-quotes');
  }

  loadQuotes(symbols: string[], route: RouteOptions, signal: AbortSignal | undefined): Promise<QuotesAnswer> {
    const options = signal ? withRouteOptions(route, { signal }) : route;
    return this.live.use(({ router, config }) =>
      routeWatchlist(router, symbols, options, config.routing.watchlistConcurrency),
    );
  }
}

/** What a request is about: strategies keep one subject on one vendor, and a 404 names it. */
function subjectKey(query: QueryOf<Capability>): string {
  if ('base' in query) return `${query.base}/${query.quote}`;
  if ('q' in query) return query.symbols.length > 0 ? query.symbols.join(',') : (query.q ?? 'latest');
  if ('symbols' in query) return query.symbols.join(',');
  return 'vs' in query ? `${query.symbol}/${query.vs}` : query.symbol;
}
