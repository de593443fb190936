// Raw payloads read by more than one handler: /quote serves stock-quote, stock-quotes and crypto-price; /time_series
// serves stock- and crypto-candles. Prices and volumes come as decimal strings ("258.27999"), timestamps as Unix seconds.
import { z } from 'zod';
import { numeric } from '../common/numbers.js';

export const twelvedataQuoteSchema = z.object({
  symbol: z.string(),
  currency: z.string().nullish(),
  timestamp: z.number().nullish(),
  last_quote_at: z.number().nullish(),
  open: numeric.nullish(),
  high: numeric.nullish(),
  low: numeric.nullish(),
  close: numeric,
  volume: numeric.nullish(),
  previous_close: numeric.nullish(),
  change: numeric.nullish(),
  percent_change: numeric.nullish(),
  rolling_1day_change: numeric.nullish(),
});
export type TwelvedataQuote = z.infer<typeof twelvedataQuoteSchema>;

export const twelvedataTimeSeriesResponseSchema = z.object({
  values: z.array(
    z.object({
      // "2026-01-30" for daily and longer bars, "2026-01-30 14:30:00" for intraday ones.
      datetime: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/),
      open: numeric,
      high: numeric,
      low: numeric,
      close: numeric,
      volume: numeric.nullish(),
    }),
  ),
});
export type TwelvedataTimeSeriesResponse = z.infer<typeof twelvedataTimeSeriesResponseSchema>;
