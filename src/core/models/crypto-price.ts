import { z } from 'zod';
import { isoTimestampSchema, nullableNumber } from './common.js';

export const cryptoPriceSchema = z
  .object({
    symbol: z.string().describe('Ticker such as BTC, never a vendor coin id.'),
    vs: z.string().describe('Quote currency, upper case.'),
    price: z.number(),
    change24h: nullableNumber('Absolute change over 24 hours.'),
    changePercent24h: nullableNumber('Change over 24 hours in percent.'),
    marketCap: nullableNumber('Market capitalisation in the quote currency.'),
    volume24h: nullableNumber('Volume over 24 hours in the quote currency.'),
    asOf: isoTimestampSchema.nullable(),
  })
  .meta({
    id: 'CryptoPrice',
    example: {
      symbol: 'BTC',
      vs: 'USD',
      price: 92010.5,
      change24h: 1210.2,
      changePercent24h: 1.33,
      marketCap: 1820000000000,
      volume24h: 35100000000,
      asOf: '2026-11-25T09:30:00.000Z',
    },
  });
export type CryptoPrice = z.infer<typeof cryptoPriceSchema>;
