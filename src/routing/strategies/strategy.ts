import type { StrategyName } from '../../config/schema.js';
import type { VendorRuntime } from '../../vendors/registry.js';

/** A vendor that may take this request, with what the strategies read about it, sampled once per request. */
export interface Candidate {
  vendor: VendorRuntime;
  /** Health score, 0–1 (see score.ts). */
  score: number;
  inFlight: number;
  /** Moving average of live latency; null before the first call. */
  latencyMs: number | null;
  costPerCall: number;
  /** The fullest-spent quota window's share left, 0–1 (1 without windows). */
  quotaShareLeft: number;
}

export interface SelectionContext {
  /** What the request is about (a symbol, a pair), for strategies that keep a key on one vendor. */
  key: string;
  /** Injected so tests can fix it. */
  random: () => number;
}

/**
 * Orders the candidates for one request: the first is tried first, the rest are the failover (and hedge) order.
 * One instance serves one capability, so stateful strategies (round-robin) rotate per capability.
 */
export interface Strategy {
  readonly name: StrategyName;
  order(candidates: readonly Candidate[], context: SelectionContext): Candidate[];
}

/** Tier (1 first), then the heavier weight, then the name: a total, stable order every strategy breaks ties with. */
export function byPriority(a: Candidate, b: Candidate): number {
  return (
    a.vendor.config.tier - b.vendor.config.tier ||
    b.vendor.config.weight - a.vendor.config.weight ||
    a.vendor.name.localeCompare(b.vendor.name)
  );
}

/** Picks one index with probability proportional to its weight (all zero: uniform). */
export function weightedPick(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return Math.min(weights.length - 1, Math.floor(random() * weights.length));
  let point = random() * total;
  for (const [index, weight] of weights.entries()) {
    point -= weight;
    if (point < 0) return index;
  }
  return weights.length - 1;
}

/** The chosen candidate first, then the others in priority order. */
export function chosenFirst(candidates: readonly Candidate[], chosen: Candidate): Candidate[] {
  return [chosen, ...candidates.filter((candidate) => candidate !== chosen).sort(byPriority)];
}
