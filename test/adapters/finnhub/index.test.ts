import { describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';

describe('finnhub', () => {
  it('declares its base URL and the X-Finnhub-Token header', () => {
    expect(finnhub.defaultBaseUrl).toBe('https://finnhub.io/api/v1');
    expect(finnhub.auth).toEqual({ in: 'header', name: 'X-Finnhub-Token' });
  });

  it('declares the capabilities finnhub can serve', () => {
    expect(Object.keys(finnhub.capabilities).sort()).toEqual([
      'forex-rate',
      'news-by-symbol',
      'news-latest',
      'stock-candles',
      'stock-quote',
    ]);
  });

  it('probes health with the free market-status endpoint', () => {
    expect(finnhub.healthCheck).toEqual({ method: 'GET', path: '/stock/market-status', query: { exchange: 'US' } });
  });
});
