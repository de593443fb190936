// GET /v2/aggs/ticker/{TICKER}/range/{multiplier}/{timespan}/{from}/{to} — https://massive.com/docs/rest/stocks/aggregates/custom-bars
// Crypto uses the same path with X:BTCUSD — https://massive.com/docs/rest/crypto/aggregates/custom-bars
// Quirks (docs/vendors.md#polygon, "Candles"): `t` is ms at the bar start; daily and longer stock bars start at
// midnight New York time, crypto bars at midnight UTC; an unknown ticker is a 200 with `resultsCount: 0` and no
// `results`. One call only: `next_url` (more than 50 000 base bars) is not followed.
import { z } from 'zod';
import {
  defineCapability,
  isDailyOrLonger,
  type Candle,
  type CryptoCandles,
  type CryptoCandlesQuery,
  type Interval,
  type NotFound,
  type StockCandles,
  type StockCandlesQuery,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull, numeric } from '../common/numbers.js';
import { dailyBarTime, msToIso } from '../common/time.js';
import { cryptoTicker, stockTicker } from './symbols.js';

// Every aggregates answer, an empty one included, carries `status`, `queryCount` and `resultsCount` (required in the
// vendor's OpenAPI spec, https://massive.com/docs/rest/stocks/aggregates/custom-bars); only `results` may be left out,
// and only when there is no bar. A body without them, or with a count and no bars, is a changed payload, not no data.
const polygonAggsResponseSchema = z
  .object({
    status: z.string(),
    queryCount: z.number(),
    resultsCount: z.number(),
    results: z
      .array(
        z.object({
          t: z.number(),
          o: numeric,
          h: numeric,
          l: numeric,
          c: numeric,
          v: numeric.nullish(),
        }),
      )
      .nullish(),
  })
  .refine((raw) => raw.resultsCount === 0 || (raw.results !== undefined && raw.results !== null), {
    message: 'resultsCount above 0 without results',
    path: ['results'],
  });
export type PolygonAggsResponse = z.infer<typeof polygonAggsResponseSchema>;

const polygonRanges: Readonly<Record<Interval, readonly [multiplier: number, timespan: string]>> = {
  '1m': [1, 'minute'],
  '5m': [5, 'minute'],
  '15m': [15, 'minute'],
  '30m': [30, 'minute'],
  '1h': [1, 'hour'],
  '4h': [4, 'hour'],
  '1d': [1, 'day'],
  '1w': [1, 'week'],
  '1mo': [1, 'month'],
};

// `limit` caps the base (minute or day) bars polygon reads to build the answer; 50 000 is its maximum.
const maxBaseBars = 50_000;

function aggsPath(ticker: string, interval: Interval, from: string, to: string): string {
  const [multiplier, timespan] = polygonRanges[interval];
  return `/v2/aggs/ticker/${ticker}/range/${multiplier}/${timespan}/${from}/${to}`;
}

function buildStockCandlesRequest(query: StockCandlesQuery): VendorRequest {
  return {
    method: 'GET',
    path: aggsPath(stockTicker(query.symbol), query.interval, query.from, query.to),
    query: { adjusted: query.adjusted, sort: 'asc', limit: maxBaseBars },
  };
}

function buildCryptoCandlesRequest(query: CryptoCandlesQuery): VendorRequest {
  return {
    method: 'GET',
    path: aggsPath(cryptoTicker(query.symbol, query.vs), query.interval, query.from, query.to),
    query: { sort: 'asc', limit: maxBaseBars },
  };
}

/** Daily and longer bars get their trading date in `timeZone` (where the vendor's day starts); intraday bars their open. */
function candlesFrom(raw: PolygonAggsResponse, interval: Interval, timeZone: string): Candle[] {
  const daily = isDailyOrLonger(interval);
  return (raw.results ?? [])
    .map((bar) => ({
      time: daily ? dailyBarTime(bar.t, timeZone) : msToIso(bar.t),
      open: bar.o,
      high: bar.h,
      low: bar.l,
      close: bar.c,
      volume: numberOrNull(bar.v),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

function normalizeStockCandles(raw: PolygonAggsResponse, query: StockCandlesQuery): StockCandles | NotFound {
  const candles = candlesFrom(raw, query.interval, 'America/New_York');
  if (candles.length === 0) return { notFound: true, detail: 'no bars for ticker and range' };
  return { symbol: query.symbol, interval: query.interval, adjusted: query.adjusted, candles };
}

function normalizeCryptoCandles(raw: PolygonAggsResponse, query: CryptoCandlesQuery): CryptoCandles | NotFound {
  const candles = candlesFrom(raw, query.interval, 'UTC');
  if (candles.length === 0) return { notFound: true, detail: 'no bars for pair and range' };
  return { symbol: query.symbol, vs: query.vs, interval: query.interval, candles };
}

export const polygonStockCandles = defineCapability({
  capability: 'stock-candles',
  responseSchema: polygonAggsResponseSchema,
  buildRequest: buildStockCandlesRequest,
  normalize: normalizeStockCandles,
});

export const polygonCryptoCandles = defineCapability({
  capability: 'crypto-candles',
  responseSchema: polygonAggsResponseSchema,
  buildRequest: buildCryptoCandlesRequest,
  normalize: normalizeCryptoCandles,
});
