// GET /time_series?symbol=AAPL&interval=1day&start_date=…&end_date=…&timezone=UTC — https://twelvedata.com/docs#time-series
// Crypto uses the same endpoint with symbol=BTC/USD. One credit per call, at most 5000 bars (`outputsize`).
// Quirks (docs/vendors.md#twelvedata): values are strings, newest first unless order=asc. start_date/end_date are
// read in the `timezone` asked for, and so are the datetimes sent back: with UTC, intraday bars are "2026-01-30 14:30:00"
// in UTC and daily and longer bars carry their trading date ("2026-01-30", weeks and months their first day). Whether a
// date-only end_date includes that day is not documented, so we ask for the day after `to` and drop bars past `to`.
// `adjust` is all | splits | dividends | none (default splits): the gateway's adjusted means split-adjusted.
// A range without bars is a 400 error body, not an empty list (see errors.ts).
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
import { numberOrNull } from '../common/numbers.js';
import { addDays, dateToIso } from '../common/time.js';
import { twelvedataTimeSeriesResponseSchema, type TwelvedataTimeSeriesResponse } from './schemas.js';

const twelvedataIntervals: Readonly<Record<Interval, string>> = {
  '1m': '1min',
  '5m': '5min',
  '15m': '15min',
  '30m': '30min',
  '1h': '1h',
  '4h': '4h',
  '1d': '1day',
  '1w': '1week',
  '1mo': '1month',
};

const maxBars = 5_000;

function timeSeriesRequest(symbol: string, interval: Interval, from: string, to: string): VendorRequest {
  return {
    method: 'GET',
    path: '/time_series',
    query: {
      symbol,
      interval: twelvedataIntervals[interval],
      start_date: from,
      end_date: addDays(to, 1),
      order: 'asc',
      outputsize: maxBars,
      timezone: 'UTC',
    },
  };
}

function buildStockCandlesRequest(query: StockCandlesQuery): VendorRequest {
  const request = timeSeriesRequest(query.symbol.toUpperCase(), query.interval, query.from, query.to);
  return { ...request, query: { ...request.query, adjust: query.adjusted ? 'splits' : 'none' } };
}

function buildCryptoCandlesRequest(query: CryptoCandlesQuery): VendorRequest {
  return timeSeriesRequest(
    `${query.symbol.toUpperCase()}/${query.vs.toUpperCase()}`,
    query.interval,
    query.from,
    query.to,
  );
}

function candlesFrom(raw: TwelvedataTimeSeriesResponse, interval: Interval, to: string): Candle[] {
  const daily = isDailyOrLonger(interval);
  return raw.values
    .map((bar) => ({
      // The schema pinned the datetime's form, and timezone=UTC makes an intraday one UTC.
      time: daily ? dateToIso(bar.datetime) : new Date(`${bar.datetime.replace(' ', 'T')}Z`).toISOString(),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: numberOrNull(bar.volume),
    }))
    .filter((candle) => candle.time.slice(0, 10) <= to)
    .sort((a, b) => a.time.localeCompare(b.time));
}

function normalizeStockCandles(raw: TwelvedataTimeSeriesResponse, query: StockCandlesQuery): StockCandles | NotFound {
  const candles = candlesFrom(raw, query.interval, query.to);
  if (candles.length === 0) return { notFound: true, detail: 'no bars for symbol and range' };
  return { symbol: query.symbol, interval: query.interval, adjusted: query.adjusted, candles };
}

function normalizeCryptoCandles(
  raw: TwelvedataTimeSeriesResponse,
  query: CryptoCandlesQuery,
): CryptoCandles | NotFound {
  const candles = candlesFrom(raw, query.interval, query.to);
  if (candles.length === 0) return { notFound: true, detail: 'no bars for pair and range' };
  return { symbol: query.symbol, vs: query.vs, interval: query.interval, candles };
}

export const twelvedataStockCandles = defineCapability({
  capability: 'stock-candles',
  responseSchema: twelvedataTimeSeriesResponseSchema,
  buildRequest: buildStockCandlesRequest,
  normalize: normalizeStockCandles,
});

export const twelvedataCryptoCandles = defineCapability({
  capability: 'crypto-candles',
  responseSchema: twelvedataTimeSeriesResponseSchema,
  buildRequest: buildCryptoCandlesRequest,
  normalize: normalizeCryptoCandles,
});
