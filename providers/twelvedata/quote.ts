// GET /quote?symbol=AAPL — https://twelvedata.com/docs#quote
// GET /quote?symbol=AAPL,MSFT — the same endpoint with a comma list (one credit per symbol) answers an object keyed by
// symbol, each value a quote or an error object ({"code":404,…,"status":"error"}) for a symbol it does not know. A
// one-symbol list answers a plain quote. GET /quote?symbol=BTC/USD serves crypto with the same shape.
// Quirks (docs/vendors.md#twelvedata): numbers are strings; `close` is the latest price during the session; `timestamp`
// opens the quote's daily interval while `last_quote_at` stamps its last minute bar, so asOf prefers the latter.
import { z } from 'zod';
import {
  defineCapability,
  type CryptoPrice,
  type CryptoPriceQuery,
  type StockQuote,
  type StockQuoteList,
  type StockQuoteQuery,
  type StockQuotesQuery,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull } from '../common/numbers.js';
import { quoteListFrom } from '../common/quotes.js';
import { secondsToIso } from '../common/time.js';
import { twelvedataQuoteSchema, type TwelvedataQuote } from './schemas.js';

// A one-symbol answer is re-keyed by its symbol, so both shapes read the same way. A list answer has an entry for every
// asked symbol (a quote or an error object), so an empty one is a changed payload, not "none of them is known".
const twelvedataQuoteListResponseSchema = z.union([
  twelvedataQuoteSchema.transform((quote) => ({ [quote.symbol]: quote })),
  z
    .record(
      z.string(),
      z.union([twelvedataQuoteSchema, z.object({ status: z.literal('error'), code: z.number().nullish() })]),
    )
    .refine((entries) => Object.keys(entries).length > 0, 'an answer without a single symbol'),
]);
type TwelvedataQuoteListResponse = z.infer<typeof twelvedataQuoteListResponseSchema>;

function quoteRequest(symbol: string): VendorRequest {
  return { method: 'GET', path: '/quote', query: { symbol } };
}

function buildQuoteRequest(query: StockQuoteQuery): VendorRequest {
  return quoteRequest(query.symbol.toUpperCase());
}

function buildQuotesRequest(query: StockQuotesQuery): VendorRequest {
  return quoteRequest(query.symbols.map((symbol) => symbol.toUpperCase()).join(','));
}

function buildCryptoPriceRequest(query: CryptoPriceQuery): VendorRequest {
  return quoteRequest(`${query.symbol.toUpperCase()}/${query.vs.toUpperCase()}`);
}

/** London listings are priced in pence ("GBp"), which is no ISO-4217 code: null rather than read as pounds. */
function isoCurrency(currency: string | null | undefined): string | null {
  return currency && /^[A-Z]{3}$/.test(currency) ? currency : null;
}

function asOf(raw: TwelvedataQuote): string | null {
  const seconds = raw.last_quote_at ?? raw.timestamp;
  return seconds ? secondsToIso(seconds) : null;
}

function quoteFrom(raw: TwelvedataQuote, symbol: string): StockQuote {
  return {
    symbol,
    price: raw.close,
    change: numberOrNull(raw.change),
    // percent_change is already in percent (0.71751 = 0.72 %).
    changePercent: numberOrNull(raw.percent_change),
    open: numberOrNull(raw.open),
    high: numberOrNull(raw.high),
    low: numberOrNull(raw.low),
    previousClose: numberOrNull(raw.previous_close),
    volume: numberOrNull(raw.volume),
    currency: isoCurrency(raw.currency),
    asOf: asOf(raw),
  };
}

function normalizeQuote(raw: TwelvedataQuote, query: StockQuoteQuery): StockQuote {
  return quoteFrom(raw, query.symbol);
}

function normalizeQuotes(raw: TwelvedataQuoteListResponse, query: StockQuotesQuery): StockQuoteList {
  // A symbol twelvedata does not know comes back as an error object in its place.
  return quoteListFrom(query.symbols, Object.entries(raw), (entry, symbol) =>
    'close' in entry ? quoteFrom(entry, symbol) : null,
  );
}

/**
 * `change`/`percent_change` run from the previous daily close (00:00 UTC for crypto), not over 24 hours; the rolling
 * 24-hour change (a percent) is `rolling_1day_change`. No absolute 24-hour change, market cap or quote-currency volume.
 */
function normalizeCryptoPrice(raw: TwelvedataQuote, query: CryptoPriceQuery): CryptoPrice {
  return {
    symbol: query.symbol,
    vs: query.vs,
    price: raw.close,
    change24h: null,
    changePercent24h: numberOrNull(raw.rolling_1day_change),
    marketCap: null,
    volume24h: null,
    asOf: asOf(raw),
  };
}

export const twelvedataStockQuote = defineCapability({
  capability: 'stock-quote',
  responseSchema: twelvedataQuoteSchema,
  buildRequest: buildQuoteRequest,
  normalize: normalizeQuote,
});

export const twelvedataStockQuotes = defineCapability({
  capability: 'stock-quotes',
  responseSchema: twelvedataQuoteListResponseSchema,
  buildRequest: buildQuotesRequest,
  normalize: normalizeQuotes,
});

export const twelvedataCryptoPrice = defineCapability({
  capability: 'crypto-price',
  responseSchema: twelvedataQuoteSchema,
  buildRequest: buildCryptoPriceRequest,
  normalize: normalizeCryptoPrice,
});
