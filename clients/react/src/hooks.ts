import type { CryptoPriceQuery, NewsQuery, StockCandlesQuery } from '@market-data-gateway/client';
import { useQuery } from '@tanstack/react-query';
import { useGatewayClient } from './provider.js';
import { candlesQuery, cryptoPriceQuery, newsQuery, providerStatusQuery, quoteQuery, quotesQuery } from './queries.js';

/*
 * Each hook is TanStack Query's useQuery over one gateway route: components asking for the same key share one request
 * and one cache entry; `error` is the GatewayProblem (RFC 9457 details, attempts, Retry-After).
 */

export function useQuote(symbol: string) {
  return useQuery(quoteQuery(useGatewayClient(), symbol));
}

/** A watchlist: one request for up to 50 symbols; unknown ones are in `data.data.missing`. */
export function useQuotes(symbols: readonly string[]) {
  return useQuery(quotesQuery(useGatewayClient(), symbols));
}

export function useCandles(symbol: string, query?: StockCandlesQuery) {
  return useQuery(candlesQuery(useGatewayClient(), symbol, query));
}

export function useCryptoPrice(symbol: string, query?: CryptoPriceQuery) {
  return useQuery(cryptoPriceQuery(useGatewayClient(), symbol, query));
}

export function useNews(query?: NewsQuery) {
  return useQuery(newsQuery(useGatewayClient(), query));
}

/** Every vendor's state (the operator surface: needs an operator key, except on the keyless demo). */
export function useProviderStatus() {
  return useQuery(providerStatusQuery(useGatewayClient()));
}
