import type { BreakerState } from '../resilience/breaker.js';

/** The weights of the health score's parts; they sum to 1 so a perfect tier-1 vendor scores 1. */
export const scoreWeights = { uptime: 0.4, latency: 0.3, errors: 0.2, cost: 0.1 } as const;

export interface ScoreInputs {
  /** Active health checks in the window; total 0 for vendors without a health endpoint. */
  checks: { total: number; passed: number };
  breaker: BreakerState;
  /** Mean latency of good answers in the window, or null without any. */
  latencyMs: number | null;
  /** Share of live calls in the window that failed for the vendor's own reasons, or null without calls. */
  errorRate: number | null;
  costPerCall: number;
  /** The dearest enabled vendor's costPerCall: cost is scored relative to it. */
  maxCostPerCall: number;
  tier: number;
}

export interface HealthScore {
  value: number;
  parts: { uptime: number; latency: number; errors: number; cost: number; tierMultiplier: number };
}

/**
 * score = tierMultiplier × (0.4 uptime + 0.3 latency + 0.2 (1 − error rate) + 0.1 cost), each part in [0, 1]:
 * - uptime: passing health checks in the window; without checks (passive-only vendors) the breaker stands in:
 *   closed 1, half-open 0.5, open 0;
 * - latency: ref / (ref + mean), so a vendor as fast as the reference latency gets 0.5, an instant one 1; unknown
 *   latency counts as the reference, neither favoured nor punished;
 * - errors: 1 − error rate (1 without traffic);
 * - cost: 1 − cost / dearest cost (free vendors 1; all equal: 1);
 * - tierMultiplier: 1 / (1 + 0.25 (tier − 1)): tier 1 ×1, tier 2 ×0.8, tier 3 ×0.67.
 */
export function healthScore(inputs: ScoreInputs, referenceLatencyMs: number): HealthScore {
  const uptime =
    inputs.checks.total > 0
      ? inputs.checks.passed / inputs.checks.total
      : inputs.breaker === 'closed'
        ? 1
        : inputs.breaker === 'half-open'
          ? 0.5
          : 0;
  const latency = referenceLatencyMs / (referenceLatencyMs + (inputs.latencyMs ?? referenceLatencyMs));
  const errors = 1 - (inputs.errorRate ?? 0);
  const cost = inputs.maxCostPerCall > 0 ? 1 - inputs.costPerCall / inputs.maxCostPerCall : 1;
  const tierMultiplier = 1 / (1 + 0.25 * (inputs.tier - 1));
  const weighted =
    scoreWeights.uptime * uptime +
    scoreWeights.latency * latency +
    scoreWeights.errors * errors +
    scoreWeights.cost * cost;
  return {
    value: round3(tierMultiplier * weighted),
    parts: {
      uptime: round3(uptime),
      latency: round3(latency),
      errors: round3(errors),
      cost: round3(cost),
      tierMultiplier: round3(tierMultiplier),
    },
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
