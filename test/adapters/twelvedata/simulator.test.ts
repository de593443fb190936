import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import { healthyFault } from '../../../src/sandbox/faults.js';
import { priceAt } from '../../../src/sandbox/market.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { twelvedataSimulator } from '../../../src/sandbox/twelvedata-simulator.js';
import { createVendorClient } from '../../../src/transport/vendor-client.js';
import { roundTrip } from '../../helpers/vendor.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator(twelvedataSimulator);
});
afterEach(() => {
  sim.setFault(healthyFault);
});
afterAll(async () => {
  await sim.close();
});

const options = () => ({ baseUrl: sim.url, apiKey: 'sandbox-key' });

describe('twelvedataSimulator', () => {
  it('serves a stock quote', async () => {
    const outcome = await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.volume).toBeGreaterThan(0);
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('answers an unknown symbol with its 404 body, which becomes not-found', async () => {
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'ZZZQ' }, options())).toMatchObject({
      outcome: 'not-found',
      status: 200,
    });
  });

  it('serves a batch of quotes and lists the unknown symbol as missing', async () => {
    const outcome = await roundTrip(twelvedata, 'stock-quotes', { symbols: ['AAPL', 'ZZZQ', 'MSFT'] }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.quotes.map((quote) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(outcome.result.missing).toEqual(['ZZZQ']);
  });

  it('serves daily stock candles on weekdays only, labelled at 00:00Z, ascending', async () => {
    const query = { symbol: 'MSFT', interval: '1d', from: '2026-01-05', to: '2026-01-11', adjusted: true } as const;
    const outcome = await roundTrip(twelvedata, 'stock-candles', query, options());
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
    const outcome = await roundTrip(twelvedata, 'stock-candles', monthly, options());
    expect(outcome.outcome === 'ok' && outcome.result.candles.map((candle) => candle.time.slice(0, 10))).toEqual([
      '2025-01-01',
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
      '2025-05-01',
      '2025-06-01',
    ]);
    expect(await roundTrip(twelvedata, 'stock-candles', { ...monthly, symbol: 'UNKNOWN' }, options())).toMatchObject({
      outcome: 'not-found',
    });
  });

  it('serves a crypto price priced like BTC everywhere', async () => {
    const before = Date.now();
    const outcome = await roundTrip(twelvedata, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect([priceAt('BTC', before), priceAt('BTC', Date.now())]).toContain(outcome.result.price);
    expect(outcome.result.changePercent24h).not.toBeNull();
    expect(outcome.result.marketCap).toBeNull();
  });

  it('serves intraday crypto candles on the hour in UTC', async () => {
    const query = { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-03', to: '2026-01-03' } as const;
    const outcome = await roundTrip(twelvedata, 'crypto-candles', query, options());
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
    const outcome = await roundTrip(twelvedata, 'forex-rate', { base: 'EUR', quote: 'USD' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.6);
    expect(outcome.result.rate).toBeLessThan(1.6);
    expect(outcome.result.asOf).not.toBeNull();
  });

  it('answers /api_usage', async () => {
    const client = createVendorClient({
      name: 'twelvedata',
      baseUrl: sim.url,
      auth: twelvedata.auth,
      apiKey: 'sandbox-key',
      maxConnections: 1,
    });
    try {
      const reply = await client.send({ method: 'GET', path: '/api_usage' }, AbortSignal.timeout(2_000));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ plan_limit: 8, plan_category: 'basic' });
    } finally {
      client.close();
    }
  });

  it('accepts the key as the apikey query parameter too', async () => {
    const queryAuth = { ...twelvedata, auth: { in: 'query', name: 'apikey' } as const };
    expect(await roundTrip(queryAuth, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({ outcome: 'ok' });
  });

  it('yields rate-limited with retryAfterMs under the rate-limited fault', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    const outcome = await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' }, options());
    expect(outcome.outcome).toBe('rate-limited');
    const wait = outcome.outcome === 'rate-limited' ? outcome.retryAfterMs : undefined;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('yields malformed under the malformed fault', async () => {
    sim.setFault({ mode: 'malformed', delayMs: 0 });
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({
      outcome: 'malformed',
    });
  });

  it('yields unavailable under the error fault', async () => {
    sim.setFault({ mode: 'error', delayMs: 0 });
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' }, options())).toMatchObject({
      outcome: 'unavailable',
    });
  });

  it('yields auth when the key is missing', async () => {
    expect(
      await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' }, { ...options(), apiKey: null }),
    ).toMatchObject({ outcome: 'auth' });
  });
});
