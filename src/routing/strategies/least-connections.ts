import { byPriority, type Strategy } from './strategy.js';

/** Fewest calls in flight first: slow vendors collect in-flight calls and so take less new traffic. */
export function leastConnectionsStrategy(): Strategy {
  return {
    name: 'least-connections',
    order: (candidates) => [...candidates].sort((a, b) => a.inFlight - b.inFlight || byPriority(a, b)),
  };
}
