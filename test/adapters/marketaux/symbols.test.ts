import { describe, expect, it } from 'vitest';
import { canonicalTicker, toMarketauxSymbol } from '../../../providers/marketaux/symbols.js';

describe('toMarketauxSymbol', () => {
  it('spells a one-letter share class with a hyphen', () => {
    expect(toMarketauxSymbol('BRK.B')).toBe('BRK-B');
  });

  it('passes plain tickers and other suffixes as asked', () => {
    expect(['AAPL', 'TSLA.MX', '7203.T'].map(toMarketauxSymbol)).toEqual(['AAPL', 'TSLA.MX', '7203.T']);
  });
});

describe('canonicalTicker', () => {
  it('keeps a US listing and spells its share class with a dot', () => {
    expect(canonicalTicker({ symbol: 'AAPL', country: 'us' })).toBe('AAPL');
    expect(canonicalTicker({ symbol: 'BRK-B', country: 'us' })).toBe('BRK.B');
  });

  it('drops listings abroad, indices and currency pairs', () => {
    expect(canonicalTicker({ symbol: 'TSLA.MX', country: 'mx' })).toBeNull();
    expect(canonicalTicker({ symbol: '7203.T', country: 'jp' })).toBeNull();
    expect(canonicalTicker({ symbol: '^GSPC', country: 'us' })).toBeNull();
    expect(canonicalTicker({ symbol: 'EURUSD', country: 'global' })).toBeNull();
  });

  it('reads an entity without a country as a US listing, and one without a symbol as none', () => {
    expect(canonicalTicker({ symbol: 'msft' })).toBe('MSFT');
    expect(canonicalTicker({ symbol: null, country: 'us' })).toBeNull();
  });
});
