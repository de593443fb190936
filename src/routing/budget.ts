import type { BudgetConfig } from '../config/schema.js';
import type { RouterEventEmitter } from '../core/events.js';
import type { MetricsStore } from '../store/metrics-store.js';
import { utcDay, utcMonth } from '../store/metrics-store.js';

export type BudgetPeriod = 'day' | 'month';

/** One capped period of one vendor: its cap and what was spent, in the currency of costPerCall. */
export interface BudgetState {
  period: BudgetPeriod;
  limit: number;
  spent: number;
}

/** The share of a cap at which budgetWarning is told (and the alert fires: config/alerts.yml). */
export const budgetWarningShare = 0.8;

const periods: readonly { period: BudgetPeriod; cap: keyof BudgetConfig; key: (now: number) => string }[] = [
  { period: 'day', cap: 'daily', key: utcDay },
  { period: 'month', cap: 'monthly', key: utcMonth },
];

/**
 * Spend caps per vendor (providers.NAME.budget): what the metrics store counts, shared by every instance when Redis is
 * set, against the cap of the UTC day and month. A vendor at 100 % of either is passed over like one out of quota
 * (`budget-skip`); budgetWarning and budgetExhausted are told once per vendor, period and level.
 */
export class BudgetGuard {
  /** `vendor|period|event` → the period it was last told for. */
  private readonly told = new Map<string, string>();

  constructor(
    private readonly store: MetricsStore,
    private readonly events: RouterEventEmitter,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every capped period of `vendor` and what it spent in it. */
  states(vendor: string, budget: BudgetConfig): BudgetState[] {
    const capped = periods.filter(({ cap }) => budget[cap] !== undefined);
    if (capped.length === 0) return [];
    const spend = this.store.spend(vendor);
    return capped.map(({ period, cap }) => ({ period, limit: budget[cap] ?? 0, spent: spend[period] }));
  }

  /** Why `vendor` may not be called now (a spent cap), or null; tells each crossing of 80 % and 100 % once. */
  refusal(vendor: string, budget: BudgetConfig): string | null {
    let refusal: string | null = null;
    for (const state of this.states(vendor, budget)) {
      const { period, limit, spent } = state;
      // A spend that jumps past both thresholds at once is told both, warning first.
      if (spent >= budgetWarningShare * limit) this.tell('budgetWarning', vendor, state);
      if (spent >= limit) {
        this.tell('budgetExhausted', vendor, state);
        refusal ??= `${period} budget spent (${round(spent)} of ${limit})`;
      }
    }
    return refusal;
  }

  private tell(event: 'budgetWarning' | 'budgetExhausted', vendor: string, state: BudgetState): void {
    const periodKey = periods.find((entry) => entry.period === state.period)?.key(this.now()) ?? '';
    const id = `${vendor}|${state.period}|${event}`;
    if (this.told.get(id) === periodKey) return;
    this.told.set(id, periodKey);
    this.events.emit(event, { provider: vendor, period: state.period, spent: round(state.spent), limit: state.limit });
  }
}

function round(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}
