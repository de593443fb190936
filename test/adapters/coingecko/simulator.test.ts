import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/contract/index.js';
import { coingecko } from '../../../providers/coingecko/index.js';
import { coingeckoSimulator } from '../../../src/sandbox/coingecko-simulator.js';
import { healthyFault } from '../../../src/sandbox/faults.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { roundTrip } from '../../helpers/vendor.js';

const dayMs = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('coingeckoSimulator', () => {
  let sim: RunningSimulator;
  const options = () => ({ baseUrl: sim.url, apiKey: 'sandbox-key' });

  beforeAll(async () => {
    sim = await startSimulator(coingeckoSimulator);
  });
  afterEach(() => {
    sim.setFault(healthyFault);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves crypto-price for BTC with market cap, volume, change and timestamp', async () => {
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.symbol).toBe('BTC');
    expect(outcome.result.price).toBeGreaterThan(40_000);
    expect(outcome.result.marketCap).toBeGreaterThan(outcome.result.price);
    expect(outcome.result.volume24h).toBeGreaterThan(0);
    expect(outcome.result.changePercent24h).toEqual(expect.any(Number));
    expect(outcome.result.change24h).toEqual(expect.any(Number));
    expect(outcome.result.asOf).toMatch(/Z$/);
  });

  it('serves 4h crypto-candles ascending, labelled on 4-hour boundaries', async () => {
    const now = Date.now();
    const query: CryptoCandlesQuery = {
      symbol: 'ETH',
      vs: 'USD',
      interval: '4h',
      from: dateOf(now - 5 * dayMs),
      to: dateOf(now),
    };
    const outcome = await roundTrip(coingecko, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    const times = outcome.result.candles.map((candle) => Date.parse(candle.time));
    expect(times.length).toBeGreaterThan(24);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((time) => time % (4 * 3_600_000) === 0)).toBe(true);
    expect(times[0]).toBeGreaterThanOrEqual(Date.parse(`${query.from}T00:00:00.000Z`));
  });

  it('serves 30m crypto-candles for today', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'BTC', vs: 'USD', interval: '30m', from: today, to: today };
    const outcome = await roundTrip(coingecko, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.length).toBeGreaterThan(0);
    expect(outcome.result.candles.every((candle) => candle.low <= candle.open && candle.open <= candle.high)).toBe(
      true,
    );
  });

  it('answers 404 for a coin it does not know, which maps to not-found', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'TRX', vs: 'USD', interval: '30m', from: today, to: today };
    const outcome = await roundTrip(coingecko, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('not-found');
  });

  it('leaves an unknown coin out of /simple/price, which maps to not-found', async () => {
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'TRX', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('not-found');
  });

  it('leaves out a vs currency it does not quote, which maps to not-found', async () => {
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'BTC', vs: 'JPY' }, options());
    expect(outcome.outcome).toBe('not-found');
  });

  it('answers without a key, as the public host does', async () => {
    const outcome = await roundTrip(
      coingecko,
      'crypto-price',
      { symbol: 'ETH', vs: 'USD' },
      { baseUrl: sim.url, apiKey: null },
    );
    expect(outcome.outcome).toBe('ok');
  });

  it('answers an invalid key with 401 code 10002, which maps to auth', async () => {
    const outcome = await roundTrip(
      coingecko,
      'crypto-price',
      { symbol: 'BTC', vs: 'USD' },
      { baseUrl: sim.url, apiKey: 'invalid' },
    );
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('maps the rate-limited fault to rate-limited with retryAfterMs', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('maps the malformed fault to malformed', async () => {
    sim.setFault({ mode: 'malformed', delayMs: 0 });
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('malformed');
  });

  it('maps the error fault to unavailable', async () => {
    sim.setFault({ mode: 'error', delayMs: 0 });
    const outcome = await roundTrip(coingecko, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('unavailable');
  });

  it('serves the /ping health check', async () => {
    const response = await fetch(`${sim.url}/ping`);
    expect(await response.json()).toEqual({ gecko_says: '(V3) To the Moon!' });
  });
});
