import { describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { coinapi } from '../../../providers/coinapi/index.js';
import { coinapiSimulator } from '../../../sandbox/coinapi-simulator.js';
import { priceAt } from '../../../sandbox/market.js';
import { simulatorConformance } from '../../helpers/simulator.js';

const dayMs = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const sandbox = simulatorConformance(coinapi, coinapiSimulator, {
  capability: 'crypto-price',
  query: { symbol: 'BTC', vs: 'USD' },
  // The reset is an ISO instant at the end of the simulator's one-minute window.
  rateLimitWaitMs: { min: 0, max: 60_000 },
  keyAlsoInQuery: 'apikey',
  // coinapi's own 550 "no data".
  unknownSymbolStatus: 550,
});

describe('coinapiSimulator', () => {
  it('serves crypto-price for BTC at the shared market price, with no 24 h fields', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'BTC', vs: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(outcome.result.price).toBe(priceAt('BTC', Date.parse(outcome.result.asOf ?? '')));
    expect(outcome.result).toMatchObject({ symbol: 'BTC', vs: 'USD', change24h: null, marketCap: null });
  });

  it('serves crypto-price against a fiat quote other than USD', async () => {
    const outcome = await sandbox.call('crypto-price', { symbol: 'ETH', vs: 'EUR' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.price).toBeGreaterThan(1_000);
  });

  it('serves forex-rate for EUR/USD near its base level', async () => {
    const outcome = await sandbox.call('forex-rate', { base: 'EUR', quote: 'USD' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.rate).toBeGreaterThan(0.6);
    expect(outcome.result.rate).toBeLessThan(1.6);
  });

  it('serves daily crypto-candles ascending, labelled at 00:00Z, with volume', async () => {
    const now = Date.now();
    const query: CryptoCandlesQuery = {
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      from: dateOf(now - 5 * dayMs),
      to: dateOf(now - dayMs),
    };
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time.slice(0, 10))).toEqual(
      [5, 4, 3, 2, 1].map((days) => dateOf(now - days * dayMs)),
    );
    expect(outcome.result.candles.every((candle) => candle.time.endsWith('T00:00:00.000Z'))).toBe(true);
    expect(outcome.result.candles.every((candle) => (candle.volume ?? 0) > 0)).toBe(true);
    expect(outcome.result.candles.every((candle) => candle.low <= candle.open && candle.open <= candle.high)).toBe(
      true,
    );
  });

  it('serves hourly crypto-candles for today up to now', async () => {
    const today = dateOf(Date.now());
    const query: CryptoCandlesQuery = { symbol: 'ETH', vs: 'USD', interval: '1h', from: today, to: today };
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    const times = outcome.result.candles.map((candle) => Date.parse(candle.time));
    expect(times[0]).toBe(Date.parse(`${today}T00:00:00.000Z`));
    expect(times.every((time) => time % 3_600_000 === 0 && time <= Date.now())).toBe(true);
  });

  it('serves monthly crypto-candles on calendar months', async () => {
    const year = new Date().getUTCFullYear() - 1;
    const query: CryptoCandlesQuery = {
      symbol: 'SOL',
      vs: 'USD',
      interval: '1mo',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
    };
    const outcome = await sandbox.call('crypto-candles', query);
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time)).toEqual(
      Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(year, month, 1)).toISOString()),
    );
  });
});
