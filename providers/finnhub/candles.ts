// GET /stock/candle?symbol=AAPL&resolution=D&from=…&to=… — https://finnhub.io/docs/api/stock-candles
// Premium: free keys get 403 (→ plan). from/to are Unix seconds and all four parameters are required. The answer is
// parallel arrays o,h,l,c,v,t in ascending order, with s "ok" or "no_data" (unknown symbol or empty range).
// Bars are split-adjusted and there is no unadjusted mode: the old `adjusted=false` flag is undocumented and was reported
// to return adjusted data anyway (finnhubio/Finnhub-API#336), so adjusted=false is unsupported rather than mixed.
import { z } from 'zod';
import {
  defineCapability,
  isDailyOrLonger,
  type Candle,
  type Interval,
  type NotFound,
  type StockCandles,
  type StockCandlesQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { dailyBarTime, dateToUnixSeconds, endOfDateUnixSeconds, secondsToIso } from '../common/time.js';

const finnhubCandlesResponseSchema = z
  .object({
    s: z.enum(['ok', 'no_data']),
    o: z.array(z.number()).nullish(),
    h: z.array(z.number()).nullish(),
    l: z.array(z.number()).nullish(),
    c: z.array(z.number()).nullish(),
    v: z.array(z.number()).nullish(),
    t: z.array(z.number()).nullish(),
  })
  .refine(
    (raw) => {
      if (raw.s !== 'ok') return true;
      const length = raw.t?.length;
      return (
        length !== undefined &&
        [raw.o, raw.h, raw.l, raw.c].every((column) => column?.length === length) &&
        (raw.v === undefined || raw.v === null || raw.v.length === length)
      );
    },
    { message: 'candle arrays differ in length', path: ['t'] },
  );
type FinnhubCandlesResponse = z.infer<typeof finnhubCandlesResponseSchema>;

const resolutions: Partial<Record<Interval, string>> = {
  '1m': '1',
  '5m': '5',
  '15m': '15',
  '30m': '30',
  '1h': '60',
  '1d': 'D',
  '1w': 'W',
  '1mo': 'M',
};

function buildCandlesRequest(query: StockCandlesQuery): VendorRequest | Unsupported {
  const resolution = resolutions[query.interval];
  if (resolution === undefined) return { unsupported: true, detail: `interval ${query.interval} not supported` };
  if (!query.adjusted) return { unsupported: true, detail: 'adjusted=false not supported' };
  return {
    method: 'GET',
    path: '/stock/candle',
    query: {
      symbol: query.symbol,
      resolution,
      from: dateToUnixSeconds(query.from),
      to: endOfDateUnixSeconds(query.to),
    },
  };
}

function normalizeCandles(raw: FinnhubCandlesResponse, query: StockCandlesQuery): StockCandles | NotFound {
  const times = raw.t ?? [];
  if (raw.s === 'no_data' || times.length === 0) return { notFound: true, detail: 'finnhub answered no_data' };
  const daily = isDailyOrLonger(query.interval);
  // The schema checked that every column is as long as `t`, so the fallbacks below never apply.
  const candles: Candle[] = times.map((seconds, index) => ({
    // finnhub stamps daily and longer bars at 00:00Z of the trading date, so the UTC date is the label.
    time: daily ? dailyBarTime(seconds * 1000, 'UTC') : secondsToIso(seconds),
    open: raw.o?.[index] ?? 0,
    high: raw.h?.[index] ?? 0,
    low: raw.l?.[index] ?? 0,
    close: raw.c?.[index] ?? 0,
    volume: raw.v?.[index] ?? null,
  }));
  candles.sort((a, b) => a.time.localeCompare(b.time));
  return { symbol: query.symbol, interval: query.interval, adjusted: true, candles };
}

export const finnhubStockCandles = defineCapability({
  capability: 'stock-candles',
  responseSchema: finnhubCandlesResponseSchema,
  buildRequest: buildCandlesRequest,
  normalize: normalizeCandles,
});
