import { chosenFirst, type Strategy } from './strategy.js';

/**
 * Smooth weighted round-robin (nginx's): every turn each candidate gains its weight, the richest is chosen and pays
 * the total back. Shares match the weights exactly over any full cycle, without bursts to one vendor.
 */
export function weightedRoundRobinStrategy(): Strategy {
  const current = new Map<string, number>();
  return {
    name: 'weighted-round-robin',
    order(candidates) {
      let chosen = candidates[0];
      if (!chosen) return [];
      let total = 0;
      let best = -Infinity;
      for (const candidate of candidates) {
        const weight = candidate.vendor.config.weight;
        total += weight;
        const credit = (current.get(candidate.vendor.name) ?? 0) + weight;
        current.set(candidate.vendor.name, credit);
        if (credit > best) {
          best = credit;
          chosen = candidate;
        }
      }
      current.set(chosen.vendor.name, best - total);
      return chosenFirst(candidates, chosen);
    },
  };
}
