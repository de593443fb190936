// GET /eod?symbols=AAPL&date_from=&date_to=&sort=ASC&limit=1000 — https://marketstack.com/documentation_v2 (End-of-Day Data)
// GET /intraday?symbols=AAPL&interval=15min&date_from=&date_to=&sort=ASC&limit=1000 — https://marketstack.com/documentation_v2 (Intraday Data)
// Quirks (docs/vendors.md#marketstack): newest first unless sort=ASC; `date` is `2026-01-30T00:00:00+0000`;
// `adj_*` may be null; intervals below 15 minutes need the Professional plan, so only 15min, 30min and 1hour are asked.
// One call only: at most 1000 rows, and `pagination.total` beyond that is not followed. An unknown symbol is a 422
// `no_valid_symbols_provided` (errors.ts); an empty `data` for a known symbol is a range without trading.
import { z } from 'zod';
import {
  defineCapability,
  type BuildContext,
  type Candle,
  type Interval,
  type StockCandles,
  type StockCandlesQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull, numeric } from '../common/numbers.js';
import { dateToIso, dateToUnixSeconds, toUtcIso } from '../common/time.js';

// One row schema for both endpoints: /eod rows carry `adj_*`, /intraday rows `marketstack_last` and `last`.
// `pagination` and `data` come on every page, an empty one included (`data: []`); pagination's counts are not read.
const marketstackBarsResponseSchema = z.object({
  pagination: z.object({}),
  data: z.array(
    z.object({
      date: z.string(),
      open: numeric.nullish(),
      high: numeric.nullish(),
      low: numeric.nullish(),
      close: numeric.nullish(),
      volume: numeric.nullish(),
      adj_open: numeric.nullish(),
      adj_high: numeric.nullish(),
      adj_low: numeric.nullish(),
      adj_close: numeric.nullish(),
      adj_volume: numeric.nullish(),
      marketstack_last: numeric.nullish(),
      last: numeric.nullish(),
    }),
  ),
});
export type MarketstackBarsResponse = z.infer<typeof marketstackBarsResponseSchema>;
type MarketstackBar = MarketstackBarsResponse['data'][number];

const intradayIntervals: Partial<Readonly<Record<Interval, string>>> = {
  '15m': '15min',
  '30m': '30min',
  '1h': '1hour',
};

/** Bars in one US session (09:30–16:00; the intraday feed is IEX-sourced); a daily bar is one. */
const barsPerSession: Partial<Readonly<Record<Interval, number>>> = { '15m': 26, '30m': 13, '1h': 7, '1d': 1 };

const maxRows = 1_000;

/**
 * Intraday prices are as traded, never split-adjusted. They equal split-adjusted prices for every bar after the latest
 * split, so for ranges starting within this many days of today (where a split is rare) they stand for adjusted bars;
 * older adjusted intraday ranges are declined rather than mixing modes.
 */
const adjustedIntradayWindowDays = 30;

function calendarDays(from: string, to: string): number {
  return (dateToUnixSeconds(to) - dateToUnixSeconds(from)) / 86_400 + 1;
}

function buildCandlesRequest(query: StockCandlesQuery, context: BuildContext): VendorRequest | Unsupported {
  const perSession = barsPerSession[query.interval];
  if (perSession === undefined) return { unsupported: true, detail: `interval ${query.interval} not supported` };
  // About 5 sessions in 7 calendar days; a range needing more rows than one page would need pagination we do not follow.
  if ((calendarDays(query.from, query.to) * 5 * perSession) / 7 > maxRows) {
    return { unsupported: true, detail: `range needs more than ${maxRows} bars` };
  }
  const range = { symbols: query.symbol.toUpperCase(), date_from: query.from, date_to: query.to };
  const interval = intradayIntervals[query.interval];
  if (interval === undefined) return { method: 'GET', path: '/eod', query: { ...range, sort: 'ASC', limit: maxRows } };
  const windowStart = Math.floor(context.now.getTime() / 1000) - adjustedIntradayWindowDays * 86_400;
  if (query.adjusted && dateToUnixSeconds(query.from) < windowStart) {
    return { unsupported: true, detail: `adjusted intraday bars older than ${adjustedIntradayWindowDays} days` };
  }
  return { method: 'GET', path: '/intraday', query: { ...range, interval, sort: 'ASC', limit: maxRows } };
}

function candleOf(
  time: string | null,
  [open, high, low, close]: (number | null | undefined)[],
  volume: number | null | undefined,
): Candle | null {
  if (time === null || open == null || high == null || low == null || close == null) return null;
  return { time, open, high, low, close, volume: numberOrNull(volume) };
}

/**
 * Daily bars keep marketstack's calendar date at 00:00Z. marketstack fills `adj_*` once its adjustment job has run and
 * leaves them null where no adjustment applies (the newest rows, listings without corporate actions), so the raw prices
 * are the adjusted ones there. The whole row switches, never single fields, so one bar cannot mix both modes.
 */
function dailyCandle(bar: MarketstackBar, adjusted: boolean): Candle | null {
  const time = toUtcIso(bar.date) === null ? null : dateToIso(bar.date);
  const adjustedPrices = [bar.adj_open, bar.adj_high, bar.adj_low, bar.adj_close];
  if (adjusted && adjustedPrices.every((price) => price != null)) {
    return candleOf(time, adjustedPrices, bar.adj_volume ?? bar.volume);
  }
  return candleOf(time, [bar.open, bar.high, bar.low, bar.close], bar.volume);
}

/**
 * Intraday bars keep their open time. A row's `close` is the previous session's close (docs/vendors.md#marketstack),
 * so the bar's closing price is `marketstack_last`, else the IEX `last`; a row with neither is dropped.
 */
function intradayCandle(bar: MarketstackBar): Candle | null {
  return candleOf(toUtcIso(bar.date), [bar.open, bar.high, bar.low, bar.marketstack_last ?? bar.last], bar.volume);
}

function normalizeCandles(raw: MarketstackBarsResponse, query: StockCandlesQuery): StockCandles {
  const daily = intradayIntervals[query.interval] === undefined;
  const candles = raw.data
    .map((bar) => (daily ? dailyCandle(bar, query.adjusted) : intradayCandle(bar)))
    .filter((candle): candle is Candle => candle !== null)
    .sort((a, b) => a.time.localeCompare(b.time));
  return { symbol: query.symbol, interval: query.interval, adjusted: query.adjusted, candles };
}

export const marketstackStockCandles = defineCapability({
  capability: 'stock-candles',
  responseSchema: marketstackBarsResponseSchema,
  buildRequest: buildCandlesRequest,
  normalize: normalizeCandles,
});
