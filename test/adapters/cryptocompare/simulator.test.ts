import { describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import { cryptocompareSimulator } from '../../../sandbox/cryptocompare-simulator.js';
import { priceAt } from '../../../sandbox/market.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const dayMs = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const sandbox = simulatorConformance(cryptocompare, cryptocompareSimulator, {
  capability: 'crypto-price',
  query: { symbol: 'BTC', vs: 'USD' },
  // An HTTP 200 with Type 99 and no reset header: the wait runs to the next minute by the reply's Date.
  rateLimitWaitMs: { min: 1, max: 60_000 },
  keyAlsoInQuery: 'api_key',
  // The HTTP 200 error envelope.
  unknownSymbolStatus: 200,
});

describe('cryptocompareSimulator', () => {
  it('serves crypto-price for BTC with the shared seeded price, market cap, volume, change and timestamp', async () => {
    const before = Date.now();
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' });
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
    const outcome = await sandbox.call('crypto-price', { symbol: 'TRX', vs: 'USD' });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'TRX', marketCap: null } });
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
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles).toHaveLength(30);
    expect(outcome.result.candles.every((candle) => candle.time.endsWith('T00:00:00.000Z'))).toBe(true);
    expect(outcome.result.candles[0]?.volume).toBeGreaterThan(0);
  });

  it('serves 15m crypto-candles for today', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'SOL', vs: 'USD', interval: '15m', from: today, to: today };
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.length).toBeGreaterThan(0);
    expect(outcome.result.candles.every((candle) => Date.parse(candle.time) % 900_000 === 0)).toBe(true);
  });

  it('answers candles for an unknown coin with not-found', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'ZZZCOIN', vs: 'USD', interval: '1h', from: today, to: today };
    expect((await sandbox.call('crypto-candles', query)).outcome).toBe('not-found');
  });

  it('answers a quote currency it has no market for with not-found', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'JPY' });
    expect(outcome.outcome).toBe('not-found');
  });

  it('answers the key "invalid" with 401, which maps to auth', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' }, 'invalid');
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('serves the calls left on /stats/rate/limit, its health check', async () => {
    const reply = await sandbox.send({ method: 'GET', path: '/stats/rate/limit' });
    expect(reply.body).toMatchObject({ Response: 'Success', Data: { calls_left: { minute: expect.any(Number) } } });
  });
});
