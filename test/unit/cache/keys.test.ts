import { describe, expect, it } from 'vitest';
import { cacheKey, freshnessRule } from '../../../src/cache/keys.js';
import { testCacheConfig } from '../../helpers/cache-config.js';

const news = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 20, language: 'en' };

describe('cacheKey', () => {
  it('is the same whatever the order of the query fields', () => {
    expect(cacheKey('stock-candles', { symbol: 'AAPL', interval: '1d', from: '2026-11-02', to: '2026-11-06' })).toBe(
      cacheKey('stock-candles', { to: '2026-11-06', from: '2026-11-02', interval: '1d', symbol: 'AAPL' }),
    );
  });

  it('upper-cases tickers and currencies but keeps a search phrase as written', () => {
    expect(cacheKey('crypto-price', { symbol: 'btc', vs: 'usd' })).toBe(
      cacheKey('crypto-price', { symbol: 'BTC', vs: 'USD' }),
    );
    expect(cacheKey('forex-rate', { base: 'eur', quote: 'usd' })).toBe(
      cacheKey('forex-rate', { base: 'EUR', quote: 'USD' }),
    );
    expect(cacheKey('news-search', { ...news, symbols: [], q: 'Apple' })).not.toBe(
      cacheKey('news-search', { ...news, symbols: [], q: 'APPLE' }),
    );
  });

  it('sorts symbol lists, so news for AAPL,MSFT and MSFT,AAPL share one entry', () => {
    expect(cacheKey('news-by-symbol', news)).toBe(cacheKey('news-by-symbol', { ...news, symbols: ['msft', 'aapl'] }));
  });

  it('keeps apart requests whose answers differ', () => {
    const base = cacheKey('news-by-symbol', news);
    expect(cacheKey('news-by-symbol', { ...news, limit: 10 })).not.toBe(base);
    expect(cacheKey('news-by-symbol', { ...news, language: 'de' })).not.toBe(base);
    expect(cacheKey('news-latest', news)).not.toBe(base);
    expect(cacheKey('stock-candles', { symbol: 'AAPL', interval: '1d', adjusted: true })).not.toBe(
      cacheKey('stock-candles', { symbol: 'AAPL', interval: '1d', adjusted: false }),
    );
  });

  it('keeps a pinned vendor apart from the routed answer and from other vendors', () => {
    const routed = cacheKey('stock-quote', { symbol: 'AAPL' });
    const polygon = cacheKey('stock-quote', { symbol: 'AAPL' }, 'polygon');
    expect(new Set([routed, polygon, cacheKey('stock-quote', { symbol: 'AAPL' }, 'finnhub')]).size).toBe(3);
  });

  it('cannot be forged by a value that contains separators', () => {
    expect(cacheKey('news-search', { ...news, symbols: [], q: 'a&limit=5' })).not.toBe(
      cacheKey('news-search', { ...news, symbols: [], q: 'a', limit: 5 }),
    );
    expect(cacheKey('news-search', { ...news, symbols: [], q: 'x@polygon' })).not.toBe(
      cacheKey('news-search', { ...news, symbols: [], q: 'x' }, 'polygon'),
    );
  });
});

describe('freshnessRule', () => {
  const config = testCacheConfig({ ttlMs: { 'stock-quote': 2_000 }, staleIfErrorMs: 600_000 });

  const now = Date.parse('2026-11-25T15:00:00Z');

  it('uses the configured TTL of the capability, else its default', () => {
    expect(freshnessRule(config, 'stock-quote', { symbol: 'AAPL' }, now).ttlMs).toBe(2_000);
    expect(freshnessRule(config, 'forex-rate', { base: 'EUR', quote: 'USD' }, now).ttlMs).toBe(10_000);
  });

  it('keeps candles that end before today for closedCandlesTtlMs, and candles that include today short', () => {
    const candles = { symbol: 'AAPL', interval: '1d', from: '2026-11-02' };
    expect(freshnessRule(config, 'stock-candles', { ...candles, to: '2026-11-24' }, now).ttlMs).toBe(21_600_000);
    expect(freshnessRule(config, 'stock-candles', { ...candles, to: '2026-11-25' }, now).ttlMs).toBe(60_000);
    expect(freshnessRule(config, 'crypto-candles', { ...candles, interval: '1h', to: '2026-11-24' }, now).ttlMs).toBe(
      21_600_000,
    );
  });

  it('treats a weekly or monthly bar as closed only once its whole period is over', () => {
    const weekly = { symbol: 'AAPL', interval: '1w', from: '2026-01-01' };
    expect(freshnessRule(config, 'stock-candles', { ...weekly, to: '2026-11-20' }, now).ttlMs).toBe(60_000);
    expect(freshnessRule(config, 'stock-candles', { ...weekly, to: '2026-11-18' }, now).ttlMs).toBe(21_600_000);
    const monthly = { symbol: 'AAPL', interval: '1mo', from: '2026-01-01' };
    expect(freshnessRule(config, 'stock-candles', { ...monthly, to: '2026-11-01' }, now).ttlMs).toBe(60_000);
    expect(freshnessRule(config, 'stock-candles', { ...monthly, to: '2026-10-31' }, now).ttlMs).toBe(21_600_000);
  });

  describe('while the market is closed (marketClosedMaxTtlMs)', () => {
    const closedConfig = { ...config, marketClosedMaxTtlMs: 4 * 86_400_000 };
    // Saturday 12 December 2026, noon in New York; the market opens Monday 14 December at 09:30 (14:30Z).
    const saturday = Date.parse('2026-12-12T17:00:00Z');
    const untilMonday = Date.parse('2026-12-14T14:30:00Z') - saturday;
    const quote = { symbol: 'AAPL' };

    it('keeps a stock quote, a watchlist and candles that include today fresh until the next session opens', () => {
      expect(freshnessRule(closedConfig, 'stock-quote', quote, saturday)).toEqual({
        ttlMs: untilMonday,
        marketClosed: true,
      });
      expect(freshnessRule(closedConfig, 'stock-quotes', { symbols: ['AAPL'] }, saturday)).toEqual({
        ttlMs: untilMonday,
        marketClosed: true,
      });
      const candles = { symbol: 'AAPL', interval: '1d', from: '2026-12-01', to: '2026-12-12' };
      expect(freshnessRule(closedConfig, 'stock-candles', candles, saturday)).toEqual({
        ttlMs: untilMonday,
        marketClosed: true,
      });
    });

    it('keeps a forex rate fresh until Sunday 17:00 New York time', () => {
      const untilSunday = Date.parse('2026-12-13T22:00:00Z') - saturday;
      expect(freshnessRule(closedConfig, 'forex-rate', { base: 'EUR', quote: 'USD' }, saturday)).toEqual({
        ttlMs: untilSunday,
        marketClosed: true,
      });
    });

    it('never lengthens crypto (it trades around the clock), closed candles, or anything with caching off', () => {
      expect(freshnessRule(closedConfig, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, saturday)).toEqual({
        ttlMs: 5_000,
        marketClosed: false,
      });
      const past = { symbol: 'AAPL', interval: '1d', from: '2026-12-01', to: '2026-12-10' };
      expect(freshnessRule(closedConfig, 'stock-candles', past, saturday)).toEqual({
        ttlMs: 21_600_000,
        marketClosed: false,
      });
      const off = { ...closedConfig, ttlMs: { 'stock-quote': 0 } };
      expect(freshnessRule(off, 'stock-quote', quote, saturday)).toEqual({ ttlMs: 0, marketClosed: false });
    });

    it('caps the wait at marketClosedMaxTtlMs; 0 keeps the usual TTL around the clock', () => {
      const capped = { ...closedConfig, marketClosedMaxTtlMs: 3_600_000 };
      expect(freshnessRule(capped, 'stock-quote', quote, saturday)).toEqual({ ttlMs: 3_600_000, marketClosed: true });
      expect(freshnessRule(config, 'stock-quote', quote, saturday)).toEqual({ ttlMs: 2_000, marketClosed: false });
    });

    it('keeps the usual TTL when the market opens sooner than it would expire, and while the market is open', () => {
      const justBeforeOpen = Date.parse('2026-12-14T14:29:59Z');
      expect(freshnessRule(closedConfig, 'stock-quote', quote, justBeforeOpen)).toEqual({
        ttlMs: 2_000,
        marketClosed: false,
      });
      expect(freshnessRule(closedConfig, 'stock-quote', quote, now)).toEqual({ ttlMs: 2_000, marketClosed: false });
    });
  });
});
