import { describe, expect, it } from 'vitest';
import type { StrategyName } from '../../../src/config/schema.js';
import type { VendorRuntime } from '../../../src/vendors/registry.js';
import { createStrategy, type Candidate } from '../../../src/routing/strategies/index.js';
import { rendezvousDraw } from '../../../src/routing/strategies/consistent-hash.js';

function candidate(
  name: string,
  overrides: Partial<Omit<Candidate, 'vendor'>> & { tier?: number; weight?: number } = {},
) {
  const { tier = 1, weight = 1, ...view } = overrides;
  return {
    vendor: { name, config: { tier, weight } } as unknown as VendorRuntime,
    score: 0.5,
    inFlight: 0,
    latencyMs: null,
    costPerCall: 0,
    quotaShareLeft: 1,
    ...view,
  } satisfies Candidate;
}

/** A seeded generator (mulberry32), so statistical tests are repeatable. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const names = (ordered: Candidate[]) => ordered.map((entry) => entry.vendor.name);

/** How often each vendor comes first over `runs` selections, as shares of 1. */
function firstShares(name: StrategyName, candidates: Candidate[], runs: number, keyOf = (i: number) => `K${i}`) {
  const strategy = createStrategy[name]();
  const random = seeded(42);
  const counts = new Map<string, number>();
  for (let i = 0; i < runs; i += 1) {
    const first = strategy.order(candidates, { key: keyOf(i), random })[0]?.vendor.name ?? 'none';
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([vendor, count]) => [vendor, count / runs]));
}

/** Every share within ±10 % (relative) of its target. */
function expectShares(actual: Record<string, number>, target: Record<string, number>) {
  for (const [vendor, share] of Object.entries(target)) {
    expect(actual[vendor] ?? 0, vendor).toBeGreaterThanOrEqual(share * 0.9);
    expect(actual[vendor] ?? 0, vendor).toBeLessThanOrEqual(share * 1.1);
  }
}

const runs = 12_000;

describe('priority', () => {
  it('orders by tier, then heavier weight, then name, without touching its input', () => {
    const input = [
      candidate('zeta', { tier: 2 }),
      candidate('beta', { tier: 1 }),
      candidate('alpha', { tier: 2 }),
      candidate('gamma', { tier: 1, weight: 3 }),
    ];
    expect(names(createStrategy.priority().order(input, { key: '', random: Math.random }))).toEqual([
      'gamma',
      'beta',
      'alpha',
      'zeta',
    ]);
    expect(names(input)).toEqual(['zeta', 'beta', 'alpha', 'gamma']);
  });
});

describe('round-robin', () => {
  it(`gives each healthy vendor an equal first share over ${runs} selections`, () => {
    const shares = firstShares('round-robin', [candidate('a'), candidate('b'), candidate('c')], runs);
    expectShares(shares, { a: 1 / 3, b: 1 / 3, c: 1 / 3 });
  });

  it('keeps the rest of the ring as the failover order', () => {
    const strategy = createStrategy['round-robin']();
    const input = [candidate('c'), candidate('a'), candidate('b')];
    const context = { key: '', random: Math.random };
    expect(names(strategy.order(input, context))).toEqual(['a', 'b', 'c']);
    expect(names(strategy.order(input, context))).toEqual(['b', 'c', 'a']);
  });
});

describe('weighted-round-robin', () => {
  it(`gives each vendor its weight's share over ${runs} selections`, () => {
    const input = [candidate('a', { weight: 3 }), candidate('b', { weight: 2 }), candidate('c', { weight: 1 })];
    expectShares(firstShares('weighted-round-robin', input, runs), { a: 3 / 6, b: 2 / 6, c: 1 / 6 });
  });

  it('interleaves rather than bursting (smooth): a 2:1 split alternates a, b, a', () => {
    const strategy = createStrategy['weighted-round-robin']();
    const input = [candidate('a', { weight: 2 }), candidate('b', { weight: 1 })];
    const firsts = Array.from(
      { length: 6 },
      () => strategy.order(input, { key: '', random: Math.random })[0]?.vendor.name,
    );
    expect(firsts).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });
});

describe('health-based', () => {
  it(`picks among the better half in proportion to score over ${runs} selections`, () => {
    const input = [
      candidate('best', { score: 0.9 }),
      candidate('good', { score: 0.6 }),
      candidate('poor', { score: 0.3 }),
      candidate('worst', { score: 0.1 }),
    ];
    const shares = firstShares('health-based', input, runs);
    expectShares(shares, { best: 0.9 / 1.5, good: 0.6 / 1.5 });
    expect(shares.poor ?? 0).toBe(0);
    expect(shares.worst ?? 0).toBe(0);
  });

  it('orders the rest by score, so failover goes to the next best', () => {
    const input = [candidate('c', { score: 0.2 }), candidate('a', { score: 0.9 }), candidate('b', { score: 0.5 })];
    const ordered = createStrategy['health-based']().order(input, { key: '', random: () => 0 });
    expect(names(ordered)).toEqual(['a', 'b', 'c']);
  });
});

describe('random', () => {
  it(`puts each vendor first about equally often over ${runs} selections`, () => {
    const shares = firstShares('random', [candidate('a'), candidate('b'), candidate('c'), candidate('d')], runs);
    expectShares(shares, { a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });
});

describe('least-connections', () => {
  it('puts the vendor with the fewest calls in flight first, ties by priority', () => {
    const input = [
      candidate('busy', { inFlight: 9 }),
      candidate('idle-tier2', { inFlight: 1, tier: 2 }),
      candidate('idle', { inFlight: 1 }),
    ];
    expect(names(createStrategy['least-connections']().order(input, { key: '', random: Math.random }))).toEqual([
      'idle',
      'idle-tier2',
      'busy',
    ]);
  });
});

describe('latency', () => {
  it('puts the fastest moving average first, and an unmeasured vendor before all', () => {
    const input = [candidate('slow', { latencyMs: 300 }), candidate('new'), candidate('fast', { latencyMs: 20 })];
    expect(names(createStrategy.latency().order(input, { key: '', random: Math.random }))).toEqual([
      'new',
      'fast',
      'slow',
    ]);
  });
});

describe('cost', () => {
  it('puts the cheapest first, and moves a vendor with under 10 % quota left behind dearer ones', () => {
    const input = [
      candidate('dear', { costPerCall: 0.01 }),
      candidate('cheap', { costPerCall: 0.001 }),
      candidate('free-but-spent', { costPerCall: 0, quotaShareLeft: 0.05 }),
    ];
    expect(names(createStrategy.cost().order(input, { key: '', random: Math.random }))).toEqual([
      'cheap',
      'dear',
      'free-but-spent',
    ]);
  });
});

describe('consistent-hash', () => {
  const strategy = createStrategy['consistent-hash']();
  const all = [candidate('a'), candidate('b'), candidate('c'), candidate('d')];
  const firstFor = (input: Candidate[], key: string) =>
    strategy.order(input, { key, random: Math.random })[0]?.vendor.name;

  it('sends the same key to the same vendor every time', () => {
    expect(new Set(Array.from({ length: 20 }, () => firstFor(all, 'AAPL'))).size).toBe(1);
  });

  it(`spreads ${runs} keys evenly over equal vendors`, () => {
    expectShares(firstShares('consistent-hash', all, runs), { a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });

  it('moves only the keys of a vendor that leaves, each to its next draw', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `SYM${i}`);
    const without = all.filter((entry) => entry.vendor.name !== 'b');
    let moved = 0;
    for (const key of keys) {
      const before = firstFor(all, key);
      const after = firstFor(without, key);
      if (before !== 'b') expect(after).toBe(before);
      else {
        moved += 1;
        expect(after).toBe(strategy.order(all, { key, random: Math.random })[1]?.vendor.name);
      }
    }
    expect(moved / keys.length).toBeGreaterThan(0.2);
    expect(moved / keys.length).toBeLessThan(0.3);
  });

  it('draws more for a heavier vendor', () => {
    let heavierWins = 0;
    for (let i = 0; i < 4_000; i += 1) {
      if (rendezvousDraw(`K${i}`, 'heavy', 3) > rendezvousDraw(`K${i}`, 'light', 1)) heavierWins += 1;
    }
    expect(heavierWins / 4_000).toBeGreaterThan(0.7);
  });
});
