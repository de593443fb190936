// GET /v1/exchangerate/{asset_id_base}/{asset_id_quote} — https://docs.coinapi.io/market-data/rest-api/exchange-rates
// One endpoint for crypto and fiat pairs: `{time, asset_id_base, asset_id_quote, rate}`, with `time` carrying 7
// fractional digits and no 24 h change, market cap or volume (docs/vendors.md#coinapi). Asset ids are the tickers
// themselves (BTC, ETH, EUR), so no coin table is needed. An unknown asset is an HTTP 550, read by errors.ts.
import { z } from 'zod';
import {
  defineCapability,
  isNotFound,
  type CryptoPrice,
  type CryptoPriceQuery,
  type ForexRate,
  type ForexRateQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { coinapiTimeSchema } from './schemas.js';

const coinapiExchangeRateResponseSchema = z.object({
  time: coinapiTimeSchema.nullish(),
  rate: numeric,
});
export type CoinapiExchangeRateResponse = z.infer<typeof coinapiExchangeRateResponseSchema>;

function buildExchangeRateRequest(base: string, quote: string): VendorRequest {
  return {
    method: 'GET',
    path: `/v1/exchangerate/${encodeURIComponent(base.toUpperCase())}/${encodeURIComponent(quote.toUpperCase())}`,
  };
}

/** The rate and its time, or NotFound when coinapi answers a pair with no positive rate. */
function readRate(
  raw: CoinapiExchangeRateResponse,
  base: string,
  quote: string,
): { rate: number; asOf: string | null } | NotFound {
  if (!(raw.rate > 0)) return { notFound: true, detail: `no ${base}/${quote} rate` };
  return { rate: raw.rate, asOf: raw.time ?? null };
}

function normalizeCryptoPrice(raw: CoinapiExchangeRateResponse, query: CryptoPriceQuery): CryptoPrice | NotFound {
  const vs = query.vs.toUpperCase();
  const read = readRate(raw, query.symbol, vs);
  if (isNotFound(read)) return read;
  return {
    symbol: query.symbol,
    vs,
    price: read.rate,
    change24h: null,
    changePercent24h: null,
    marketCap: null,
    volume24h: null,
    asOf: read.asOf,
  };
}

function normalizeForexRate(raw: CoinapiExchangeRateResponse, query: ForexRateQuery): ForexRate | NotFound {
  const base = query.base.toUpperCase();
  const quote = query.quote.toUpperCase();
  const read = readRate(raw, base, quote);
  if (isNotFound(read)) return read;
  return { base, quote, rate: read.rate, asOf: read.asOf };
}

export const coinapiCryptoPrice = defineCapability({
  capability: 'crypto-price',
  responseSchema: coinapiExchangeRateResponseSchema,
  buildRequest: (query: CryptoPriceQuery) => buildExchangeRateRequest(query.symbol, query.vs),
  normalize: normalizeCryptoPrice,
});

export const coinapiForexRate = defineCapability({
  capability: 'forex-rate',
  responseSchema: coinapiExchangeRateResponseSchema,
  buildRequest: (query: ForexRateQuery) => buildExchangeRateRequest(query.base, query.quote),
  normalize: normalizeForexRate,
});
