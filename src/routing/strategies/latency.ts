import { byPriority, type Strategy } from './strategy.js';

/** Fastest moving-average latency first; a vendor not yet measured goes first once, so it gets measured. */
export function latencyStrategy(): Strategy {
  return {
    name: 'latency',
    order: (candidates) =>
      [...candidates].sort((a, b) => (a.latencyMs ?? -1) - (b.latencyMs ?? -1) || byPriority(a, b)),
  };
}
