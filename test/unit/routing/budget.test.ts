import { beforeEach, describe, expect, it } from 'vitest';
import {
  advanceTo,
  buildEngine,
  reply,
  settle,
  useFakeClock,
  type FakeVendorSpec,
} from '../../helpers/fake-vendors.js';

beforeEach(() => {
  useFakeClock();
});

/** alpha costs 0.25 a call under a cap of 1 a day; bravo, uncapped, is the fallback. */
const vendors = (budget: FakeVendorSpec['budget'] = { daily: 1 }): FakeVendorSpec[] => [
  { name: 'alpha', tier: 1, costPerCall: 0.25, budget, script: [reply.ok(10)] },
  { name: 'bravo', tier: 2, script: [reply.ok(10)] },
];

describe('spend caps (providers.NAME.budget)', () => {
  it('skips a vendor whose daily budget is spent, as budget-skip, and fails over to the next one', async () => {
    const engine = buildEngine(vendors());
    for (let call = 0; call < 4; call += 1) expect((await settle(engine.quote())).provider).toBe('alpha');
    const fifth = await settle(engine.quote());
    expect(fifth.provider).toBe('bravo');
    expect(fifth.attempts).toEqual([
      { provider: 'alpha', outcome: 'budget-skip', ms: 0, detail: 'day budget spent (1 of 1)' },
      { provider: 'bravo', outcome: 'ok', ms: 10 },
    ]);
    expect(engine.client('alpha').calls).toHaveLength(4);
  });

  it('tells budgetWarning at 80 % and budgetExhausted at 100 %, once each per period', async () => {
    const engine = buildEngine([
      { name: 'alpha', costPerCall: 0.2, budget: { daily: 1 } },
      { name: 'bravo', tier: 2 },
    ]);
    for (let call = 0; call < 4; call += 1) await settle(engine.quote());
    expect(engine.log.of('budgetWarning')).toEqual([]);
    await settle(engine.quote());
    expect(engine.log.of('budgetWarning')).toEqual([{ provider: 'alpha', period: 'day', spent: 0.8, limit: 1 }]);
    for (let call = 0; call < 5; call += 1) await settle(engine.quote());
    expect(engine.log.of('budgetWarning')).toHaveLength(1);
    expect(engine.log.of('budgetExhausted')).toEqual([{ provider: 'alpha', period: 'day', spent: 1, limit: 1 }]);
  });

  it('tells both when one call jumps past 80 % and 100 %', async () => {
    const engine = buildEngine(vendors());
    for (let call = 0; call < 5; call += 1) await settle(engine.quote());
    expect(engine.log.of('budgetWarning')).toEqual([{ provider: 'alpha', period: 'day', spent: 1, limit: 1 }]);
    expect(engine.log.of('budgetExhausted')).toEqual([{ provider: 'alpha', period: 'day', spent: 1, limit: 1 }]);
  });

  it('takes the vendor back when the UTC day ends, and tells the next day its own crossings', async () => {
    const engine = buildEngine(vendors());
    for (let call = 0; call < 5; call += 1) await settle(engine.quote());
    expect((await settle(engine.quote())).provider).toBe('bravo');
    // The clock starts at 14:30Z: the next UTC day begins 9.5 hours later.
    await advanceTo(9.5 * 3_600_000);
    expect((await settle(engine.quote())).provider).toBe('alpha');
    for (let call = 0; call < 4; call += 1) await settle(engine.quote());
    expect(engine.log.of('budgetExhausted')).toHaveLength(2);
  });

  it('caps a month too: the monthly budget holds across days', async () => {
    const engine = buildEngine(vendors({ monthly: 0.5 }));
    await settle(engine.quote());
    await advanceTo(9.5 * 3_600_000);
    await settle(engine.quote());
    const third = await settle(engine.quote());
    expect(third.attempts[0]).toEqual({
      provider: 'alpha',
      outcome: 'budget-skip',
      ms: 0,
      detail: 'month budget spent (0.5 of 0.5)',
    });
    expect(engine.router.budget.states('alpha', engine.vendor('alpha').config.budget)).toEqual([
      { period: 'month', limit: 0.5, spent: 0.5 },
    ]);
  });

  it('counts only calls that reached the vendor, and never caps a vendor without a budget', async () => {
    const engine = buildEngine(vendors({}));
    for (let call = 0; call < 10; call += 1) expect((await settle(engine.quote())).provider).toBe('alpha');
    expect(engine.router.budget.states('alpha', engine.vendor('alpha').config.budget)).toEqual([]);
    expect(engine.store.spend('alpha')).toEqual({ day: 2.5, month: 2.5 });
  });
});
