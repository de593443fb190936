import createClient from 'openapi-fetch';
import { freshForMs, shippedTtlMs } from './freshness.js';
import type { components, paths } from './generated/openapi.js';
import { GatewayProblem } from './problem.js';
import { defaultRetry, fetchRetrying503, type RequestFetch, type RetryOptions } from './retry.js';

type Schemas = components['schemas'];
export type Meta = Schemas['Meta'];
export type StockQuote = Schemas['StockQuote'];
export type StockQuoteList = Schemas['StockQuoteList'];
export type StockCandles = Schemas['StockCandles'];
export type CryptoPrice = Schemas['CryptoPrice'];
export type CryptoCandles = Schemas['CryptoCandles'];
export type ForexRate = Schemas['ForexRate'];
export type News = Schemas['News'];
export type NewsArticle = Schemas['NewsArticle'];
export type ProviderStatus = Schemas['ProviderStatus'];

type QueryOf<Path extends keyof paths> = paths[Path] extends { get: { parameters: { query?: infer Query } } }
  ? NonNullable<Query>
  : never;
export type StockCandlesQuery = QueryOf<'/v1/stocks/{symbol}/candles'>;
export type CryptoPriceQuery = QueryOf<'/v1/crypto/{symbol}/price'>;
export type CryptoCandlesQuery = QueryOf<'/v1/crypto/{symbol}/candles'>;
export type NewsQuery = QueryOf<'/v1/news'>;

export interface GatewayClientOptions {
  /** Where the gateway answers, e.g. `http://127.0.0.1:8080`; in a browser, `location.origin` behind a proxy. */
  baseUrl: string;
  /** A client key, sent as X-API-Key; the keyless demo needs none. */
  apiKey?: string;
  /** The retry on a 503 with Retry-After (default: once, if the wait is at most 5 s). */
  retry?: RetryOptions;
  /** Another fetch (a test double, an instrumented one); default: the global fetch. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A successful answer, and how long it stays worth showing before asking again. */
export interface Answer<T> {
  data: T;
  freshForMs: number;
}

/** A data route's answer: also who answered, how the cache did and every vendor tried. */
export interface DataAnswer<T> extends Answer<T> {
  meta: Meta;
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;

interface ApiResult<Body> {
  data?: Body;
  error?: unknown;
  response: Response;
}

/**
 * A typed client of the gateway's data routes and vendor status. Every method resolves to the answer or throws a
 * GatewayProblem (an abort rejects with the signal's reason, as fetch does). `api` is the underlying openapi-fetch
 * client, typed by every path of openapi/openapi.json, for anything the methods do not cover.
 */
export function createGatewayClient(options: GatewayClientOptions) {
  const { baseUrl } = options;
  const api = createClient<paths>({
    baseUrl,
    headers: options.apiKey ? { 'X-API-Key': options.apiKey } : {},
    fetch: fetchRetrying503(
      fetchOrUnreachable(options.fetch ?? globalThis.fetch.bind(globalThis)),
      options.retry ?? defaultRetry,
    ),
  });

  async function unwrap<Body>(pending: Promise<ApiResult<Body>>) {
    const result = await pending;
    if (result.data === undefined) throw GatewayProblem.fromResponse(result.response, result.error);
    return { body: result.data, response: result.response };
  }

  async function dataAnswer<T>(
    ttlMs: number,
    pending: Promise<ApiResult<{ data: T; meta: Meta }>>,
  ): Promise<DataAnswer<T>> {
    const { body, response } = await unwrap(pending);
    return { data: body.data, meta: body.meta, freshForMs: freshForMs(response, ttlMs, body.meta.ageMs) };
  }

  const requestInit = ({ signal }: CallOptions) => ({ signal: signal ?? null });

  return {
    baseUrl,
    api,
    quote: (symbol: string, options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.stockQuote,
        api.GET('/v1/stocks/{symbol}/quote', { params: { path: { symbol } }, ...requestInit(options) }),
      ),
    /** A watchlist: up to 50 symbols in one request; symbols no vendor knows come back in `missing`. */
    quotes: (symbols: readonly string[], options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.stockQuotes,
        api.GET('/v1/stocks/quotes', { params: { query: { symbols: symbols.join(',') } }, ...requestInit(options) }),
      ),
    candles: (symbol: string, query: StockCandlesQuery = {}, options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.stockCandles,
        api.GET('/v1/stocks/{symbol}/candles', { params: { path: { symbol }, query }, ...requestInit(options) }),
      ),
    cryptoPrice: (symbol: string, query: CryptoPriceQuery = {}, options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.cryptoPrice,
        api.GET('/v1/crypto/{symbol}/price', { params: { path: { symbol }, query }, ...requestInit(options) }),
      ),
    cryptoCandles: (symbol: string, query: CryptoCandlesQuery = {}, options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.cryptoCandles,
        api.GET('/v1/crypto/{symbol}/candles', { params: { path: { symbol }, query }, ...requestInit(options) }),
      ),
    forexRate: (base: string, quote: string, options: CallOptions = {}) =>
      dataAnswer(
        shippedTtlMs.forexRate,
        api.GET('/v1/forex/{base}/{quote}', { params: { path: { base, quote } }, ...requestInit(options) }),
      ),
    news: (query: NewsQuery = {}, options: CallOptions = {}) =>
      dataAnswer(shippedTtlMs.news, api.GET('/v1/news', { params: { query }, ...requestInit(options) })),
    /** Every vendor's state (operator surface: needs a key with the operator scope, except on the keyless demo). */
    providers: async (options: CallOptions = {}): Promise<Answer<ProviderStatus[]>> => {
      const { body, response } = await unwrap(api.GET('/v1/providers', requestInit(options)));
      return { data: body.data, freshForMs: freshForMs(response, shippedTtlMs.providers) };
    },
  };
}

/** fetch, with a request that got no answer at all (refused, DNS, a CORS refusal) turned into the unreachable problem. */
function fetchOrUnreachable(fetchImpl: typeof fetch): RequestFetch {
  return async (request) => {
    try {
      return await fetchImpl(request);
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw GatewayProblem.unreachable(request.url, error);
    }
  };
}
