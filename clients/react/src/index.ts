export { useCandles, useCryptoPrice, useNews, useProviderStatus, useQuote, useQuotes } from './hooks.js';
export { GatewayProvider, useGatewayClient } from './provider.js';
export {
  candlesQuery,
  cryptoPriceQuery,
  errorRefetchMs,
  gatewayQueryKey,
  minRefetchMs,
  newsQuery,
  nextRefetchMs,
  providerStatusQuery,
  quoteQuery,
  quotesQuery,
} from './queries.js';
