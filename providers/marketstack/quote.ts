// GET /intraday/latest?symbols=AAPL[,MSFT] — https://marketstack.com/documentation_v2 (Intraday Data, /intraday/latest)
// Quirks (docs/vendors.md#marketstack): Basic plan and up (Free answers 403 function_access_restricted);
// `marketstack_last` is the usable current price, while `last`, `mid`, `bid_*` and `ask_*` stay null without an IEX
// agreement; the row's `close` is the PREVIOUS session's close; no currency field; `date` is `2026-01-30T15:59:00+0000`.
// Each symbol in `symbols` costs one request of the quota, but a watchlist is still one HTTP call. Unknown symbols are
// left out of `data`; when no asked symbol is known marketstack answers 422 `no_valid_symbols_provided`.
import { z } from 'zod';
import {
  defineCapability,
  type NotFound,
  type StockQuote,
  type StockQuoteList,
  type StockQuoteQuery,
  type StockQuotesQuery,
  type VendorRequest,
} from '../../src/core/index.js';
import { nonZeroOrNull, numberOrNull, numeric } from '../common/numbers.js';
import { quoteListFrom } from '../common/quotes.js';
import { toUtcIso } from '../common/time.js';

const marketstackLatestRowSchema = z.object({
  symbol: z.string(),
  exchange: z.string().nullish(),
  date: z.string().nullish(),
  marketstack_last: numeric.nullish(),
  last: numeric.nullish(),
  close: numeric.nullish(),
  open: numeric.nullish(),
  high: numeric.nullish(),
  low: numeric.nullish(),
  volume: numeric.nullish(),
});
type MarketstackLatestRow = z.infer<typeof marketstackLatestRowSchema>;

// `pagination` and `data` come on every page (pagination's counts are not read).
const marketstackLatestResponseSchema = z.object({
  pagination: z.object({}),
  data: z.array(marketstackLatestRowSchema),
});
export type MarketstackLatestResponse = z.infer<typeof marketstackLatestResponseSchema>;

/** Market identifier codes of US venues, all priced in dollars; marketstack's intraday feed is IEX-sourced (IEXG). */
const usExchanges = new Set(['XNAS', 'XNYS', 'XASE', 'ARCX', 'BATS', 'IEXG']);

function buildLatestRequest(symbols: readonly string[]): VendorRequest {
  return {
    method: 'GET',
    path: '/intraday/latest',
    query: { symbols: symbols.map((symbol) => symbol.toUpperCase()).join(',') },
  };
}

function buildQuoteRequest(query: StockQuoteQuery): VendorRequest {
  return buildLatestRequest([query.symbol]);
}

function buildQuotesRequest(query: StockQuotesQuery): VendorRequest {
  return buildLatestRequest(query.symbols);
}

/** Rounds away float noise from subtracting two prices (259.47 − 258.28 = 1.1900000000000261). */
function withoutFloatNoise(value: number): number {
  return Number(value.toFixed(6));
}

/**
 * The quote in one row, or null when the row has no price. `marketstack_last` first, then the IEX `last` (only with an
 * IEX agreement); a row with neither is a symbol marketstack knows but cannot price now, which we treat as not found
 * rather than invent a price from the previous close.
 */
function quoteFromRow(row: MarketstackLatestRow, symbol: string): StockQuote | null {
  const price = nonZeroOrNull(row.marketstack_last) ?? nonZeroOrNull(row.last);
  if (price === null) return null;
  const previousClose = nonZeroOrNull(row.close);
  const change = previousClose === null ? null : price - previousClose;
  return {
    symbol,
    price,
    change: change === null ? null : withoutFloatNoise(change),
    changePercent: change === null || previousClose === null ? null : withoutFloatNoise((change / previousClose) * 100),
    open: nonZeroOrNull(row.open),
    high: nonZeroOrNull(row.high),
    low: nonZeroOrNull(row.low),
    previousClose,
    volume: numberOrNull(row.volume),
    currency: row.exchange && usExchanges.has(row.exchange.toUpperCase()) ? 'USD' : null,
    asOf: toUtcIso(row.date),
  };
}

function rowsBySymbol(raw: MarketstackLatestResponse): Map<string, MarketstackLatestRow> {
  return new Map(raw.data.map((row) => [row.symbol.toUpperCase(), row]));
}

function normalizeQuote(raw: MarketstackLatestResponse, query: StockQuoteQuery): StockQuote | NotFound {
  const row = rowsBySymbol(raw).get(query.symbol.toUpperCase());
  if (!row) return { notFound: true, detail: 'no intraday row for symbol' };
  return quoteFromRow(row, query.symbol) ?? { notFound: true, detail: 'intraday row has no price' };
}

function normalizeQuotes(raw: MarketstackLatestResponse, query: StockQuotesQuery): StockQuoteList {
  const rows = raw.data.map((row) => [row.symbol, row] as const);
  return quoteListFrom(query.symbols, rows, quoteFromRow);
}

export const marketstackStockQuote = defineCapability({
  capability: 'stock-quote',
  responseSchema: marketstackLatestResponseSchema,
  buildRequest: buildQuoteRequest,
  normalize: normalizeQuote,
});

export const marketstackStockQuotes = defineCapability({
  capability: 'stock-quotes',
  responseSchema: marketstackLatestResponseSchema,
  buildRequest: buildQuotesRequest,
  normalize: normalizeQuotes,
});
