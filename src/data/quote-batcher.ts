import { defaultTtlMs } from '../config/schema.js';
import type { StockQuote } from '../core/index.js';
import { GatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../core/outcomes.js';
import { priorities } from '../resilience/limiter.js';
import { withRouteOptions, type RouteOptions } from '../routing/router.js';
import type { GatewaySnapshot, LiveSnapshot } from './snapshot.js';
import { routeQuoteBatch, type WatchlistResult } from './watchlist.js';

/** What one request gets back: its quote with the calls that concern it, as the router's single route answers. */
export interface QuoteAnswer {
  data: StockQuote;
  provider: string;
  attempts: AttemptRecord[];
  /** Set when the quote came from an earlier whole-market answer. */
  fetchedAt?: number;
}

interface MarketSweep {
  quotes: ReadonlyMap<string, StockQuote>;
  provider: string;
  attempts: AttemptRecord[];
  fetchedAt: number;
}

interface Waiter {
  symbol: string;
  route: RouteOptions;
  resolve(answer: QuoteAnswer): void;
  reject(error: unknown): void;
}

interface Batch {
  waiters: Waiter[];
  symbols: Set<string>;
  timer: NodeJS.Timeout;
}

/**
 * Single stock quotes that different requests need from the vendors (cache misses, stale refreshes, refresh-ahead),
 * gathered for `windowMs` and sent as one watchlist: one multi-symbol call where a vendor has one (polygon's snapshot,
 * twelvedata, marketstack), else single quotes fanned out (finnhub). A batch goes as soon as it holds `maxSymbols`.
 * Each request gets its own quote, or its own error, with the attempts that concern its symbol
 * (docs/decisions.md#single-quotes-ride-in-batches). Requests pinned to a vendor batch only with each other.
 * The window and size (cache.batchWindowMs, cache.batchMaxSymbols) are read per batch and the vendors are asked on the
 * snapshot current when it goes, so a reload applies to the next batch.
 */
export class QuoteBatcher {
  private readonly open = new Map<string, Batch>();
  /** Symbols asked lately, with when: enough distinct ones within a TTL make the next batch a whole-market sweep. */
  private readonly lately = new Map<string, number>();
  /** The last whole-market answer: its quotes wait here, unencoded, until someone asks for one. */
  private market: MarketSweep | undefined;

  constructor(
    private readonly live: LiveSnapshot,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether single quotes are batched now (cache.batchWindowMs > 0). */
  get enabled(): boolean {
    return this.live.current.config.cache.batchWindowMs > 0;
  }

  quote(symbol: string, route: RouteOptions): Promise<QuoteAnswer> {
    if (!route.provider) this.noteAsked(symbol);
    const swept = route.provider ? undefined : this.fromLastSweep(symbol);
    if (swept) return Promise.resolve(swept);
    return new Promise((resolve, reject) => {
      const group = route.provider ?? '';
      let batch = this.open.get(group);
      const { batchWindowMs, batchMaxSymbols } = this.live.current.config.cache;
      if (!batch) {
        batch = { waiters: [], symbols: new Set(), timer: setTimeout(() => this.flush(group), batchWindowMs) };
        this.open.set(group, batch);
      }
      batch.waiters.push({ symbol, route, resolve, reject });
      batch.symbols.add(symbol);
      if (batch.symbols.size >= batchMaxSymbols) this.flush(group);
    });
  }

  private flush(group: string): void {
    const batch = this.open.get(group);
    if (!batch) return;
    this.open.delete(group);
    clearTimeout(batch.timer);
    void this.live.use((snapshot) => this.send(snapshot, [...batch.symbols], batch.waiters));
  }

  private async send(snapshot: GatewaySnapshot, symbols: string[], waiters: readonly Waiter[]): Promise<void> {
    const first = waiters[0] as Waiter;
    // The most urgent waiter's priority; the first one's request id names the batch in logs and events.
    const priority = priorities.find((level) => waiters.some((waiter) => waiter.route.priority === level)) ?? 'normal';
    const route: RouteOptions = { requestId: first.route.requestId, priority, provider: first.route.provider };
    let result: WatchlistResult;
    try {
      const concurrency = snapshot.config.routing.watchlistConcurrency;
      // A symbol missing from a fresh whole-market answer is asked for by name: sweeping again would not find it.
      const sweepers = route.provider || this.lastSweepFresh() ? [] : this.wholeMarketVendors(snapshot);
      result = await routeQuoteBatch(snapshot.router, symbols, route, concurrency, sweepers);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const quotes = new Map(result.data.quotes.map((quote) => [quote.symbol, quote]));
    if (quotes.size > symbols.length) {
      this.market = { quotes, provider: result.provider, attempts: result.attempts, fetchedAt: this.now() };
    }
    const leftOut = new Set(result.unknownSymbols.batchMissing);
    // Awaited so the snapshot stays in use until the last left-out symbol is answered.
    const followUps: Promise<void>[] = [];
    for (const waiter of waiters) {
      const outcome = result.bySymbol.get(waiter.symbol);
      const attempts = outcome?.attempts ?? result.attempts;
      const quote = quotes.get(waiter.symbol);
      if (quote) {
        waiter.resolve({ data: quote, provider: result.answeredBy.get(waiter.symbol) ?? result.provider, attempts });
      } else if (leftOut.has(waiter.symbol)) {
        // The batch vendor's silence is its not-found vote; the other vendors are asked as for an unbatched request.
        const voted = attempts.map((entry) =>
          entry.provider === result.provider && entry.outcome === 'ok'
            ? { ...entry, outcome: 'not-found' as const, detail: 'left out of the batch answer' }
            : entry,
        );
        followUps.push(this.single(snapshot, waiter, result.provider, voted).then(waiter.resolve, waiter.reject));
      } else {
        const failure = outcome?.failure ?? new GatewayError('GW_ALL_FAILED', `no vendor answered ${waiter.symbol}`);
        waiter.reject(withAttempts(failure, attempts));
      }
    }
    await Promise.all(followUps);
  }

  /** Symbols asked lately, oldest first, kept for one stock-quote TTL: how broad the demand is. */
  private noteAsked(symbol: string): void {
    const now = this.now();
    const { ttlMs } = this.live.current.config.cache;
    const windowMs = ttlMs['stock-quote'] ?? defaultTtlMs['stock-quote'];
    this.lately.delete(symbol);
    this.lately.set(symbol, now);
    for (const [oldest, askedAt] of this.lately) {
      if (now - askedAt < windowMs) break;
      this.lately.delete(oldest);
    }
  }

  /**
   * The vendors, in the strategy's order, that can answer for the whole market, once at least
   * cache.wholeMarketMinSymbols distinct symbols were asked of the batcher within one stock-quote TTL; else none
   * (docs/decisions.md#the-whole-market-sweep).
   */
  private wholeMarketVendors(snapshot: GatewaySnapshot): string[] {
    const { wholeMarketMinSymbols } = snapshot.config.cache;
    if (wholeMarketMinSymbols === 0 || this.lately.size < wholeMarketMinSymbols) return [];
    const sweeping = snapshot.registry
      .serving('stock-quotes')
      .filter((vendor) => vendor.adapter.capabilities['stock-quotes']?.wholeMarket === true)
      .map((vendor) => vendor.name);
    if (sweeping.length === 0) return [];
    return snapshot.router.plan('stock-quotes', '').filter((name) => sweeping.includes(name));
  }

  /**
   * A quote from the last whole-market answer while it is younger than the stock-quote TTL, with the call that
   * fetched it and its time (the cache counts its age from then): a first ask costs no vendor call.
   */
  private fromLastSweep(symbol: string): QuoteAnswer | undefined {
    const data = this.lastSweepFresh() ? this.market?.quotes.get(symbol) : undefined;
    if (!this.market || !data) return undefined;
    const { provider, attempts, fetchedAt } = this.market;
    return { data, provider, attempts, fetchedAt };
  }

  private lastSweepFresh(): boolean {
    if (!this.market) return false;
    const { ttlMs } = this.live.current.config.cache;
    if (this.now() - this.market.fetchedAt < (ttlMs['stock-quote'] ?? defaultTtlMs['stock-quote'])) return true;
    this.market = undefined;
    return false;
  }

  private async single(
    snapshot: GatewaySnapshot,
    waiter: Waiter,
    batchVendor: string,
    batchAttempts: AttemptRecord[],
  ): Promise<QuoteAnswer> {
    if (waiter.route.provider) {
      throw new GatewayError('GW_NOT_FOUND', `${batchVendor} does not know the symbol ${waiter.symbol}`, {
        attempts: batchAttempts,
      });
    }
    try {
      const route = withRouteOptions(waiter.route, { notFoundFrom: [batchVendor] });
      const routed = await snapshot.router.route('stock-quote', { symbol: waiter.symbol }, route);
      return { data: routed.data, provider: routed.provider, attempts: [...batchAttempts, ...routed.attempts] };
    } catch (error) {
      throw error instanceof GatewayError ? withAttempts(error, [...batchAttempts, ...error.attempts]) : error;
    }
  }
}

/** The same failure, told with every attempt that concerns the request. */
function withAttempts(error: GatewayError, attempts: AttemptRecord[]): GatewayError {
  return new GatewayError(error.code, error.detail, { ...error.options, attempts });
}
