// GET /v2/snapshot/locale/us/markets/stocks/tickers/{TICKER} — https://massive.com/docs/rest/stocks/snapshots/single-ticker-snapshot
// GET /v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL,MSFT — https://massive.com/docs/rest/stocks/snapshots/full-market-snapshot
// The same path without `tickers` is the whole US market, every traded ticker in one reply (page above): the
// whole-market sweep (docs/decisions.md#the-whole-market-sweep) asks it when clients want many symbols.
// Quirks (docs/vendors.md#polygon, "Quote"): `updated` and `lastTrade.t` are nanoseconds; the snapshot is wiped
// nightly, so until the session opens the `day` bar is all zeros; volumes may come as strings. An unknown ticker is a
// 404 on the single snapshot and simply absent from the batch.
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
import { nanosToIso } from '../common/time.js';
import { stockTicker } from './symbols.js';

const polygonBarSchema = z.object({
  o: numeric.nullish(),
  h: numeric.nullish(),
  l: numeric.nullish(),
  c: numeric.nullish(),
  v: numeric.nullish(),
});

const polygonTickerSnapshotSchema = z.object({
  ticker: z.string(),
  todaysChange: numeric.nullish(),
  todaysChangePerc: numeric.nullish(),
  updated: z.number().nullish(),
  day: polygonBarSchema.nullish(),
  prevDay: polygonBarSchema.nullish(),
  lastTrade: z.object({ p: numeric.nullish(), t: z.number().nullish() }).nullish(),
});
type PolygonTickerSnapshot = z.infer<typeof polygonTickerSnapshotSchema>;

// `status` comes on every snapshot answer (required in the vendor's spec, links above), the batch's included: there it
// is what tells "none of the asked tickers is known" (no `tickers`) from a changed payload.
const polygonSnapshotResponseSchema = z.object({ status: z.string(), ticker: polygonTickerSnapshotSchema });
export type PolygonSnapshotResponse = z.infer<typeof polygonSnapshotResponseSchema>;

const polygonSnapshotListResponseSchema = z.object({
  status: z.string(),
  tickers: z.array(polygonTickerSnapshotSchema).nullish(),
});
export type PolygonSnapshotListResponse = z.infer<typeof polygonSnapshotListResponseSchema>;

function buildQuoteRequest(query: StockQuoteQuery): VendorRequest {
  return { method: 'GET', path: `/v2/snapshot/locale/us/markets/stocks/tickers/${stockTicker(query.symbol)}` };
}

function buildQuotesRequest(query: StockQuotesQuery): VendorRequest {
  const path = '/v2/snapshot/locale/us/markets/stocks/tickers';
  if (query.wholeMarket) return { method: 'GET', path };
  return { method: 'GET', path, query: { tickers: query.symbols.map((symbol) => symbol.toUpperCase()).join(',') } };
}

/** The last trade, else today's close, else yesterday's: before the session opens the day bar is all zeros. */
function snapshotPrice(snapshot: PolygonTickerSnapshot): number | null {
  return (
    nonZeroOrNull(snapshot.lastTrade?.p) ?? nonZeroOrNull(snapshot.day?.c) ?? nonZeroOrNull(snapshot.prevDay?.c) ?? null
  );
}

function quoteFromSnapshot(snapshot: PolygonTickerSnapshot, symbol: string): StockQuote | null {
  const price = snapshotPrice(snapshot);
  if (price === null) return null;
  // A wiped day bar (close 0) says nothing about today's session yet, its volume included.
  const day = nonZeroOrNull(snapshot.day?.c) === null ? null : snapshot.day;
  const updatedNanos = nonZeroOrNull(snapshot.updated) ?? nonZeroOrNull(snapshot.lastTrade?.t);
  return {
    symbol,
    price,
    change: numberOrNull(snapshot.todaysChange),
    changePercent: numberOrNull(snapshot.todaysChangePerc),
    open: nonZeroOrNull(day?.o),
    high: nonZeroOrNull(day?.h),
    low: nonZeroOrNull(day?.l),
    previousClose: nonZeroOrNull(snapshot.prevDay?.c),
    volume: numberOrNull(day?.v),
    // The US stocks snapshot only covers US listings, all priced in dollars.
    currency: 'USD',
    asOf: updatedNanos === null ? null : nanosToIso(updatedNanos),
  };
}

function normalizeQuote(raw: PolygonSnapshotResponse, query: StockQuoteQuery): StockQuote | NotFound {
  return quoteFromSnapshot(raw.ticker, query.symbol) ?? { notFound: true, detail: 'snapshot has no price' };
}

function normalizeQuotes(raw: PolygonSnapshotListResponse, query: StockQuotesQuery): StockQuoteList {
  const snapshots = (raw.tickers ?? []).map((snapshot) => [snapshot.ticker, snapshot] as const);
  // The whole market: every listed ticker, then the asked ones it lacks (listed as missing).
  const symbols = query.wholeMarket
    ? [...new Set([...snapshots.map(([ticker]) => ticker.toUpperCase()), ...query.symbols])]
    : query.symbols;
  return quoteListFrom(symbols, snapshots, quoteFromSnapshot);
}

export const polygonStockQuote = defineCapability({
  capability: 'stock-quote',
  responseSchema: polygonSnapshotResponseSchema,
  buildRequest: buildQuoteRequest,
  normalize: normalizeQuote,
});

export const polygonStockQuotes = defineCapability({
  capability: 'stock-quotes',
  responseSchema: polygonSnapshotListResponseSchema,
  buildRequest: buildQuotesRequest,
  normalize: normalizeQuotes,
  wholeMarket: true,
});
