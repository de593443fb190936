import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/contract/index.js';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import { cryptocompareSimulator } from '../../../src/sandbox/cryptocompare-simulator.js';
import { healthyFault } from '../../../src/sandbox/faults.js';
import { priceAt } from '../../../src/sandbox/market.js';
import { startSimulator, type RunningSimulator } from '../../../src/sandbox/simulator.js';
import { roundTrip } from '../../helpers/vendor.js';

const dayMs = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('cryptocompareSimulator', () => {
  let sim: RunningSimulator;
  const options = () => ({ baseUrl: sim.url, apiKey: 'sandbox-key' });

  beforeAll(async () => {
    sim = await startSimulator(cryptocompareSimulator);
  });
  afterEach(() => {
    sim.setFault(healthyFault);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves crypto-price for BTC with the shared seeded price, market cap, volume, change and timestamp', async () => {
    const before = Date.now();
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.symbol).toBe('BTC');
    expect([priceAt('BTC', before), priceAt('BTC', Date.now())]).toContain(outcome.result.price);
    expect(outcome.result.marketCap).toBeGreaterThan(outcome.result.price);
    expect(outcome.result.volume24h).toBeGreaterThan(0);
    expect(outcome.result.changePercent24h).toEqual(expect.any(Number));
    expect(outcome.result.change24h).toEqual(expect.any(Number));
    expect(outcome.result.asOf).toMatch(/Z$/);
  });

  it('gives a coin without known supply no market cap', async () => {
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'TRX', vs: 'USD' }, options());
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'TRX', marketCap: null } });
  });

  it('serves 4h crypto-candles ascending, on 4-hour boundaries, inside the range', async () => {
    const now = Date.now();
    const query: CryptoCandlesQuery = {
      symbol: 'ETH',
      vs: 'USD',
      interval: '4h',
      from: dateOf(now - 5 * dayMs),
      to: dateOf(now),
    };
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    const times = outcome.result.candles.map((candle) => Date.parse(candle.time));
    expect(times.length).toBeGreaterThanOrEqual(30);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((time) => time % (4 * 3_600_000) === 0)).toBe(true);
    expect(times[0]).toBe(Date.parse(`${query.from}T00:00:00.000Z`));
    expect(outcome.result.candles.every((candle) => candle.low <= candle.open && candle.open <= candle.high)).toBe(
      true,
    );
  });

  it('serves 1d crypto-candles labelled at midnight UTC, one per day', async () => {
    const now = Date.now();
    const query: CryptoCandlesQuery = {
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      from: dateOf(now - 30 * dayMs),
      to: dateOf(now - dayMs),
    };
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles).toHaveLength(30);
    expect(outcome.result.candles.every((candle) => candle.time.endsWith('T00:00:00.000Z'))).toBe(true);
    expect(outcome.result.candles[0]?.volume).toBeGreaterThan(0);
  });

  it('serves 15m crypto-candles for today', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'SOL', vs: 'USD', interval: '15m', from: today, to: today };
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query, options());
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.length).toBeGreaterThan(0);
    expect(outcome.result.candles.every((candle) => Date.parse(candle.time) % 900_000 === 0)).toBe(true);
  });

  it('answers an unknown coin with the HTTP 200 error envelope, which maps to not-found', async () => {
    const price = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'ZZZCOIN', vs: 'USD' }, options());
    expect(price).toMatchObject({ outcome: 'not-found', status: 200 });
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'ZZZCOIN', vs: 'USD', interval: '1h', from: today, to: today };
    const candles = await roundTrip(cryptocompare, 'crypto-candles', query, options());
    expect(candles.outcome).toBe('not-found');
  });

  it('answers a quote currency it has no market for with not-found', async () => {
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'BTC', vs: 'JPY' }, options());
    expect(outcome.outcome).toBe('not-found');
  });

  it('takes the key from ?api_key= too', async () => {
    const response = await fetch(`${sim.url}/data/pricemultifull?fsyms=ETH&tsyms=USD&api_key=sandbox-key`);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('RAW.ETH.USD.PRICE');
  });

  it('answers a missing key with 401, which maps to auth', async () => {
    const outcome = await roundTrip(
      cryptocompare,
      'crypto-price',
      { symbol: 'BTC', vs: 'USD' },
      { baseUrl: sim.url, apiKey: null },
    );
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('answers the key "invalid" with 401, which maps to auth', async () => {
    const outcome = await roundTrip(
      cryptocompare,
      'crypto-price',
      { symbol: 'BTC', vs: 'USD' },
      { baseUrl: sim.url, apiKey: 'invalid' },
    );
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('maps the rate-limited fault (HTTP 200, Type 99) to rate-limited with a wait until the next minute', async () => {
    sim.setFault({ mode: 'rate-limited', delayMs: 0 });
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome).toMatchObject({ outcome: 'rate-limited', status: 200 });
    if (outcome.outcome !== 'rate-limited') return;
    expect(outcome.retryAfterMs).toBeGreaterThan(0);
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('maps the malformed fault to malformed', async () => {
    sim.setFault({ mode: 'malformed', delayMs: 0 });
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('malformed');
  });

  it('maps the error fault to unavailable', async () => {
    sim.setFault({ mode: 'error', delayMs: 0 });
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'BTC', vs: 'USD' }, options());
    expect(outcome.outcome).toBe('unavailable');
  });

  it('serves the /stats/rate/limit health check, which classifies as no failure', async () => {
    const response = await fetch(`${sim.url}/stats/rate/limit`, { headers: { authorization: 'Apikey sandbox-key' } });
    const body: unknown = await response.json();
    expect(body).toMatchObject({ Response: 'Success', Data: { calls_left: { minute: expect.any(Number) } } });
    expect(cryptocompare.classifyFailure({ status: response.status, headers: {}, body })).toBeNull();
  });
});
