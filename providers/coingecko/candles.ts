// GET /coins/{id}/ohlc — https://docs.coingecko.com/v3.0.1/reference/coins-id-ohlc
// Rows are [closeTimeMs, open, high, low, close] with no volume. The bar length is not chosen but follows `days`
// (1–2 → 30 minutes, 3–30 → 4 hours, 31+ → 4 days) and `days` only takes 1/7/14/30/90/180/365/max, counted back from
// now (docs/vendors.md#coingecko). So only 30m and 4h bars can be asked for, and only when `from` is in reach.
import { z } from 'zod';
import {
  defineCapability,
  type BuildContext,
  type CryptoCandles,
  type CryptoCandlesQuery,
  type Interval,
  type NotFound,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { dateToMs, msToIso } from '../common/time.js';
import { coinIdFor, unmappedSymbol } from './symbols.js';

export const coingeckoOhlcResponseSchema = z.array(
  z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]),
);
export type CoingeckoOhlcResponse = z.infer<typeof coingeckoOhlcResponseSchema>;

const dayMs = 86_400_000;

/** Per servable interval: the bar length and the `days` values that produce it, smallest first. */
const reachByInterval: Partial<Record<Interval, { barMs: number; days: readonly number[] }>> = {
  '30m': { barMs: 30 * 60_000, days: [1] },
  '4h': { barMs: 4 * 3_600_000, days: [7, 14, 30] },
};

function buildOhlcRequest(query: CryptoCandlesQuery, context: BuildContext): VendorRequest | Unsupported | NotFound {
  const reach = reachByInterval[query.interval];
  if (reach === undefined) return { unsupported: true, detail: `interval ${query.interval} not supported` };
  const id = coinIdFor(query.symbol);
  if (id === undefined) return unmappedSymbol(query.symbol);
  const fromMs = dateToMs(query.from);
  const days = reach.days.find((candidate) => context.now.getTime() - candidate * dayMs <= fromMs);
  if (days === undefined) {
    return { unsupported: true, detail: `from ${query.from} is out of reach for ${query.interval} bars` };
  }
  return {
    method: 'GET',
    path: `/coins/${encodeURIComponent(id)}/ohlc`,
    query: { vs_currency: query.vs.toLowerCase(), days },
  };
}

function normalizeOhlc(raw: CoingeckoOhlcResponse, query: CryptoCandlesQuery): CryptoCandles | NotFound {
  const reach = reachByInterval[query.interval];
  // Unreachable: buildRequest already refused this interval, so no call was made.
  if (reach === undefined) return { notFound: true, detail: `interval ${query.interval} not supported` };
  const fromMs = dateToMs(query.from);
  const untilMs = dateToMs(query.to) + dayMs;
  const candles = raw
    // The timestamp is the bar's close; bars are labelled with their open time.
    .map(([closeMs, open, high, low, close]) => ({ openMs: closeMs - reach.barMs, open, high, low, close }))
    .filter((bar) => bar.openMs >= fromMs && bar.openMs < untilMs)
    .sort((a, b) => a.openMs - b.openMs)
    .map((bar) => ({
      time: msToIso(bar.openMs),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: null,
    }));
  return { symbol: query.symbol, vs: query.vs.toUpperCase(), interval: query.interval, candles };
}

export const coingeckoCryptoCandles = defineCapability({
  capability: 'crypto-candles',
  responseSchema: coingeckoOhlcResponseSchema,
  buildRequest: buildOhlcRequest,
  normalize: normalizeOhlc,
});
