import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config/schema.js';
import type { Capability, QueryOf, ResultOf, StockQuoteList } from '../core/index.js';
import { GatewayError, type GatewayErrorCode } from '../core/errors.js';
import type { AttemptRecord, CacheStatus } from '../core/outcomes.js';
import type { RedisConnections } from '../store/redis.js';
import { entryFrom, maxEntryChars, newer, type CacheEntry } from './entry.js';
import { freshnessDirectives, strongEtag, type Freshness } from './http-caching.js';
import { cacheKey, freshnessRule, type FreshnessRule } from './keys.js';
import { isAgreedNotFound, NotFoundMemory } from './not-found.js';
import { RedisCacheLayer } from './redis-layer.js';
import { untilAborted } from '../resilience/abort.js';

/** A vendor answer, as the cache's source gives it. */
export interface Answer<T> {
  data: T;
  provider: string;
  attempts: AttemptRecord[];
  /** When the vendor answered, when earlier than now (a quote from the last whole-market sweep): its age counts. */
  fetchedAt?: number;
}

/** A watchlist's vendor answer, with the vendor that answered each symbol (a fan-out may use several). */
export interface QuotesAnswer extends Answer<StockQuoteList> {
  answeredBy: ReadonlyMap<string, string>;
  /**
   * Symbols of `missing` the vendors said they do not know, remembered for cache.notFoundTtlMs: `agreed` by the 404
   * rule (a fan-out's single quotes), or `batchMissing`, left out of one vendor's batch answer (remembered for
   * watchlists only). A symbol missing because its vendors failed is in neither.
   */
  unknownSymbols?: { agreed: readonly string[]; batchMissing: readonly string[] };
}

/**
 * What the cache reads through to when it cannot answer: the vendors, as the data service routes them. `route` is the
 * request's routing options, passed through untouched. `signal` is the client's abort signal, given only to a fetch
 * this request makes alone: a fetch shared by several requests must not carry it (one client going away would cancel
 * the others' answer).
 */
export interface CacheSource<R> {
  load<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    route: R,
    signal: AbortSignal | undefined,
  ): Promise<Answer<ResultOf<C>>>;
  loadQuotes(symbols: string[], route: R, signal: AbortSignal | undefined): Promise<QuotesAnswer>;
  /** Routing options of a refresh no client waits for (refresh-ahead). */
  backgroundRoute<C extends Capability>(capability: C, query: QueryOf<C>): R;
  /** Whether answers of `capability` are fetched several to a vendor call, so refreshing ahead costs little. */
  batches(capability: Capability): boolean;
}

/** One request as the cache sees it. */
export interface CacheRequest<R> {
  /** Passed to the source as it is. */
  route: R;
  /** A pinned vendor (?provider=) has its own cache entries. */
  provider?: string | undefined;
  /** The client sent `Cache-Control: no-cache`: ask the vendors now (the answer is still stored). */
  noCache: boolean;
  /** The client's abort signal, made on demand: building one costs more than a cache hit. */
  clientSignal(): AbortSignal;
  /** Called before this request makes the source ask the vendors; it throws to refuse (a client over its spend). */
  beforeLoad?: () => void;
}

export interface CachedAnswer<T> extends Answer<T> {
  cache: CacheStatus;
  latencyMs: number;
  /** How old a cached answer is, for `hit` and `stale`. */
  ageMs?: number | undefined;
  /** Fresh for longer than its TTL because its market is closed (for a watchlist: some of its quotes). */
  marketClosed?: boolean | undefined;
  /** `data` as JSON, checked against its model when it entered the cache; absent when the cache was bypassed. */
  json?: string | undefined;
  /** The strong ETag of `json`; absent when the cache was bypassed. */
  etag?: string | undefined;
  /** How long the answer stays fresh, for HTTP caches downstream (a watchlist: its first quote to go stale). */
  freshness?: Freshness | undefined;
}

/** An answer that came through the cache: its JSON, checked against its model when it was stored, is what is sent. */
export type JsonAnswer<T> = CachedAnswer<T> & { json: string };

export type CacheResultListener = (capability: Capability, status: CacheStatus) => void;

export interface ResponseCacheOptions {
  /** The shared second layer; without it the cache stays in this process. */
  redis?: RedisConnections | undefined;
  /** store.keyPrefix: Redis keys are `<prefix>:cache:<key>`. */
  keyPrefix?: string;
  /**
   * routing.deadlineMs: how long one instance's fetch of a key may hold it cluster-wide; the others wait for it at
   * most half of that, then fetch for themselves (default 3000).
   */
  deadlineMs?: number;
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number;
}

/** Failures a cached answer may stand in for: the vendors, not the request, are the problem. */
const staleOnErrorCodes: ReadonlySet<GatewayErrorCode> = new Set(['GW_ALL_FAILED', 'GW_NO_PROVIDER', 'GW_DEADLINE']);

/** Where a watchlist's answer came from, worst first: one stale quote makes the whole answer `stale`. */
const statusPrecedence: readonly CacheStatus[] = ['stale', 'miss', 'coalesced', 'hit'];

/**
 * A shared vendor fetch that failed. lru-cache hands the same rejection to every request that waited for the fetch,
 * so they all answer with the same error, or the same last good answer.
 */
class FetchFailure extends Error {
  constructor(
    readonly failure: unknown,
    readonly fallback: CacheEntry | undefined,
  ) {
    super('vendor fetch failed', { cause: failure });
  }
}

interface FetchContext {
  /** Gets a fresh entry for the key; `stale` is the copy the cache still holds, if any. */
  load(stale: CacheEntry | undefined): Promise<CacheEntry>;
}

type KeyOutcome =
  | { entry: CacheEntry; cache: CacheStatus; attempts: AttemptRecord[] }
  | { failure: unknown; attempts: AttemptRecord[] };

interface QuoteRequest {
  symbol: string;
  key: string;
  stale: CacheEntry | undefined;
  resolve(entry: CacheEntry): void;
  reject(failure: FetchFailure): void;
}

/**
 * The response cache in front of the vendors (docs/configuration.md#caching). In process, lru-cache bounded by entries and JSON
 * bytes; with Redis, a shared second layer read before any vendor is called. lru-cache's fetch() gives:
 * - coalescing: identical concurrent requests wait for one vendor call (`coalesced`);
 * - stale-while-revalidate: for one more TTL past freshness an answer is served at once (`stale`) while one
 *   request refreshes it in the background;
 * - stale-if-error: when every vendor fails, the last good answer up to `staleIfErrorMs` old is served (`stale`).
 * A shared fetch never carries a client's abort signal (one client going away must not cancel the others' answer);
 * each request races the fetch against its own signal instead (docs/libraries.md#lru-cache).
 */
export class ResponseCache<R> {
  private readonly entries: LRUCache<string, CacheEntry, FetchContext>;
  private readonly redis: RedisCacheLayer | undefined;
  private readonly now: () => number;
  private readonly listeners: CacheResultListener[] = [];
  private readonly notFound: NotFoundMemory;
  private readonly clusterWait: { lockMs: number; waitMs: number };
  /** Refresh-ahead timers, one per key asked for again while fresh; cleared when they fire or on close. */
  private readonly refreshTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private config: CacheConfig,
    private readonly source: CacheSource<R>,
    options: ResponseCacheOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    const deadlineMs = options.deadlineMs ?? 3_000;
    this.clusterWait = { lockMs: deadlineMs, waitMs: Math.round(deadlineMs / 2) };
    const maxEntrySize = maxEntryChars(config.maxBytes);
    this.redis = options.redis
      ? new RedisCacheLayer(options.redis, options.keyPrefix ?? 'mdg', { maxEntryChars: maxEntrySize, now: this.now })
      : undefined;
    this.notFound = new NotFoundMemory(config.notFoundTtlMs, config.maxEntries, this.now);
    this.entries = new LRUCache<string, CacheEntry, FetchContext>({
      max: config.maxEntries,
      maxSize: config.maxBytes,
      maxEntrySize,
      sizeCalculation: (entry) => Math.max(1, entry.json.length),
      // Every entry gets its own TTL; this default only switches TTL tracking on.
      ttl: 1_000,
      // Read the clock on every check: the default 1 ms debounce would blur a fake clock.
      ttlResolution: 0,
      perf: { now: this.now },
      // Keep a stale copy, when a refresh fails or a get finds it past its TTL: it is served while revalidating, and
      // it is the fallback when the vendors fail.
      noDeleteOnFetchRejection: true,
      noDeleteOnStaleGet: true,
      // A fetch outlives eviction or a newer write: the requests waiting for it still get its answer.
      ignoreFetchAbort: true,
      fetchMethod: async (_key, stale, { options, context }) => {
        const entry = await context.load(stale);
        // A copy from Redis is fresh only for what is left of its TTL.
        options.ttl = this.remainingMs(entry);
        return entry;
      },
    });
  }

  /**
   * Takes a reloaded configuration's freshness (enabled, ttlMs, closedCandlesTtlMs, staleIfErrorMs) for lookups from
   * now on; entries keep the TTL they were stored with. Sizes and notFoundTtlMs were fixed at construction.
   */
  reconfigure(config: CacheConfig): void {
    this.config = config;
  }

  /** Called once per data request with the capability and how the cache answered it, for metrics. */
  onResult(listener: CacheResultListener): void {
    this.listeners.push(listener);
  }

  /** Answers from the cache, or from the source, storing its answer. Throws what the source throws. */
  async serve<C extends Capability>(
    capability: C,
    query: QueryOf<C>,
    request: CacheRequest<R>,
  ): Promise<CachedAnswer<ResultOf<C>>> {
    type T = ResultOf<C>;
    const started = performance.now();
    const fresh = this.freshnessRule(capability, query);
    const { ttlMs } = fresh;
    const loadAlone = () => {
      request.beforeLoad?.();
      return this.source.load(capability, query, request.route, request.clientSignal());
    };
    if (ttlMs === 0) return this.finish(capability, bypassed(await loadAlone()), started);

    const key = cacheKey(capability, query, request.provider);
    const hit = request.noCache ? undefined : this.fresh<T>(capability, key, started);
    if (hit) {
      if (!request.provider) this.refreshAhead(capability, query, key);
      return hit;
    }
    const unknown = request.noCache ? undefined : this.notFound.recall(key, 'agreed');
    if (unknown) {
      for (const listener of this.listeners) listener(capability, 'hit');
      throw unknown;
    }

    const context: FetchContext = request.noCache
      ? { load: (stale) => this.loadEntry(capability, key, fresh, stale, false, loadAlone) }
      : {
          load: (stale) =>
            this.loadEntry(capability, key, fresh, stale, true, () => {
              request.beforeLoad?.();
              return this.source.load(capability, query, request.route, undefined);
            }),
        };
    const outcome = await untilClientGone(
      request.noCache ? this.refresh(key, context) : this.lookup(key, ttlMs, context),
      request.clientSignal(),
    );
    if ('failure' in outcome) throw outcome.failure;
    return this.finish(capability, answerFrom<T>(outcome.entry, outcome.cache, outcome.attempts, this.now()), started);
  }

  /** The Cache-Control freshness directives for a cached answer, as of now (cache/http-caching.ts). */
  freshnessDirectives(freshness: Freshness): string {
    return freshnessDirectives(freshness, this.config.staleIfErrorMs, this.now());
  }

  /**
   * A fresh answer for a query the route's schemas would produce, pinned to no vendor; undefined when there is none
   * (the request then goes through `serve`). For the fast path that answers before validation (http/cache-fast-path).
   */
  hit<C extends Capability, T>(capability: C, query: QueryOf<C>): JsonAnswer<T> | undefined {
    if (!this.config.enabled) return undefined;
    const key = cacheKey(capability, query);
    const fresh = this.fresh<T>(capability, key, performance.now());
    if (fresh) this.refreshAhead(capability, query, key);
    return fresh;
  }

  /** Stops every planned refresh-ahead (the gateway is closing). */
  close(): void {
    for (const timer of this.refreshTimers.values()) clearTimeout(timer);
    this.refreshTimers.clear();
  }

  /**
   * A watchlist, cached per symbol under the single quote's key: a watchlist warms single quotes and the reverse.
   * Symbols not fresh in the cache are fetched together by `load` (one batch call where a vendor allows); the answer
   * follows the asked order. Symbols nobody could answer are `missing`; the request fails only when none was answered.
   */
  async watchlist(symbols: string[], request: CacheRequest<R>): Promise<CachedAnswer<StockQuoteList>> {
    const started = performance.now();
    const fresh = this.freshnessRule('stock-quotes', { symbols });
    const { ttlMs } = fresh;
    if (ttlMs === 0) {
      request.beforeLoad?.();
      const answer = await this.source.loadQuotes(symbols, request.route, request.clientSignal());
      return this.finish('stock-quotes', bypassed(answer), started);
    }

    const signal = request.noCache ? request.clientSignal() : undefined;
    const waiting: QuoteRequest[] = [];
    const loadQuote = (symbol: string, key: string, stale: CacheEntry | undefined) =>
      new Promise<CacheEntry>((resolve, reject) => {
        // lru-cache calls fetchMethod synchronously inside fetch(), so every symbol of this watchlist registers
        // before the microtask that fetches them together.
        if (waiting.push({ symbol, key, stale, resolve, reject }) === 1) {
          queueMicrotask(() => {
            const route = (list: string[]) => {
              request.beforeLoad?.();
              return this.source.loadQuotes(list, request.route, signal);
            };
            this.loadQuotes(waiting, fresh, !request.noCache, route).catch((error: unknown) => {
              // Nothing may wait for ever: an unexpected error fails the symbols still waiting.
              for (const quote of waiting) quote.reject(new FetchFailure(error, quote.stale));
            });
          });
        }
      });
    const lookups = symbols.map((symbol): Promise<KeyOutcome> | KeyOutcome => {
      const key = cacheKey('stock-quote', { symbol }, request.provider);
      const unknown = request.noCache || this.entries.has(key) ? undefined : this.notFound.recall(key, 'watchlist');
      if (unknown) return { failure: unknown, attempts: [] };
      const context: FetchContext = { load: (stale) => loadQuote(symbol, key, stale) };
      return request.noCache ? this.refresh(key, context) : this.lookup(key, ttlMs, context);
    });
    const outcomes = await untilClientGone(Promise.all(lookups), request.clientSignal());
    if (!request.provider) {
      symbols.forEach((symbol, index) => {
        const outcome = outcomes[index];
        if (outcome && 'cache' in outcome && outcome.cache === 'hit') {
          this.refreshAhead('stock-quote', { symbol }, cacheKey('stock-quote', { symbol }));
        }
      });
    }
    return this.finish('stock-quotes', assembleWatchlist(symbols, outcomes, this.now()), started);
  }

  private async lookup(key: string, ttlMs: number, context: FetchContext): Promise<KeyOutcome> {
    const stored = this.entries.peek(key, { allowStale: true });
    // Served stale for one more TTL; one that lasted a closed market only for the TTL that holds now it is open.
    const staleForMs = stored?.marketClosed ? ttlMs : stored?.ttlMs;
    const allowStale = stored !== undefined && this.now() - stored.storedAt < stored.ttlMs + (staleForMs ?? 0);
    const status: LRUCache.Status<string, CacheEntry, FetchContext> = {};
    try {
      const entry = await this.entries.fetch(key, { ttl: ttlMs, allowStale, context, status });
      // fetchMethod resolves an entry or rejects; undefined would mean lru-cache changed behaviour.
      if (!entry) throw new Error(`cache fetch for ${key} resolved without an answer`);
      const cache = statusOf(status, entry);
      return { entry, cache, attempts: cache === 'miss' || cache === 'coalesced' ? entry.attempts : [] };
    } catch (error) {
      return this.fallBack(error);
    }
  }

  /** Cache-Control: no-cache: fetch now, joining no other request's fetch, and store the answer. */
  private async refresh(key: string, context: FetchContext): Promise<KeyOutcome> {
    try {
      const entry = await context.load(this.entries.peek(key, { allowStale: true }));
      this.entries.set(key, entry, { ttl: this.remainingMs(entry) });
      return { entry, cache: 'miss', attempts: entry.attempts };
    } catch (error) {
      return this.fallBack(error);
    }
  }

  /** Redis first (when `readShared`), then the vendors; the answer goes to Redis for the other instances. */
  private async loadEntry<T>(
    capability: Capability,
    key: string,
    fresh: FreshnessRule,
    stale: CacheEntry | undefined,
    readShared: boolean,
    route: () => Promise<Answer<T>>,
  ): Promise<CacheEntry> {
    const [shared] = readShared && this.redis ? await this.redis.read(capability, [key], fresh.ttlMs) : [];
    if (shared && this.isFresh(shared)) return shared;
    const turn =
      readShared && this.redis
        ? await this.redis.takeTurn(capability, key, fresh.ttlMs, this.clusterWait.lockMs, this.clusterWait.waitMs)
        : undefined;
    if (turn?.kind === 'copy') return turn.entry;
    try {
      return this.store(capability, key, await route(), fresh);
    } catch (error) {
      if (isAgreedNotFound(error)) this.notFound.remember(key, error.detail, 'agreed');
      throw new FetchFailure(error, newer(stale, shared));
    } finally {
      if (turn?.kind === 'lead') turn.done();
    }
  }

  /** One watchlist's symbols that the cache could not answer: one Redis round trip, then one routed watchlist. */
  private async loadQuotes(
    waiting: readonly QuoteRequest[],
    fresh: FreshnessRule,
    readShared: boolean,
    route: (symbols: string[]) => Promise<QuotesAnswer>,
  ): Promise<void> {
    const keys = waiting.map((request) => request.key);
    const sharedCopies = readShared && this.redis ? await this.redis.read('stock-quote', keys, fresh.ttlMs) : [];
    const toRoute: (QuoteRequest & { shared: CacheEntry | undefined })[] = [];
    waiting.forEach((request, index) => {
      const shared = sharedCopies[index];
      if (shared && this.isFresh(shared)) request.resolve(shared);
      else toRoute.push({ ...request, shared });
    });
    if (toRoute.length === 0) return;
    let routed: QuotesAnswer;
    try {
      routed = await route(toRoute.map((request) => request.symbol));
    } catch (error) {
      for (const request of toRoute) request.reject(new FetchFailure(error, newer(request.stale, request.shared)));
      return;
    }
    const quotes = new Map(routed.data.quotes.map((quote) => [quote.symbol, quote]));
    const agreed = new Set(routed.unknownSymbols?.agreed);
    const batchMissing = new Set(routed.unknownSymbols?.batchMissing);
    for (const request of toRoute) {
      const quote = quotes.get(request.symbol);
      if (quote) {
        const provider = routed.answeredBy.get(request.symbol) ?? routed.provider;
        try {
          request.resolve(
            this.store('stock-quote', request.key, { data: quote, provider, attempts: routed.attempts }, fresh),
          );
        } catch (error) {
          request.reject(new FetchFailure(error, undefined));
        }
      } else {
        const unknown = new GatewayError('GW_NOT_FOUND', `no vendor knows the symbol ${request.symbol}`, {
          attempts: routed.attempts,
        });
        if (agreed.has(request.symbol)) this.notFound.remember(request.key, unknown.detail, 'agreed');
        else if (batchMissing.has(request.symbol)) this.notFound.remember(request.key, unknown.detail, 'watchlist');
        request.reject(new FetchFailure(unknown, undefined));
      }
    }
  }

  /** A fresh vendor answer as an entry, copied to Redis for its freshness plus the time it may be served stale. */
  private store(capability: Capability, key: string, answer: Answer<unknown>, fresh: FreshnessRule): CacheEntry {
    const { ttlMs, marketClosed } = fresh;
    const entry = entryFrom(capability, answer, ttlMs, answer.fetchedAt ?? this.now(), 'vendor', marketClosed);
    this.notFound.forget(key);
    this.redis?.write(key, entry, ttlMs + Math.max(ttlMs, this.config.staleIfErrorMs));
    return entry;
  }

  /** stale-if-error: the last good answer, when the vendors (not the request) failed and it is young enough. */
  private fallBack(error: unknown): KeyOutcome {
    if (!(error instanceof FetchFailure)) return { failure: error, attempts: [] };
    const { failure, fallback } = error;
    const attempts = failure instanceof GatewayError ? failure.attempts : [];
    if (
      fallback &&
      failure instanceof GatewayError &&
      staleOnErrorCodes.has(failure.code) &&
      this.config.staleIfErrorMs > 0 &&
      this.now() - fallback.storedAt <= this.config.staleIfErrorMs
    ) {
      return { entry: fallback, cache: 'stale', attempts };
    }
    return { failure, attempts };
  }

  /**
   * Refresh-ahead: a fresh answer asked for again is refreshed about `cache.refreshAheadMs` before it expires (never
   * more than half its TTL early), so the next ask finds it fresh. Only answers the source fetches in batches (single
   * quotes, where a vendor has a multi-symbol call): refreshed one by one, an answer asked twice and then no more would
   * cost a call the stale-while-revalidate path does not spend. The refresh is
   * planned by an ask, once per stored answer: an answer nobody asks for again is left to expire. It reads no Redis
   * copy: another instance's copy is as old as this one.
   */
  private refreshAhead<C extends Capability>(capability: C, query: QueryOf<C>, key: string): void {
    if (this.config.refreshAheadMs === 0 || this.refreshTimers.has(key) || !this.source.batches(capability)) return;
    const entry = this.entries.peek(key);
    if (!entry) return;
    const leadMs = Math.min(this.config.refreshAheadMs, entry.ttlMs / 4);
    const timer = setTimeout(
      () => {
        this.refreshTimers.delete(key);
        // Refreshed meanwhile (a no-cache request): the new answer waits for its own ask.
        if (this.entries.peek(key) !== entry) return;
        const fresh = this.freshnessRule(capability, query);
        const route = () =>
          this.source.load(capability, query, this.source.backgroundRoute(capability, query), undefined);
        const context: FetchContext = { load: (stale) => this.loadEntry(capability, key, fresh, stale, false, route) };
        // A failed refresh keeps the answer (noDeleteOnFetchRejection): it goes stale and is revalidated on its next ask.
        const options = { forceRefresh: true, allowStale: true, ttl: fresh.ttlMs, context };
        this.entries.fetch(key, options).catch(() => undefined);
      },
      // Due times snap to a grid of leadMs, so answers expiring close together are refreshed at one instant, which
      // the data layer's batch window turns into one vendor call; each is refreshed between 1 and 2 leads early.
      Math.max(0, Math.floor((entry.storedAt + entry.ttlMs - leadMs) / leadMs) * leadMs - this.now()),
    );
    timer.unref();
    this.refreshTimers.set(key, timer);
  }

  /** The hot path: a fresh answer needs neither lru-cache's fetch machinery nor the client's abort signal. */
  private fresh<T>(capability: Capability, key: string, started: number): JsonAnswer<T> | undefined {
    const entry = this.entries.get(key);
    return entry && this.finish(capability, answerFrom<T>(entry, 'hit', [], this.now()), started);
  }

  private freshnessRule(capability: Capability, query: object): FreshnessRule {
    return this.config.enabled
      ? freshnessRule(this.config, capability, query, this.now())
      : { ttlMs: 0, marketClosed: false };
  }

  private isFresh(entry: CacheEntry): boolean {
    return this.now() - entry.storedAt < entry.ttlMs;
  }

  private remainingMs(entry: CacheEntry): number {
    return Math.max(1, entry.storedAt + entry.ttlMs - this.now());
  }

  private finish<A extends CachedAnswer<unknown>>(capability: Capability, answer: A, started: number): A {
    for (const listener of this.listeners) listener(capability, answer.cache);
    answer.latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return answer;
  }
}

// Answers are built with every field present, in one order: one object shape keeps the hot path monomorphic.
function answerFrom<T>(entry: CacheEntry, cache: CacheStatus, attempts: AttemptRecord[], nowMs: number): JsonAnswer<T> {
  const ageMs = cache === 'hit' || cache === 'stale' ? Math.max(0, nowMs - entry.storedAt) : undefined;
  // A stale answer is served as stale, whatever kept it fresh before.
  const marketClosed = cache !== 'stale' && entry.marketClosed;
  return withJson<T>(entry.json, {
    provider: entry.provider,
    attempts,
    cache,
    latencyMs: 0,
    ageMs,
    marketClosed,
    etag: entry.etag,
    freshness: entry,
  });
}

/**
 * An answer that carries its JSON, which is what responses send: nothing on the request path decodes it, so `data` is
 * decoded only when some caller reads it.
 */
function withJson<T>(json: string, answer: Omit<CachedAnswer<T>, 'data' | 'json'>): JsonAnswer<T> {
  return {
    get data() {
      return JSON.parse(json) as T;
    },
    json,
    ...answer,
  };
}

function bypassed<T>(answer: Answer<T>): CachedAnswer<T> {
  const { data, provider, attempts } = answer;
  return {
    data,
    json: undefined,
    provider,
    attempts,
    cache: 'miss',
    latencyMs: 0,
    ageMs: undefined,
    marketClosed: undefined,
    etag: undefined,
    freshness: undefined,
  };
}

/** lru-cache's account of one fetch, in the words of `meta.cache`. */
function statusOf(status: LRUCache.Status<string, CacheEntry, FetchContext>, entry: CacheEntry): CacheStatus {
  if (status.returnedStale) return 'stale';
  if (status.fetch === 'hit') return 'hit';
  if (status.fetch === 'inflight') return 'coalesced';
  // This request ran the fetch itself: a vendor call, or a copy another instance left in Redis.
  if (entry.source === 'peer') return 'coalesced';
  return entry.source === 'redis' ? 'hit' : 'miss';
}

/** Settles with `promise`, or rejects as soon as the client goes away; the promise itself runs on for the others. */
function untilClientGone<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return untilAborted(
    promise,
    signal,
    () => new GatewayError('GW_DEADLINE', 'the client went away before the answer came'),
  );
}

function assembleWatchlist(
  symbols: readonly string[],
  outcomes: readonly KeyOutcome[],
  nowMs: number,
): CachedAnswer<StockQuoteList> {
  const quoteJson: string[] = [];
  const missing: string[] = [];
  const providers = new Set<string>();
  const statuses = new Set<CacheStatus>();
  // Several symbols fetched together share one list of attempts: report each list once.
  const attemptLists = new Set<AttemptRecord[]>();
  const failures: unknown[] = [];
  let oldest: number | undefined;
  let firstStale: CacheEntry | undefined;
  let marketClosed = false;
  symbols.forEach((symbol, index) => {
    const outcome = outcomes[index] as KeyOutcome;
    attemptLists.add(outcome.attempts);
    if ('failure' in outcome) {
      missing.push(symbol);
      failures.push(outcome.failure);
      return;
    }
    quoteJson.push(outcome.entry.json);
    if (!firstStale || freshUntil(outcome.entry) < freshUntil(firstStale)) firstStale = outcome.entry;
    marketClosed ||= outcome.cache !== 'stale' && outcome.entry.marketClosed;
    providers.add(outcome.entry.provider);
    statuses.add(outcome.cache);
    if (outcome.cache === 'hit' || outcome.cache === 'stale') {
      oldest = Math.max(oldest ?? 0, nowMs - outcome.entry.storedAt);
    }
  });
  if (quoteJson.length === 0) {
    const failure = failures.find((error) => !(error instanceof GatewayError && error.code === 'GW_NOT_FOUND'));
    if (failure !== undefined) throw failure;
  }
  const cache = statusPrecedence.find((status) => statuses.has(status)) ?? 'miss';
  // The list's model adds nothing to its quotes' (each checked as it was stored), so their JSON is reused.
  const json = `{"quotes":[${quoteJson.join(',')}],"missing":${JSON.stringify(missing)}}`;
  return withJson<StockQuoteList>(json, {
    provider: [...providers].join(',') || 'none',
    attempts: [...attemptLists].flat(),
    cache,
    latencyMs: 0,
    ageMs: cache === 'hit' || cache === 'stale' ? oldest : undefined,
    marketClosed,
    etag: strongEtag(json),
    freshness: firstStale,
  });
}

function freshUntil(entry: CacheEntry): number {
  return entry.storedAt + entry.ttlMs;
}
