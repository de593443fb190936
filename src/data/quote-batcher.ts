import type { StockQuote } from '../core/index.js';
import { GatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../core/outcomes.js';
import { priorities } from '../resilience/limiter.js';
import type { RouteOptions } from '../routing/router.js';
import type { GatewaySnapshot, LiveSnapshot } from './snapshot.js';
import { routeQuoteBatch, type WatchlistResult } from './watchlist.js';

/** What one request gets back: its quote with the calls that concern it, as the router's single route answers. */
export interface QuoteAnswer {
  data: StockQuote;
  provider: string;
  attempts: AttemptRecord[];
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

  constructor(private readonly live: LiveSnapshot) {}

  /** Whether single quotes are batched now (cache.batchWindowMs > 0). */
  get enabled(): boolean {
    return this.live.current.config.cache.batchWindowMs > 0;
  }

  quote(symbol: string, route: RouteOptions): Promise<QuoteAnswer> {
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
      result = await routeQuoteBatch(snapshot.router, symbols, route, concurrency);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const quotes = new Map(result.data.quotes.map((quote) => [quote.symbol, quote]));
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
      const route = { ...waiter.route, notFoundFrom: [batchVendor] };
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
