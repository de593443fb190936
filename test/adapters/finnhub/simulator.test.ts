import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';
import { finnhubSimulator } from '../../../src/sandbox/finnhub-simulator.js';
import { healthyFault } from '../../../src/sandbox/faults.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { createVendorClient } from '../../../src/transport/vendor-client.js';
import { roundTrip } from '../../helpers/vendor.js';

let sim: RunningSimulator;
const news = { symbols: ['AAPL'], q: null, from: null, to: null, limit: 5, language: 'en' };

beforeAll(async () => {
  sim = await startSimulator(finnhubSimulator);
});
afterEach(() => {
  sim.setFault(healthyFault);
});
afterAll(async () => {
  await sim.close();
});

const options = () => ({ baseUrl: sim.url, apiKey: 'sandbox-key' });

describe('finnhubSimulator', () => {
  it('serves a quote', async () => {
    const outcome = await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.symbol).toBe('AAPL');
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.volume).toBeNull();
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('answers an unknown symbol with zeros, which becomes not-found', async () => {
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'ZZZQ' }, options())).toMatchObject({
      outcome: 'not-found',
    });
  });

  it('serves daily candles labelled at 00:00Z, ascending', async () => {
    const query = { symbol: 'MSFT', interval: '1d', from: '2026-01-05', to: '2026-01-09', adjusted: true } as const;
    const outcome = await roundTrip(finnhub, 'stock-candles', query, options());
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

  it('serves monthly candles and answers no_data for an unknown symbol', async () => {
    const monthly = { symbol: 'AAPL', interval: '1mo', from: '2025-01-01', to: '2025-06-30', adjusted: true } as const;
    const outcome = await roundTrip(finnhub, 'stock-candles', monthly, options());
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(6);
    expect(await roundTrip(finnhub, 'stock-candles', { ...monthly, symbol: 'UNKNOWN' }, options())).toMatchObject({
      outcome: 'not-found',
    });
  });

  it('serves forex rates', async () => {
    const outcome = await roundTrip(finnhub, 'forex-rate', { base: 'EUR', quote: 'USD' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.6);
    expect(outcome.result.rate).toBeLessThan(1.6);
  });

  it('serves company news tagged with the symbol', async () => {
    const outcome = await roundTrip(finnhub, 'news-by-symbol', news, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.articles).toHaveLength(5);
    expect(outcome.result.articles[0]?.symbols).toEqual(['AAPL']);
  });

  it('serves market news', async () => {
    const outcome = await roundTrip(finnhub, 'news-latest', { ...news, symbols: [] }, options());
    expect(outcome.outcome === 'ok' && outcome.result.articles).toHaveLength(5);
  });

  it('answers the health check', async () => {
    const client = createVendorClient({
      name: 'finnhub',
      baseUrl: sim.url,
      auth: finnhub.auth,
      apiKey: 'sandbox-key',
      maxConnections: 1,
    });
    try {
      if (!finnhub.healthCheck) throw new Error('finnhub declares a health check');
      const reply = await client.send(finnhub.healthCheck, AbortSignal.timeout(2_000));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ exchange: 'US', timezone: 'America/New_York' });
    } finally {
      client.close();
    }
  });

  it('accepts the key as the token query parameter too', async () => {
    const queryAuth = { ...finnhub, auth: { in: 'query', name: 'token' } as const };
    expect(await roundTrip(queryAuth, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({ outcome: 'ok' });
  });

  it('yields rate-limited with retryAfterMs under the rate-limited fault', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    const outcome = await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' }, options());
    expect(outcome.outcome).toBe('rate-limited');
    expect(outcome.outcome === 'rate-limited' && outcome.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('yields malformed under the malformed fault', async () => {
    sim.setFault({ mode: 'malformed', delayMs: 0 });
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({
      outcome: 'malformed',
    });
  });

  it('yields unavailable under the error fault', async () => {
    sim.setFault({ mode: 'error', delayMs: 0 });
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({
      outcome: 'unavailable',
    });
  });

  it('yields auth when the key is missing', async () => {
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' }, { ...options(), apiKey: null })).toMatchObject({
      outcome: 'auth',
    });
  });
});
