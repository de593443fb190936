import { byPriority, weightedPick, type Strategy } from './strategy.js';

/**
 * The default: the better half by health score, and among it a weighted random pick (weight = score), so the best
 * vendor takes most traffic while the runner-up keeps enough to stay measured. The rest follow by score.
 */
export function healthBasedStrategy(): Strategy {
  return {
    name: 'health-based',
    order(candidates, { random }) {
      const ranked = [...candidates].sort((a, b) => b.score - a.score || byPriority(a, b));
      const top = ranked.slice(0, Math.ceil(ranked.length / 2));
      const chosen =
        top[
          weightedPick(
            top.map((candidate) => candidate.score),
            random,
          )
        ];
      return chosen ? [chosen, ...ranked.filter((candidate) => candidate !== chosen)] : ranked;
    },
  };
}
