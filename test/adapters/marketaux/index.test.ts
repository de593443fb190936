import { describe, expect, it } from 'vitest';
import { marketaux } from '../../../providers/marketaux/index.js';

describe('marketaux', () => {
  it('declares its base URL and the api_token query parameter', () => {
    expect(marketaux.defaultBaseUrl).toBe('https://api.marketaux.com/v1');
    expect(marketaux.auth).toEqual({ in: 'query', name: 'api_token' });
  });

  it('declares the three news capabilities', () => {
    expect(Object.keys(marketaux.capabilities).sort()).toEqual(['news-by-symbol', 'news-latest', 'news-search']);
  });

  it('has no active health check, as every call spends the daily quota', () => {
    expect(marketaux.healthCheck).toBeNull();
  });
});
