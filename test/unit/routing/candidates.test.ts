import { describe, expect, it } from 'vitest';
import type { VendorRuntime } from '../../../src/vendors/registry.js';
import { Cooldown } from '../../../src/resilience/cooldown.js';
import { splitCandidates } from '../../../src/routing/candidates.js';

function vendor(
  name: string,
  tier: number,
  weight = 1,
  state: { opened?: boolean; coolingMs?: number; ejectedMs?: number } = {},
): VendorRuntime {
  const cooldown = new Cooldown(() => 1_000);
  if (state.coolingMs) cooldown.start(state.coolingMs);
  const ejectedElsewhere = new Cooldown(() => 1_000);
  if (state.ejectedMs) ejectedElsewhere.start(state.ejectedMs);
  return {
    name,
    config: { tier, weight, breaker: { resetTimeoutMs: 15_000 } },
    breaker: { opened: state.opened ?? false },
    breakerSince: new Date(0).toISOString(),
    cooldown,
    ejectedElsewhere,
  } as unknown as VendorRuntime;
}
describe('splitCandidates', () => {
  it('passes over open breakers (here or on another instance), resting vendors and spent budgets, recording why, with the soonest retry', () => {
    const split = splitCandidates(
      [
        vendor('open', 1, 1, { opened: true }),
        vendor('open-elsewhere', 1, 1, { ejectedMs: 6_000 }),
        vendor('resting', 1, 1, { coolingMs: 4_000 }),
        vendor('spent', 1),
        vendor('fine', 2),
      ],
      (candidate) => (candidate.name === 'spent' ? 'day budget spent (5 of 5)' : null),
      1_000,
    );
    expect(split.available.map((entry) => entry.name)).toEqual(['fine']);
    expect(split.skipped).toEqual([
      { provider: 'open', outcome: 'breaker-open', ms: 0 },
      {
        provider: 'open-elsewhere',
        outcome: 'breaker-open',
        ms: 0,
        detail: `open on another instance until ${new Date(7_000).toISOString()}`,
      },
      { provider: 'resting', outcome: 'cooling-down', ms: 0, detail: `until ${new Date(5_000).toISOString()}` },
      { provider: 'spent', outcome: 'budget-skip', ms: 0, detail: 'day budget spent (5 of 5)' },
    ]);
    expect(split.retryAfterMs).toBe(4_000);
  });
});
