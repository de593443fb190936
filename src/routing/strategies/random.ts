import type { Strategy } from './strategy.js';

/** A uniform shuffle (Fisher–Yates): every order equally likely. */
export function randomStrategy(): Strategy {
  return {
    name: 'random',
    order(candidates, { random }) {
      const shuffled = [...candidates];
      for (let i = shuffled.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [
          shuffled[j] as (typeof shuffled)[number],
          shuffled[i] as (typeof shuffled)[number],
        ];
      }
      return shuffled;
    },
  };
}
