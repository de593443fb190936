import { describe, expect, it } from 'vitest';
import { coinapi } from '../../../providers/coinapi/index.js';

describe('coinapi adapter', () => {
  it('declares the X-CoinAPI-Key header, so keys stay out of URLs', () => {
    expect(coinapi.auth).toEqual({ in: 'header', name: 'X-CoinAPI-Key' });
  });

  it('declares crypto-price, crypto-candles and forex-rate', () => {
    expect(Object.keys(coinapi.capabilities).sort()).toEqual(['crypto-candles', 'crypto-price', 'forex-rate']);
  });

  it('has no active health check, because every coinapi call spends a credit', () => {
    expect(coinapi.healthCheck).toBeNull();
  });
});
