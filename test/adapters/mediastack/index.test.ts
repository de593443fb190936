import { describe, expect, it } from 'vitest';
import { mediastack } from '../../../providers/mediastack/index.js';

describe('mediastack', () => {
  it('declares the HTTPS base URL and the access_key query parameter', () => {
    expect(mediastack.defaultBaseUrl).toBe('https://api.mediastack.com/v1');
    expect(mediastack.auth).toEqual({ in: 'query', name: 'access_key' });
  });

  it('declares the three news capabilities', () => {
    expect(Object.keys(mediastack.capabilities).sort()).toEqual(['news-by-symbol', 'news-latest', 'news-search']);
  });

  it('has no active health check, since every call spends the monthly quota', () => {
    expect(mediastack.healthCheck).toBeNull();
  });
});
