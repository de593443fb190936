import type { Strategy } from './strategy.js';

/** Tier order (1 first); within a tier the heavier weight, then the name, so the order is total and stable. */
export const priorityStrategy: Strategy = {
  name: 'priority',
  order(candidates) {
    return [...candidates].sort(
      (a, b) => a.config.tier - b.config.tier || b.config.weight - a.config.weight || a.name.localeCompare(b.name),
    );
  },
};
