import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import { polygonSimulator } from '../../../sandbox/polygon-simulator.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(polygon, polygonSimulator, {
  capability: 'stock-quote',
  query: { symbol: 'AAPL' },
  rateLimitWaitMs: 60_000,
  keyAlsoInQuery: 'apiKey',
  unknownSymbolStatus: 404,
});

describe('polygonSimulator', () => {
  it('serves a stock quote', async () => {
    const outcome = await sandbox.call('stock-quote', { symbol: 'AAPL' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('serves daily stock candles labelled with their trading dates, weekdays only', async () => {
    const outcome = await sandbox.call('stock-candles', {
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
    const outcome = await sandbox.call('stock-candles', {
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
    expect(await sandbox.call('stock-candles', query)).toMatchObject({ outcome: 'not-found' });
  });

  it('serves a crypto price', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'BTC', vs: 'USD', marketCap: null, volume24h: null });
    expect(outcome.result.price).toBeGreaterThan(1_000);
  });

  it('serves daily crypto candles at 00:00Z every day', async () => {
    const outcome = await sandbox.call('crypto-candles', {
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
    const outcome = await sandbox.call('forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.5);
    expect(outcome.result.rate).toBeLessThan(2);
  });
});
