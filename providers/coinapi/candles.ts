// GET /v1/ohlcv/{asset_id_base}/{asset_id_quote}/history — https://docs.coinapi.io/market-data/rest-api/ohlcv/historical-data
// Why this form: asked by asset pair, coinapi consolidates the pair across the spot markets it trusts, so every pair it
// knows answers, with volume. The exchange-symbol form (/v1/ohlcv/BITSTAMP_SPOT_BTC_USD/history) only serves pairs that
// one exchange lists, and /v1/exchangerate/{base}/{quote}/history has no volume at all.
// Quirks (docs/vendors.md#coinapi, "Candles", "Quota"): bars come ascending and are stamped with 7 fractional digits;
// `time_end` is exclusive; `limit` defaults to 100 and every 100 rows asked for cost one credit. An unknown pair is an
// HTTP 550 (errors.ts); a known pair with no trades in the range is a 200 with `[]`.
import { z } from 'zod';
import {
  defineCapability,
  isDailyOrLonger,
  type BuildContext,
  type CryptoCandles,
  type CryptoCandlesQuery,
  type Interval,
  type NotFound,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull, numeric } from '../common/numbers.js';
import { dailyBarTime, dateToMs } from '../common/time.js';
import { coinapiTimeSchema } from './schemas.js';

const coinapiOhlcvResponseSchema = z.array(
  z.object({
    time_period_start: coinapiTimeSchema,
    price_open: numeric,
    price_high: numeric,
    price_low: numeric,
    price_close: numeric,
    volume_traded: numeric.nullish(),
  }),
);
export type CoinapiOhlcvResponse = z.infer<typeof coinapiOhlcvResponseSchema>;

const minuteMs = 60_000;
const dayMs = 86_400_000;

// 1w is left out: coinapi does not document where its 7DAY bars start, and a week that starts on some other weekday
// than the other vendors' would not be the same bar. 1MTH bars are calendar months.
const periods: Partial<Record<Interval, { periodId: string; barMs: number | 'month' }>> = {
  '1m': { periodId: '1MIN', barMs: minuteMs },
  '5m': { periodId: '5MIN', barMs: 5 * minuteMs },
  '15m': { periodId: '15MIN', barMs: 15 * minuteMs },
  '30m': { periodId: '30MIN', barMs: 30 * minuteMs },
  '1h': { periodId: '1HRS', barMs: 60 * minuteMs },
  '4h': { periodId: '4HRS', barMs: 240 * minuteMs },
  '1d': { periodId: '1DAY', barMs: dayMs },
  '1mo': { periodId: '1MTH', barMs: 'month' },
};

// Every 100 rows of `limit` cost a credit, so `limit` is exactly the bars the range can hold (up to now). 1 500 rows
// (15 credits) cover a whole UTC day of 1m bars or four years of daily ones; a range needing more is not worth one call.
const maxRows = 1_500;

/** Bars that open in [startMs, endMs): the number of rows the range can fill. */
function barsIn(barMs: number | 'month', startMs: number, endMs: number): number {
  if (endMs <= startMs) return 0;
  if (barMs !== 'month') return Math.ceil((endMs - startMs) / barMs);
  const start = new Date(startMs);
  const end = new Date(endMs - 1);
  return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth() + 1;
}

// coinapi reads a time without an offset as UTC, as in its own examples.
const coinapiTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

function buildOhlcvRequest(query: CryptoCandlesQuery, context: BuildContext): VendorRequest | Unsupported {
  const period = periods[query.interval];
  if (period === undefined) return { unsupported: true, detail: `interval ${query.interval} not supported` };
  const startMs = dateToMs(query.from);
  // `to` is inclusive and `time_end` exclusive: end at 00:00Z of the day after.
  const endMs = dateToMs(query.to) + dayMs;
  const rows = barsIn(period.barMs, startMs, Math.min(endMs, context.now.getTime()));
  if (rows > maxRows) {
    return { unsupported: true, detail: `range needs ${rows} ${query.interval} bars, more than ${maxRows}` };
  }
  return {
    method: 'GET',
    path: `/v1/ohlcv/${encodeURIComponent(query.symbol.toUpperCase())}/${encodeURIComponent(query.vs.toUpperCase())}/history`,
    query: {
      period_id: period.periodId,
      time_start: coinapiTime(startMs),
      time_end: coinapiTime(endMs),
      limit: Math.max(1, rows),
    },
  };
}

function normalizeOhlcv(raw: CoinapiOhlcvResponse, query: CryptoCandlesQuery): CryptoCandles | NotFound {
  const daily = isDailyOrLonger(query.interval);
  const candles = raw
    .map((bar) => ({
      // coinapi days and months start at 00:00Z, so a daily bar's UTC date is its label.
      time: daily ? dailyBarTime(Date.parse(bar.time_period_start), 'UTC') : bar.time_period_start,
      open: bar.price_open,
      high: bar.price_high,
      low: bar.price_low,
      close: bar.price_close,
      volume: numberOrNull(bar.volume_traded),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
  if (candles.length === 0) return { notFound: true, detail: 'no bars for pair and range' };
  return { symbol: query.symbol, vs: query.vs.toUpperCase(), interval: query.interval, candles };
}

export const coinapiCryptoCandles = defineCapability({
  capability: 'crypto-candles',
  responseSchema: coinapiOhlcvResponseSchema,
  buildRequest: buildOhlcvRequest,
  normalize: normalizeOhlcv,
});
