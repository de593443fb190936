import { describe, expect, it } from 'vitest';
import { marketstack } from '../../../providers/marketstack/index.js';

describe('marketstack adapter', () => {
  it('declares stock quotes, watchlists and stock candles only', () => {
    expect(Object.keys(marketstack.capabilities).sort()).toEqual(['stock-candles', 'stock-quote', 'stock-quotes']);
  });

  it('places the key in the access_key query parameter on the v2 host', () => {
    expect(marketstack.auth).toEqual({ in: 'query', name: 'access_key' });
    expect(marketstack.defaultBaseUrl).toBe('https://api.marketstack.com/v2');
  });

  it('has no active health check, since every call spends the monthly quota', () => {
    expect(marketstack.healthCheck).toBeNull();
  });
});
