import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coinapi } from '../../providers/coinapi/index.js';
import { finnhub } from '../../providers/finnhub/index.js';
import { polygon } from '../../providers/polygon/index.js';
import { twelvedata } from '../../providers/twelvedata/index.js';
import type { ProviderAdapter } from '../../src/core/index.js';
import { coinapiSimulator } from '../../sandbox/coinapi-simulator.js';
import { finnhubSimulator } from '../../sandbox/finnhub-simulator.js';
import { crossRate } from '../../sandbox/market.js';
import { polygonSimulator } from '../../sandbox/polygon-simulator.js';
import { startSimulator, type RunningSimulator, type SimulatorDefinition } from '../../sandbox/simulator.js';
import { twelvedataSimulator } from '../../sandbox/twelvedata-simulator.js';
import { sandboxKey } from '../helpers/simulator.js';
import { roundTrip } from '../helpers/vendor.js';

/** One instant for every simulator, so their rates can be compared to the digit each vendor sends. */
const clockMs = Date.parse('2026-01-30T15:00:00.000Z');

const forexVendors: [ProviderAdapter, SimulatorDefinition][] = [
  [coinapi, coinapiSimulator],
  [finnhub, finnhubSimulator],
  [polygon, polygonSimulator],
  [twelvedata, twelvedataSimulator],
];

describe('simulated forex rates', () => {
  const running = new Map<string, RunningSimulator>();
  beforeAll(async () => {
    for (const [adapter, definition] of forexVendors) {
      running.set(adapter.name, await startSimulator(definition, { clock: () => clockMs }));
    }
  });
  afterAll(async () => {
    await Promise.all([...running.values()].map((sim) => sim.close()));
  });

  it.each(forexVendors.map(([adapter]) => adapter))(
    '$name quotes the cross rate every simulator shares',
    async (adapter) => {
      const options = { baseUrl: running.get(adapter.name)?.url ?? '', apiKey: sandboxKey };
      for (const [base, quote] of [
        ['EUR', 'USD'],
        ['EUR', 'GBP'],
        ['USD', 'JPY'],
      ] as const) {
        const outcome = await roundTrip(adapter, 'forex-rate', { base, quote }, options);
        expect(outcome.outcome === 'ok' && outcome.result.rate).toBeCloseTo(crossRate(base, quote, clockMs), 4);
      }
    },
  );
});
