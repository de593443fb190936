export {
  createGatewayClient,
  type Answer,
  type CallOptions,
  type CryptoCandles,
  type CryptoCandlesQuery,
  type CryptoPrice,
  type CryptoPriceQuery,
  type DataAnswer,
  type ForexRate,
  type GatewayClient,
  type GatewayClientOptions,
  type Meta,
  type News,
  type NewsArticle,
  type NewsQuery,
  type ProviderStatus,
  type StockCandles,
  type StockCandlesQuery,
  type StockQuote,
  type StockQuoteList,
} from './client.js';
export { freshForMs, shippedTtlMs } from './freshness.js';
export type { components, paths } from './generated/openapi.js';
export { GatewayProblem, unreachableProblemType, type Attempt, type Problem } from './problem.js';
export type { RetryOptions } from './retry.js';
