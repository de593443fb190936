import { describe, expect, it } from 'vitest';
import { marketstack } from '../../../providers/marketstack/index.js';
import { marketstackSimulator } from '../../../sandbox/marketstack-simulator.js';
import { sandboxKey, simulatorConformance } from '../../helpers/simulator.js';

const dayMs = 86_400_000;

/** The UTC dates of the `count` calendar days before today, oldest first, with whether each is a weekday. */
function daysBefore(count: number): { date: string; weekday: boolean }[] {
  const todayMs = Math.floor(Date.now() / dayMs) * dayMs;
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(todayMs - (count - index) * dayMs);
    return { date: day.toISOString().slice(0, 10), weekday: day.getUTCDay() !== 0 && day.getUTCDay() !== 6 };
  });
}

const sandbox = simulatorConformance(marketstack, marketstackSimulator, {
  capability: 'stock-quote',
  query: { symbol: 'AAPL' },
  rateLimitWaitMs: 1_000,
  withoutKey: { outcome: 'auth', status: 401, detail: 'HTTP 401 missing_access_key' },
  // 422 no_valid_symbols_provided.
  unknownSymbolStatus: 422,
});

describe('marketstackSimulator', () => {
  it('serves a stock quote priced from marketstack_last, in dollars', async () => {
    const outcome = await sandbox.call('stock-quote', { symbol: 'AAPL' });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(outcome.result.price).toBeGreaterThan(0);
    expect(outcome.result.previousClose).toBeGreaterThan(0);
    expect(outcome.result.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
  });

  it('serves daily candles for weekdays, labelled with their dates at 00:00Z in ascending order', async () => {
    const days = daysBefore(10);
    const outcome = await sandbox.call('stock-candles', {
      symbol: 'AAPL',
      interval: '1d',
      from: days[0]!.date,
      to: days[9]!.date,
      adjusted: true,
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    const weekdays = days.filter((day) => day.weekday).map((day) => `${day.date}T00:00:00.000Z`);
    expect(outcome.result.candles.map((candle) => candle.time)).toEqual(weekdays);
  });

  it('serves hourly candles for a recent session in ascending order', async () => {
    const session = daysBefore(7)
      .filter((day) => day.weekday)
      .at(-1)!.date;
    const outcome = await sandbox.call('stock-candles', {
      symbol: 'AAPL',
      interval: '1h',
      from: session,
      to: session,
      adjusted: true,
    });
    expect(outcome.outcome).toBe('ok');
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time.slice(11, 13))).toEqual([
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
    ]);
    expect(outcome.result.candles[0]?.time.slice(0, 10)).toBe(session);
  });

  it('answers candles for an unknown symbol with not-found', async () => {
    const days = daysBefore(5);
    const query = {
      symbol: 'UNKNOWN',
      interval: '1d',
      from: days[0]!.date,
      to: days[4]!.date,
      adjusted: true,
    } as const;
    expect(await sandbox.call('stock-candles', query)).toMatchObject({ outcome: 'not-found', status: 422 });
  });

  it('serves the exchanges list a health probe would read', async () => {
    const response = await fetch(`${sandbox.sim.url}/exchanges?limit=1&access_key=${sandboxKey}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ pagination: { count: 1 }, data: [{ mic: 'XNAS' }] });
  });

  it('refuses intervals below 15 minutes as a Basic plan does', async () => {
    const response = await fetch(`${sandbox.sim.url}/intraday?symbols=AAPL&interval=5min&access_key=${sandboxKey}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'function_access_restricted' } });
  });
});
