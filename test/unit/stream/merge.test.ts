import { describe, expect, it } from 'vitest';
import { applyTick } from '../../../src/stream/merge.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';

const at = new Date('2026-12-03T15:00:00.000Z');

describe('applyTick', () => {
  it('moves a stock quote to the trade: change from previousClose, high and low widened, volume grown', () => {
    const quote = {
      symbol: 'AAPL',
      price: 190,
      change: 1.39,
      changePercent: 0.737,
      open: 188.1,
      high: 190.05,
      low: 187.9,
      previousClose: 188.61,
      volume: 1_000,
      currency: 'USD',
      asOf: '2026-12-03T14:59:00.000Z',
    };
    const tick = { channel: 'stocks.quote' as const, symbol: 'AAPL', price: 191.5, size: 25, at };
    expect(applyTick(quote, tick)).toEqual({
      ...quote,
      price: 191.5,
      change: 2.89,
      changePercent: 1.532262,
      high: 191.5,
      volume: 1_025,
      asOf: '2026-12-03T15:00:00.000Z',
    });
  });

  it('keeps volume for a price-only tick and builds a bare quote without a REST answer', () => {
    const tick = { channel: 'stocks.quote' as const, symbol: 'MSFT', price: 400, size: null, at };
    expect(applyTick(undefined, tick)).toEqual({ ...priceOnlyQuote('MSFT', 400), asOf: '2026-12-03T15:00:00.000Z' });
  });

  it('keeps a crypto price’s 24-hour change against the same reference and scales market cap', () => {
    const last = {
      symbol: 'BTC',
      vs: 'USD',
      price: 100_000,
      change24h: 2_000,
      changePercent24h: 2.040816,
      marketCap: 2_000_000,
      volume24h: 10_000,
      asOf: null,
    };
    const tick = { channel: 'crypto.price' as const, symbol: 'BTC', price: 99_000, size: 0.5, at };
    expect(applyTick(last, tick)).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 99_000,
      change24h: 1_000,
      changePercent24h: 1.020408,
      marketCap: 1_980_000,
      volume24h: 59_500,
      asOf: '2026-12-03T15:00:00.000Z',
    });
  });
});
