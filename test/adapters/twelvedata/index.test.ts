import { describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';

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
});
