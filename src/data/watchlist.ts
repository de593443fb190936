import type { StockQuote, StockQuoteList, StockQuotesQuery } from '../core/index.js';
import { GatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../core/outcomes.js';
import { isAgreedNotFound } from '../cache/not-found.js';
import {
  withRouteOptions,
  type RouteOptions,
  type RouteOptionsWithin,
  type RoutedResult,
  type Router,
} from '../routing/router.js';

/**
 * A watchlist's answer, with the vendor that answered each symbol (a fan-out may use several) and which missing
 * symbols the vendors said they do not know (the cache remembers those: QuotesAnswer.unknownSymbols).
 */
export type WatchlistResult = RoutedResult<'stock-quotes'> & {
  answeredBy: ReadonlyMap<string, string>;
  unknownSymbols: { agreed: readonly string[]; batchMissing: readonly string[] };
  /** Each symbol's own story: the calls that concern it (a batch call concerns all), and why it failed, if it did. */
  bySymbol: ReadonlyMap<string, SymbolOutcome>;
};

export interface SymbolOutcome {
  attempts: AttemptRecord[];
  /** Set when no vendor answered this symbol (in a batch answer, a symbol left out has none: see batchMissing). */
  failure?: GatewayError;
}

/**
 * A watchlist: one batch call where a vendor has a multi-symbol endpoint (polygon), else single quotes fanned out
 * within each vendor's quota. Symbols no vendor could answer are listed in `missing` rather than failing the batch;
 * only when every symbol failed for a reason other than "unknown" does the whole request fail.
 */
export function routeWatchlist(
  router: Router,
  symbols: string[],
  options: RouteOptions,
  concurrency: number,
): Promise<WatchlistResult> {
  return router.withinDeadline(options, async (shared) => {
    const result = await watchlistWithin(router, symbols, shared, concurrency);
    const failures = [...result.bySymbol.values()].flatMap((outcome) => outcome.failure ?? []);
    const first = failures.find((failure) => failure.code !== 'GW_NOT_FOUND');
    if (result.data.quotes.length === 0 && first) {
      throw new GatewayError(first.code, `no quote for any of ${symbols.length} symbols: ${first.detail}`, {
        attempts: result.attempts,
        ...(first.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: first.retryAfterSeconds }),
      });
    }
    return result;
  });
}

/**
 * Quotes for symbols several requests asked for at once (data/quote-batcher.ts): a watchlist's routing, but never
 * failing as a whole, since each symbol answers its own request; a pinned batch vendor's failure still throws.
 */
export function routeQuoteBatch(
  router: Router,
  symbols: string[],
  options: RouteOptions,
  concurrency: number,
  wholeMarketVendors: readonly string[] = [],
): Promise<WatchlistResult> {
  return router.withinDeadline(options, (shared) =>
    watchlistWithin(router, symbols, shared, concurrency, wholeMarketVendors),
  );
}

/**
 * The whole market first when `wholeMarketVendors` are named (their answer holds every ticker they list), then one
 * batch call, then single quotes fanned out; each step answers only when the one before failed, and its attempts
 * carry the failed ones'.
 */
async function watchlistWithin(
  router: Router,
  symbols: string[],
  shared: RouteOptionsWithin,
  concurrency: number,
  wholeMarketVendors: readonly string[] = [],
): Promise<WatchlistResult> {
  const started = performance.now();
  const batchAttempts: AttemptRecord[] = [];
  const batchCalls: { query: StockQuotesQuery; route: RouteOptionsWithin }[] = [];
  if (wholeMarketVendors.length > 0) {
    batchCalls.push({
      query: { symbols, wholeMarket: true },
      route: withRouteOptions(shared, { only: wholeMarketVendors }),
    });
  }
  if (router.serves('stock-quotes', shared.provider)) batchCalls.push({ query: { symbols }, route: shared });
  for (const { query, route } of batchCalls) {
    try {
      const routed = await router.route('stock-quotes', query, route);
      const attempts = [...batchAttempts, ...routed.attempts];
      const answeredBy = new Map(routed.data.quotes.map((quote) => [quote.symbol, routed.provider]));
      const bySymbol = new Map(symbols.map((symbol) => [symbol, { attempts }]));
      const unknownSymbols = { agreed: [], batchMissing: routed.data.missing };
      return { ...routed, attempts, answeredBy, unknownSymbols, bySymbol };
    } catch (error) {
      // A pinned vendor gets no fallback; otherwise the next step may still answer.
      if (!(error instanceof GatewayError) || shared.provider) throw error;
      batchAttempts.push(...error.attempts);
    }
  }

  const quotes = new Map<string, StockQuote>();
  const answeredBy = new Map<string, string>();
  const attempts: AttemptRecord[] = [...batchAttempts];
  const agreed: string[] = [];
  const bySymbol = new Map<string, SymbolOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      const symbol = symbols[next++] as string;
      try {
        const routed = await router.route('stock-quote', { symbol }, withRouteOptions(shared, { key: symbol }));
        quotes.set(symbol, routed.data);
        answeredBy.set(symbol, routed.provider);
        attempts.push(...routed.attempts);
        bySymbol.set(symbol, { attempts: [...batchAttempts, ...routed.attempts] });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        attempts.push(...error.attempts);
        bySymbol.set(symbol, { attempts: [...batchAttempts, ...error.attempts], failure: error });
        if (isAgreedNotFound(error)) agreed.push(symbol);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, symbols.length) }, worker));

  const data: StockQuoteList = {
    quotes: symbols.flatMap((symbol) => quotes.get(symbol) ?? []),
    missing: symbols.filter((symbol) => !quotes.has(symbol)),
  };
  return {
    data,
    provider: [...new Set(answeredBy.values())].join(',') || 'none',
    attempts,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    answeredBy,
    unknownSymbols: { agreed, batchMissing: [] },
    bySymbol,
  };
}
