import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import {
  cryptoCandlesSchema,
  cryptoPriceSchema,
  forexRateSchema,
  stockCandlesSchema,
  stockQuoteListSchema,
  stockQuoteSchema,
  type Capability,
  type CapabilityHandler,
  type QueryOf,
} from '../../../src/contract/index.js';
import { loadReply } from '../../helpers/fixtures.js';

const cases: { [C in Capability]?: { query: QueryOf<C>; model: z.ZodType } } = {
  'stock-quote': { query: { symbol: 'AAPL' }, model: stockQuoteSchema },
  'stock-quotes': { query: { symbols: ['AAPL', 'MSFT'] }, model: stockQuoteListSchema },
  'stock-candles': {
    query: { symbol: 'AAPL', interval: '1d', from: '2026-01-28', to: '2026-01-30', adjusted: true },
    model: stockCandlesSchema,
  },
  'crypto-price': { query: { symbol: 'BTC', vs: 'USD' }, model: cryptoPriceSchema },
  'crypto-candles': {
    query: { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-30', to: '2026-01-30' },
    model: cryptoCandlesSchema,
  },
  'forex-rate': { query: { base: 'EUR', quote: 'USD' }, model: forexRateSchema },
};

describe('twelvedata adapter', () => {
  it('declares quotes, candles, crypto and forex, and no news', () => {
    expect(Object.keys(twelvedata.capabilities).sort()).toEqual(
      ['crypto-candles', 'crypto-price', 'forex-rate', 'stock-candles', 'stock-quote', 'stock-quotes'].sort(),
    );
  });

  it('places the key in an `Authorization: apikey` header', () => {
    expect(twelvedata.auth).toEqual({ in: 'header', name: 'Authorization', scheme: 'apikey' });
    expect(twelvedata.defaultBaseUrl).toBe('https://api.twelvedata.com');
  });

  it('has no health check, because /api_usage costs a credit', () => {
    expect(twelvedata.healthCheck).toBeNull();
  });

  it.each(Object.keys(cases) as Capability[])('normalizes %s.ok into the canonical model', (capability) => {
    const handler = twelvedata.capabilities[capability] as CapabilityHandler<Capability, unknown>;
    const { query, model } = cases[capability] as { query: QueryOf<Capability>; model: z.ZodType };
    const raw = handler.responseSchema.parse(loadReply('twelvedata', `${capability}.ok`).body);
    const result = handler.normalize(raw, query, { receivedAt: new Date('2026-01-30T21:00:00Z') });
    expect(model.safeParse(result).success).toBe(true);
  });
});
