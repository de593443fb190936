import { z } from 'zod';

export const intervals = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo'] as const;
export const intervalSchema = z
  .enum(intervals)
  .describe('Bar length: minutes (m), hours (h), days (d), weeks (w) or months (mo).');
export type Interval = z.infer<typeof intervalSchema>;

/** Daily and longer bars are labelled with their trading date; shorter ones with their open time. */
export function isDailyOrLonger(interval: Interval): boolean {
  return interval === '1d' || interval === '1w' || interval === '1mo';
}

export const isoTimestampSchema = z.iso.datetime({ offset: false }).describe('ISO-8601 UTC timestamp.');
export const nullableNumber = (description: string) => z.number().nullable().describe(description);

export const candleSchema = z
  .object({
    time: isoTimestampSchema.describe(
      'Bar label in UTC: the trading date at 00:00:00Z for daily and longer bars, the open time for intraday bars.',
    ),
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    volume: nullableNumber('Traded volume in the bar; null when the vendor does not give it.'),
  })
  .meta({ id: 'Candle' });
export type Candle = z.infer<typeof candleSchema>;
