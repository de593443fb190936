import { z } from 'zod';
import { candleSchema, intervalSchema } from './common.js';

export const stockCandlesSchema = z
  .object({
    symbol: z.string(),
    interval: intervalSchema,
    adjusted: z.boolean().describe('Whether prices are split-adjusted.'),
    candles: z.array(candleSchema).describe('Bars sorted by time ascending.'),
  })
  .meta({
    id: 'StockCandles',
    example: {
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-11-20T00:00:00.000Z', open: 188.1, high: 190.05, low: 187.9, close: 189.84, volume: 51234567 },
      ],
    },
  });
export type StockCandles = z.infer<typeof stockCandlesSchema>;

export const cryptoCandlesSchema = z
  .object({
    symbol: z.string(),
    vs: z.string().describe('Quote currency, upper case.'),
    interval: intervalSchema,
    candles: z.array(candleSchema).describe('Bars sorted by time ascending.'),
  })
  .meta({
    id: 'CryptoCandles',
    example: {
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      candles: [
        { time: '2026-11-20T00:00:00.000Z', open: 91000, high: 92500, low: 90100, close: 92010.5, volume: null },
      ],
    },
  });
export type CryptoCandles = z.infer<typeof cryptoCandlesSchema>;
