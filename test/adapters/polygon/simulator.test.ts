import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import { polygonSimulator } from '../../../src/sandbox/polygon-simulator.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { roundTrip } from '../../helpers/vendor.js';

const apiKey = 'sandbox-key';
const news = { symbols: ['AAPL'], q: null, from: null, to: null, limit: 5, language: 'en' };

describe('polygonSimulator', () => {
  let sim: RunningSimulator;
  const call = <C extends Parameters<typeof roundTrip>[1]>(capability: C, query: Parameters<typeof roundTrip<C>>[2]) =>
    roundTrip(polygon, capability, query, { baseUrl: sim.url, apiKey });

  beforeAll(async () => {
    sim = await startSimulator(polygonSimulator);
  });

  afterAll(async () => {
    await sim.close();
  });

  it('serves a stock quote', async () => {
    const outcome = await call('stock-quote', { symbol: 'AAPL' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('answers an unknown ticker with not-found', async () => {
    expect(await call('stock-quote', { symbol: 'ZZZQ' })).toMatchObject({ outcome: 'not-found', status: 404 });
  });

  it('serves a watchlist and lists unknown tickers as missing', async () => {
    const outcome = await call('stock-quotes', { symbols: ['MSFT', 'ZZZQ', 'BRK.B'] });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.quotes.map((quote) => quote.symbol)).toEqual(['MSFT', 'BRK.B']);
    expect(outcome.result.missing).toEqual(['ZZZQ']);
  });

  it('serves daily stock candles labelled with their trading dates, weekdays only', async () => {
    const outcome = await call('stock-candles', {
      symbol: 'AAPL',
      interval: '1d',
      from: '2026-01-26',
      to: '2026-02-01',
      adjusted: true,
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time)).toEqual([
      '2026-01-26T00:00:00.000Z',
      '2026-01-27T00:00:00.000Z',
      '2026-01-28T00:00:00.000Z',
      '2026-01-29T00:00:00.000Z',
      '2026-01-30T00:00:00.000Z',
    ]);
  });

  it('serves intraday stock candles in ascending order', async () => {
    const outcome = await call('stock-candles', {
      symbol: 'AAPL',
      interval: '1h',
      from: '2026-01-30',
      to: '2026-01-30',
      adjusted: true,
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles).toHaveLength(24);
    expect(outcome.result.candles[0]?.time).toBe('2026-01-30T00:00:00.000Z');
  });

  it('answers candles for an unknown ticker with not-found', async () => {
    const query = { symbol: 'UNKNOWN', interval: '1d', from: '2026-01-26', to: '2026-01-30', adjusted: true } as const;
    expect(await call('stock-candles', query)).toMatchObject({ outcome: 'not-found' });
  });

  it('serves a crypto price', async () => {
    const outcome = await call('crypto-price', { symbol: 'BTC', vs: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'BTC', vs: 'USD', marketCap: null, volume24h: null });
    expect(outcome.result.price).toBeGreaterThan(1_000);
  });

  it('serves daily crypto candles at 00:00Z every day', async () => {
    const outcome = await call('crypto-candles', {
      symbol: 'ETH',
      vs: 'USD',
      interval: '1d',
      from: '2026-01-26',
      to: '2026-02-01',
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles).toHaveLength(7);
  });

  it('serves a forex rate', async () => {
    const outcome = await call('forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.5);
    expect(outcome.result.rate).toBeLessThan(2);
  });

  it('serves news by symbol, tagged with the symbol', async () => {
    const outcome = await call('news-by-symbol', news);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(5);
    expect(outcome.result.articles[0]?.symbols).toEqual(['AAPL']);
  });

  it('serves the latest news', async () => {
    const outcome = await call('news-latest', { ...news, symbols: [], limit: 3 });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(3);
  });

  it('answers a missing key with auth', async () => {
    const outcome = await roundTrip(polygon, 'stock-quote', { symbol: 'AAPL' }, { baseUrl: sim.url, apiKey: null });
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('accepts the key in the apiKey query parameter too', async () => {
    const response = await fetch(`${sim.url}/v1/marketstatus/now?apiKey=${apiKey}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ market: expect.stringMatching(/^(open|closed)$/) });
  });

  describe('faults', () => {
    it('maps the rate-limited fault to rate-limited with a wait', async () => {
      sim.setFault({ mode: 'rate-limited', delayMs: 0 });
      try {
        expect(await call('stock-quote', { symbol: 'AAPL' })).toMatchObject({
          outcome: 'rate-limited',
          retryAfterMs: 60_000,
        });
      } finally {
        sim.setFault({ mode: 'ok', delayMs: 0 });
      }
    });

    it('maps the malformed fault to malformed', async () => {
      sim.setFault({ mode: 'malformed', delayMs: 0 });
      try {
        expect(await call('crypto-price', { symbol: 'BTC', vs: 'USD' })).toMatchObject({ outcome: 'malformed' });
      } finally {
        sim.setFault({ mode: 'ok', delayMs: 0 });
      }
    });

    it('maps the error fault to unavailable', async () => {
      sim.setFault({ mode: 'error', delayMs: 0 });
      try {
        expect(await call('forex-rate', { base: 'EUR', quote: 'USD' })).toMatchObject({
          outcome: 'unavailable',
          status: 500,
        });
      } finally {
        sim.setFault({ mode: 'ok', delayMs: 0 });
      }
    });
  });
});
