import { byPriority, type Strategy } from './strategy.js';

/** Tier order (1 first); within a tier the heavier weight, then the name. */
export function priorityStrategy(): Strategy {
  return {
    name: 'priority',
    order: (candidates) => [...candidates].sort(byPriority),
  };
}
