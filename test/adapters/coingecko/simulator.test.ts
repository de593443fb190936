import { describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { coingecko } from '../../../providers/coingecko/index.js';
import { coingeckoSimulator } from '../../../sandbox/coingecko-simulator.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const sandbox = simulatorConformance(coingecko, coingeckoSimulator, {
  capability: 'crypto-price',
  query: { symbol: 'BTC', vs: 'USD' },
  rateLimitWaitMs: 60_000,
  // The public host answers without a key.
  withoutKey: { outcome: 'ok' },
});

describe('coingeckoSimulator', () => {
  it('serves crypto-price for BTC with market cap, volume, change and timestamp', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' });
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

  it('serves 30m crypto-candles for today', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'BTC', vs: 'USD', interval: '30m', from: today, to: today };
    const outcome = await sandbox.call('crypto-candles', query);
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
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('not-found');
  });

  it('leaves an unknown coin out of /simple/price, which maps to not-found', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'TRX', vs: 'USD' });
    expect(outcome.outcome).toBe('not-found');
  });

  it('leaves out a vs currency it does not quote, which maps to not-found', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'JPY' });
    expect(outcome.outcome).toBe('not-found');
  });

  it('answers an invalid key with 401 code 10002, which maps to auth', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' }, 'invalid');
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('serves the /ping health check', async () => {
    const response = await fetch(`${sandbox.sim.url}/ping`);
    expect(await response.json()).toEqual({ gecko_says: '(V3) To the Moon!' });
  });
});
