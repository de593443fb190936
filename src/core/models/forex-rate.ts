import { z } from 'zod';
import { isoTimestampSchema } from './common.js';

export const forexRateSchema = z
  .object({
    base: z.string().describe('ISO-4217 base currency.'),
    quote: z.string().describe('ISO-4217 quote currency.'),
    rate: z.number().describe('Units of quote per one unit of base.'),
    asOf: isoTimestampSchema.nullable(),
  })
  .meta({ id: 'ForexRate', example: { base: 'EUR', quote: 'USD', rate: 1.0842, asOf: '2026-11-25T09:30:00.000Z' } });
export type ForexRate = z.infer<typeof forexRateSchema>;
