import type { Strategy } from './strategy.js';

/** Each request starts one further along the ring of candidates (sorted by name, so the ring is stable). */
export function roundRobinStrategy(): Strategy {
  let turn = 0;
  return {
    name: 'round-robin',
    order(candidates) {
      const ring = [...candidates].sort((a, b) => a.vendor.name.localeCompare(b.vendor.name));
      if (ring.length === 0) return ring;
      const start = turn % ring.length;
      turn = (turn + 1) % 1_000_000_007;
      return [...ring.slice(start), ...ring.slice(0, start)];
    },
  };
}
