import { byPriority, type Strategy } from './strategy.js';

/** Below this share of any quota window left, a vendor yields to dearer ones so its last calls stay for failover. */
export const lowQuotaShare = 0.1;

/** Cheapest first, among vendors with quota to spare; vendors running low on quota go last, cheapest first. */
export function costStrategy(): Strategy {
  return {
    name: 'cost',
    order: (candidates) =>
      [...candidates].sort(
        (a, b) =>
          Number(a.quotaShareLeft < lowQuotaShare) - Number(b.quotaShareLeft < lowQuotaShare) ||
          a.costPerCall - b.costPerCall ||
          byPriority(a, b),
      ),
  };
}
