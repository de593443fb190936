// GET /data/v2/histominute|histohour|histoday?fsym=BTC&tsym=USD&limit=&toTs=&aggregate= —
// https://min-api.cryptocompare.com/documentation?key=Historical&cat=dataHistoday (and cat=dataHistohour, dataHistominute)
// Quirks: the answer has limit + 1 bars ending with the one that holds `toTs`, each stamped with its open time in Unix
// seconds; limit is at most 2000. With `aggregate` the bars fall on multiples of their length since the epoch
// (aggregatePredictableTimePeriods, on by default), so 5m/15m/30m/4h bars start on the usual boundaries, but 7-day
// bars start on Thursdays (1970-01-01 was one): 1w is refused rather than labelled with a weekday nobody else uses, and
// there is no monthly aggregate. Days run 00:00–24:00 UTC. Before a coin traded the bars are all zeros. Free keys keep
// only about 7 days of minute history. `volumefrom` is in the base coin, as polygon's crypto `v`.
import { z } from 'zod';
import {
  defineCapability,
  isDailyOrLonger,
  type BuildContext,
  type Candle,
  type CryptoCandles,
  type CryptoCandlesQuery,
  type Interval,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull } from '../common/numbers.js';
import { dailyBarTime, dateToUnixSeconds, secondsToIso } from '../common/time.js';

const cryptocompareHistoResponseSchema = z.object({
  Data: z.object({
    Data: z.array(
      z.object({
        time: z.number(),
        open: z.number(),
        high: z.number(),
        low: z.number(),
        close: z.number(),
        volumefrom: z.number().nullish(),
      }),
    ),
  }),
});
export type CryptocompareHistoResponse = z.infer<typeof cryptocompareHistoResponseSchema>;

const histoByInterval: Partial<Record<Interval, { endpoint: string; aggregate: number; barSeconds: number }>> = {
  '1m': { endpoint: 'histominute', aggregate: 1, barSeconds: 60 },
  '5m': { endpoint: 'histominute', aggregate: 5, barSeconds: 300 },
  '15m': { endpoint: 'histominute', aggregate: 15, barSeconds: 900 },
  '30m': { endpoint: 'histominute', aggregate: 30, barSeconds: 1_800 },
  '1h': { endpoint: 'histohour', aggregate: 1, barSeconds: 3_600 },
  '4h': { endpoint: 'histohour', aggregate: 4, barSeconds: 14_400 },
  '1d': { endpoint: 'histoday', aggregate: 1, barSeconds: 86_400 },
};

const daySeconds = 86_400;
const maxLimit = 2_000;
// Free keys see about a week of minute bars; older `toTs` values are refused with ParamWithError "toTs".
const minuteHistorySeconds = 7 * daySeconds;

function buildHistoRequest(query: CryptoCandlesQuery, context: BuildContext): VendorRequest | Unsupported {
  const histo = histoByInterval[query.interval];
  if (histo === undefined) return { unsupported: true, detail: `interval ${query.interval} not supported` };
  const nowSeconds = Math.floor(context.now.getTime() / 1000);
  const fromSeconds = dateToUnixSeconds(query.from);
  if (histo.endpoint === 'histominute' && fromSeconds < nowSeconds - minuteHistorySeconds) {
    return { unsupported: true, detail: `from ${query.from} is out of reach for ${query.interval} bars` };
  }
  // Ask for exactly the bars that open inside [from, to], ending at the one open now when `to` is today or later.
  const untilSeconds = Math.min(dateToUnixSeconds(query.to) + daySeconds, nowSeconds + 1);
  const firstOpen = Math.ceil(fromSeconds / histo.barSeconds) * histo.barSeconds;
  const lastOpen = Math.max(firstOpen, Math.floor((untilSeconds - 1) / histo.barSeconds) * histo.barSeconds);
  const limit = (lastOpen - firstOpen) / histo.barSeconds;
  if (limit > maxLimit) {
    return {
      unsupported: true,
      detail: `${query.from}..${query.to} needs more than ${maxLimit + 1} ${query.interval} bars`,
    };
  }
  return {
    method: 'GET',
    path: `/data/v2/${histo.endpoint}`,
    query: {
      fsym: query.symbol.toUpperCase(),
      tsym: query.vs.toUpperCase(),
      // limit 0 is refused; one extra bar before `from` is dropped by the normalizer.
      limit: Math.max(1, limit),
      toTs: lastOpen,
      aggregate: histo.aggregate,
    },
  };
}

function normalizeHisto(raw: CryptocompareHistoResponse, query: CryptoCandlesQuery): CryptoCandles {
  const fromSeconds = dateToUnixSeconds(query.from);
  const untilSeconds = dateToUnixSeconds(query.to) + daySeconds;
  const daily = isDailyOrLonger(query.interval);
  const candles: Candle[] = raw.Data.Data.filter(
    (bar) =>
      bar.time >= fromSeconds &&
      bar.time < untilSeconds &&
      !(bar.open === 0 && bar.high === 0 && bar.low === 0 && bar.close === 0),
  )
    .sort((a, b) => a.time - b.time)
    .map((bar) => ({
      time: daily ? dailyBarTime(bar.time * 1000, 'UTC') : secondsToIso(bar.time),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: numberOrNull(bar.volumefrom),
    }));
  return { symbol: query.symbol, vs: query.vs.toUpperCase(), interval: query.interval, candles };
}

export const cryptocompareCryptoCandles = defineCapability({
  capability: 'crypto-candles',
  responseSchema: cryptocompareHistoResponseSchema,
  buildRequest: buildHistoRequest,
  normalize: normalizeHisto,
});
