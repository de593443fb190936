import { describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';
import { finnhubSimulator } from '../../../sandbox/finnhub-simulator.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const sandbox = simulatorConformance(finnhub, finnhubSimulator, {
  capability: 'stock-quote',
  query: { symbol: 'AAPL' },
  // X-Ratelimit-Reset is the next minute in Unix seconds.
  rateLimitWaitMs: { min: 0, max: 60_000 },
  keyAlsoInQuery: 'token',
  // A quote of zeros.
  unknownSymbolStatus: 200,
});

describe('finnhubSimulator', () => {
  it('serves a quote', async () => {
    const outcome = await sandbox.call('stock-quote', { symbol: 'AAPL' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.symbol).toBe('AAPL');
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.volume).toBeNull();
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('serves monthly candles and answers no_data for an unknown symbol', async () => {
    const monthly = { symbol: 'AAPL', interval: '1mo', from: '2025-01-01', to: '2025-06-30', adjusted: true } as const;
    const outcome = await sandbox.call('stock-candles', monthly);
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(6);
    expect(await sandbox.call('stock-candles', { ...monthly, symbol: 'UNKNOWN' })).toMatchObject({
      outcome: 'not-found',
    });
  });

  it('serves forex rates', async () => {
    const outcome = await sandbox.call('forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.6);
    expect(outcome.result.rate).toBeLessThan(1.6);
  });

  it('answers the market-status health check for the US exchange', async () => {
    const reply = await sandbox.send({ method: 'GET', path: '/stock/market-status', query: { exchange: 'US' } });
    expect(reply.body).toMatchObject({ exchange: 'US', timezone: 'America/New_York' });
  });
});
