import { describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import { priceAt } from '../../../sandbox/market.js';
import { twelvedataSimulator } from '../../../sandbox/twelvedata-simulator.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(twelvedata, twelvedataSimulator, {
  capability: 'stock-quote',
  query: { symbol: 'AAPL' },
  // No reset header: the wait runs to the next minute by the reply's Date.
  rateLimitWaitMs: { min: 1, max: 60_000 },
  // twelvedata sends its 401 and 404 bodies with HTTP 200.
  withoutKey: { outcome: 'auth', status: 200 },
  keyAlsoInQuery: 'apikey',
  unknownSymbolStatus: 200,
});

describe('twelvedataSimulator', () => {
  it('serves a stock quote', async () => {
    const outcome = await sandbox.call('stock-quote', { symbol: 'AAPL' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.volume).toBeGreaterThan(0);
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('serves daily stock candles on weekdays only, labelled at 00:00Z, ascending', async () => {
    const query = { symbol: 'MSFT', interval: '1d', from: '2026-01-05', to: '2026-01-11', adjusted: true } as const;
    const outcome = await sandbox.call('stock-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time)).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-06T00:00:00.000Z',
      '2026-01-07T00:00:00.000Z',
      '2026-01-08T00:00:00.000Z',
      '2026-01-09T00:00:00.000Z',
    ]);
    for (const candle of outcome.result.candles) expect(candle.high).toBeGreaterThanOrEqual(candle.low);
  });

  it('serves monthly candles and answers an unknown symbol with not-found', async () => {
    const monthly = { symbol: 'AAPL', interval: '1mo', from: '2025-01-01', to: '2025-06-30', adjusted: false } as const;
    const outcome = await sandbox.call('stock-candles', monthly);
    expect(outcome.outcome === 'ok' && outcome.result.candles.map((candle) => candle.time.slice(0, 10))).toEqual([
      '2025-01-01',
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
      '2025-05-01',
      '2025-06-01',
    ]);
    expect(await sandbox.call('stock-candles', { ...monthly, symbol: 'UNKNOWN' })).toMatchObject({
      outcome: 'not-found',
    });
  });

  it('serves a crypto price priced like BTC everywhere', async () => {
    const before = Date.now();
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect([priceAt('BTC', before), priceAt('BTC', Date.now())]).toContain(outcome.result.price);
    expect(outcome.result.changePercent24h).not.toBeNull();
    expect(outcome.result.marketCap).toBeNull();
  });

  it('serves intraday crypto candles on the hour in UTC', async () => {
    const query = { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-03', to: '2026-01-03' } as const;
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time.slice(11, 13))).toEqual([
      '00',
      '04',
      '08',
      '12',
      '16',
      '20',
    ]);
  });

  it('serves forex rates near the reference level', async () => {
    const outcome = await sandbox.call('forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.6);
    expect(outcome.result.rate).toBeLessThan(1.6);
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('answers /api_usage', async () => {
    const reply = await sandbox.send({ method: 'GET', path: '/api_usage' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ plan_limit: 8, plan_category: 'basic' });
  });
});
