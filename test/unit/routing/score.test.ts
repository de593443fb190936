import { describe, expect, it } from 'vitest';
import { healthScore, type ScoreInputs } from '../../../src/routing/score.js';

const perfect: ScoreInputs = {
  checks: { total: 10, passed: 10 },
  breaker: 'closed',
  latencyMs: 0,
  errorRate: 0,
  costPerCall: 0,
  maxCostPerCall: 0.01,
  tier: 1,
};

describe('healthScore', () => {
  it('gives a perfect tier-1 vendor 1', () => {
    expect(healthScore(perfect, 500)).toEqual({
      value: 1,
      parts: { uptime: 1, latency: 1, errors: 1, cost: 1, tierMultiplier: 1 },
    });
  });

  it('weighs uptime 0.4, latency 0.3, errors 0.2 and cost 0.1, times the tier multiplier', () => {
    const score = healthScore(
      {
        checks: { total: 4, passed: 3 },
        breaker: 'closed',
        latencyMs: 500,
        errorRate: 0.1,
        costPerCall: 0.005,
        maxCostPerCall: 0.01,
        tier: 2,
      },
      500,
    );
    expect(score.parts).toEqual({ uptime: 0.75, latency: 0.5, errors: 0.9, cost: 0.5, tierMultiplier: 0.8 });
    expect(score.value).toBeCloseTo(0.8 * (0.4 * 0.75 + 0.3 * 0.5 + 0.2 * 0.9 + 0.1 * 0.5), 3);
  });

  it('lets the breaker stand in for uptime when a vendor has no health checks', () => {
    const passive = { ...perfect, checks: { total: 0, passed: 0 } };
    expect(healthScore({ ...passive, breaker: 'closed' }, 500).parts.uptime).toBe(1);
    expect(healthScore({ ...passive, breaker: 'half-open' }, 500).parts.uptime).toBe(0.5);
    expect(healthScore({ ...passive, breaker: 'open' }, 500).parts.uptime).toBe(0);
  });

  it('treats an unmeasured vendor as exactly as fast as the reference, and without traffic as error-free', () => {
    const parts = healthScore({ ...perfect, latencyMs: null, errorRate: null }, 200).parts;
    expect(parts.latency).toBe(0.5);
    expect(parts.errors).toBe(1);
  });

  it('rates cost against the dearest vendor, and every vendor as cheap when all are free', () => {
    expect(healthScore({ ...perfect, costPerCall: 0.01 }, 500).parts.cost).toBe(0);
    expect(healthScore({ ...perfect, maxCostPerCall: 0 }, 500).parts.cost).toBe(1);
  });

  it('ranks a slow vendor below a fast one and a lower tier below a higher one', () => {
    expect(healthScore({ ...perfect, latencyMs: 900 }, 300).value).toBeLessThan(
      healthScore({ ...perfect, latencyMs: 30 }, 300).value,
    );
    expect(healthScore({ ...perfect, tier: 3 }, 500).value).toBeCloseTo(1 / 1.5, 3);
  });
});
