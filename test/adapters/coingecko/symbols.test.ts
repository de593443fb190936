import { describe, expect, it } from 'vitest';
import { coinIdFor, unmappedSymbol } from '../../../providers/coingecko/symbols.js';

describe('coinIdFor', () => {
  it('maps a ticker to its coingecko id through the shared table', () => {
    expect(coinIdFor('BTC')).toBe('bitcoin');
    expect(coinIdFor('AVAX')).toBe('avalanche-2');
  });

  it('gives undefined for a ticker missing from the table, including prototype keys', () => {
    expect(coinIdFor('PEPE')).toBeUndefined();
    expect(coinIdFor('constructor')).toBeUndefined();
  });
});

describe('unmappedSymbol', () => {
  it('names the ticker in a NotFound', () => {
    expect(unmappedSymbol('PEPE')).toEqual({ notFound: true, detail: 'no coingecko id for PEPE' });
  });
});
