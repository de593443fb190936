import type {
  Answer,
  CryptoPriceQuery,
  GatewayClient,
  GatewayProblem,
  NewsQuery,
  StockCandlesQuery,
} from '@market-data-gateway/client';
import { queryOptions, type QueryKey } from '@tanstack/react-query';

/** The first element of every query key of these hooks, e.g. to invalidate them all at once. */
export const gatewayQueryKey = 'market-data-gateway';

/** Never ask again sooner than this, whatever the freshness says (a stale answer is fresh for 0 ms). */
export const minRefetchMs = 1_000;
/** After a failure that did not say when to come back (Retry-After), ask again after this long. */
export const errorRefetchMs = 10_000;

/**
 * When to ask again: when the answer stops being fresh (`freshForMs`: Cache-Control max-age, or the gateway's TTL less
 * `meta.ageMs`); after a failure, when its Retry-After says, or errorRefetchMs. Never sooner than minRefetchMs.
 */
export function nextRefetchMs(data: Answer<unknown> | undefined, error: GatewayProblem | null): number | false {
  if (error) {
    const retryAfterMs = error.retryAfterSeconds === undefined ? errorRefetchMs : error.retryAfterSeconds * 1000;
    return Math.max(minRefetchMs, retryAfterMs);
  }
  return data ? Math.max(minRefetchMs, data.freshForMs) : false;
}

/**
 * One gateway answer as a TanStack query: fresh (no refetch on mount or focus) for as long as the answer says, polled
 * by nextRefetchMs. The client already retried a 503 with Retry-After, so TanStack Query does not retry on top.
 */
function answerQuery<T extends Answer<unknown>, Key extends QueryKey>(
  queryKey: Key,
  fetchAnswer: (signal: AbortSignal) => Promise<T>,
) {
  return queryOptions<T, GatewayProblem, T, Key>({
    queryKey,
    queryFn: ({ signal }) => fetchAnswer(signal),
    staleTime: (query) => query.state.data?.freshForMs ?? 0,
    refetchInterval: (query) => nextRefetchMs(query.state.data, query.state.error),
    retry: false,
  });
}

const normalize = (symbol: string) => symbol.trim().toUpperCase();

export function quoteQuery(client: GatewayClient, symbol: string) {
  return answerQuery([gatewayQueryKey, client.baseUrl, 'quote', normalize(symbol)] as const, (signal) =>
    client.quote(symbol, { signal }),
  );
}

export function quotesQuery(client: GatewayClient, symbols: readonly string[]) {
  const list = symbols.map(normalize);
  return answerQuery([gatewayQueryKey, client.baseUrl, 'quotes', list] as const, (signal) =>
    client.quotes(list, { signal }),
  );
}

export function candlesQuery(client: GatewayClient, symbol: string, query: StockCandlesQuery = {}) {
  return answerQuery([gatewayQueryKey, client.baseUrl, 'candles', normalize(symbol), query] as const, (signal) =>
    client.candles(symbol, query, { signal }),
  );
}

export function cryptoPriceQuery(client: GatewayClient, symbol: string, query: CryptoPriceQuery = {}) {
  return answerQuery([gatewayQueryKey, client.baseUrl, 'crypto-price', normalize(symbol), query] as const, (signal) =>
    client.cryptoPrice(symbol, query, { signal }),
  );
}

export function newsQuery(client: GatewayClient, query: NewsQuery = {}) {
  return answerQuery([gatewayQueryKey, client.baseUrl, 'news', query] as const, (signal) =>
    client.news(query, { signal }),
  );
}

export function providerStatusQuery(client: GatewayClient) {
  return answerQuery([gatewayQueryKey, client.baseUrl, 'providers'] as const, (signal) => client.providers({ signal }));
}
