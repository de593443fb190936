import { describe, expect, it } from 'vitest';
import { ClientSpendMeter } from '../../../src/store/client-spend.js';

describe('ClientSpendMeter (in process)', () => {
  it('adds what a client spends within a window and starts again at zero in the next, aligned to the epoch', async () => {
    const clock = { now: 120_000 + 15_000 };
    const meter = new ClientSpendMeter(60_000, null, 'mdg', () => clock.now);
    meter.charge('key:web', 0.0003);
    meter.charge('key:web', 0.0045);
    meter.charge('key:other', 1);
    expect(await meter.state('key:web')).toEqual({ spent: 0.0048, resetsInMs: 45_000 });
    clock.now += 45_000;
    expect(await meter.state('key:web')).toEqual({ spent: 0, resetsInMs: 60_000 });
  });

  it('ignores charges of nothing (a cache hit)', async () => {
    const meter = new ClientSpendMeter(60_000, null, 'mdg', () => 0);
    meter.charge('ip:203.0.113.7', 0);
    expect((await meter.state('ip:203.0.113.7')).spent).toBe(0);
  });
});
