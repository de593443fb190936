import { createHash } from 'node:crypto';
import type { Strategy } from './strategy.js';

/**
 * Rendezvous (highest-random-weight) hashing: each vendor draws a hash of key + name and the highest draw wins. A key
 * stays on its vendor while that vendor is a candidate; when one leaves, only the keys it held move (to their
 * second-highest draw, which is also the failover order). Weighted: the draw is −weight / ln(h).
 */
export function consistentHashStrategy(): Strategy {
  return {
    name: 'consistent-hash',
    order(candidates, { key }) {
      return candidates
        .map((candidate) => ({
          candidate,
          draw: rendezvousDraw(key, candidate.vendor.name, candidate.vendor.config.weight),
        }))
        .sort((a, b) => b.draw - a.draw)
        .map(({ candidate }) => candidate);
    },
  };
}

export function rendezvousDraw(key: string, vendor: string, weight: number): number {
  const digest = createHash('sha1').update(`${key}\u0000${vendor}`).digest();
  // 48 bits give a uniform h in (0, 1); ln(h) < 0, so the draw is positive and grows with the weight.
  const h = (digest.readUIntBE(0, 6) + 1) / (2 ** 48 + 2);
  return -weight / Math.log(h);
}
