import { describe, expect, it } from 'vitest';
import type { VendorRuntime } from '../../../src/registry/registry.js';
import { Cooldown } from '../../../src/resilience/cooldown.js';
import { splitCandidates } from '../../../src/routing/candidates.js';
import { priorityStrategy } from '../../../src/routing/strategies/priority.js';

function vendor(
  name: string,
  tier: number,
  weight = 1,
  state: { opened?: boolean; coolingMs?: number } = {},
): VendorRuntime {
  const cooldown = new Cooldown(() => 1_000);
  if (state.coolingMs) cooldown.start(state.coolingMs);
  return {
    name,
    config: { tier, weight, breaker: { resetTimeoutMs: 15_000 } },
    breaker: { opened: state.opened ?? false },
    breakerSince: new Date(0).toISOString(),
    cooldown,
  } as unknown as VendorRuntime;
}
const context = { capability: 'stock-quote' as const, key: 'AAPL', random: () => 0.5 };

describe('priorityStrategy', () => {
  it('orders by tier, then heavier weight, then name', () => {
    const ordered = priorityStrategy.order(
      [vendor('zeta', 2), vendor('beta', 1, 1), vendor('alpha', 2), vendor('gamma', 1, 3)],
      context,
    );
    expect(ordered.map((entry) => entry.name)).toEqual(['gamma', 'beta', 'alpha', 'zeta']);
  });

  it('does not reorder its input', () => {
    const input = [vendor('b', 2), vendor('a', 1)];
    priorityStrategy.order(input, context);
    expect(input.map((entry) => entry.name)).toEqual(['b', 'a']);
  });
});

describe('splitCandidates', () => {
  it('passes over open breakers and resting vendors, recording why, with the soonest retry', () => {
    const split = splitCandidates(
      [vendor('open', 1, 1, { opened: true }), vendor('resting', 1, 1, { coolingMs: 4_000 }), vendor('fine', 2)],
      1_000,
    );
    expect(split.available.map((entry) => entry.name)).toEqual(['fine']);
    expect(split.skipped).toEqual([
      { provider: 'open', outcome: 'breaker-open', ms: 0 },
      { provider: 'resting', outcome: 'cooling-down', ms: 0, detail: `until ${new Date(5_000).toISOString()}` },
    ]);
    expect(split.retryAfterMs).toBe(4_000);
  });
});
