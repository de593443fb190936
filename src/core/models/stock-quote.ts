import { z } from 'zod';
import { isoTimestampSchema, nullableNumber } from './common.js';

export const stockQuoteSchema = z
  .object({
    symbol: z.string().describe('Canonical ticker, share classes with a dot (BRK.B).'),
    price: z.number().describe('Last traded price.'),
    change: nullableNumber('Change against the previous close.'),
    changePercent: nullableNumber('Change in percent: 0.65 means 0.65 %.'),
    open: nullableNumber('Session open.'),
    high: nullableNumber('Session high.'),
    low: nullableNumber('Session low.'),
    previousClose: nullableNumber('Previous session close.'),
    volume: nullableNumber('Session volume.'),
    currency: z.string().nullable().describe('ISO-4217 currency of the prices, upper case.'),
    asOf: isoTimestampSchema.nullable().describe('When the vendor last updated this quote.'),
  })
  .meta({
    id: 'StockQuote',
    example: {
      symbol: 'AAPL',
      price: 189.84,
      change: 1.23,
      changePercent: 0.65,
      open: 188.1,
      high: 190.05,
      low: 187.9,
      previousClose: 188.61,
      volume: 51234567,
      currency: 'USD',
      asOf: '2026-11-24T21:00:00.000Z',
    },
  });
export type StockQuote = z.infer<typeof stockQuoteSchema>;

export const stockQuoteListSchema = z
  .object({
    quotes: z.array(stockQuoteSchema).describe('Quotes for the symbols some vendor could answer, in the order asked.'),
    missing: z.array(z.string()).describe('Symbols no vendor could answer.'),
  })
  .meta({ id: 'StockQuoteList' });
export type StockQuoteList = z.infer<typeof stockQuoteListSchema>;
