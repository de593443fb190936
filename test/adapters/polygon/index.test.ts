import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';

describe('polygon adapter', () => {
  it('declares every capability polygon serves and no keyword news search', () => {
    expect(Object.keys(polygon.capabilities).sort()).toEqual(
      [
        'crypto-candles',
        'crypto-price',
        'forex-rate',
        'news-by-symbol',
        'news-latest',
        'stock-candles',
        'stock-quote',
        'stock-quotes',
      ].sort(),
    );
  });

  it('places the key in a Bearer Authorization header on the Massive host', () => {
    expect(polygon.auth).toEqual({ in: 'header', name: 'Authorization', scheme: 'Bearer' });
    expect(polygon.defaultBaseUrl).toBe('https://api.massive.com');
  });

  it('checks health with the market status endpoint', () => {
    expect(polygon.healthCheck).toEqual({ method: 'GET', path: '/v1/marketstatus/now' });
  });
});
