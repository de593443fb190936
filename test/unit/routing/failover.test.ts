import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HedgeCancel } from '../../../src/resilience/hedging.js';
import { FailoverRace } from '../../../src/routing/failover.js';

interface Plan {
  name: string;
  /** When it answers, in ms after it starts; null: never (until cancelled). */
  afterMs: number | null;
  ok: boolean;
  hedgeAfterMs?: number | null;
  cancellable?: boolean;
}
type Verdict = 'won' | 'continue' | 'stop';

/** Runs a race over scripted attempts on the fake clock; returns what started, when, and how each ended. */
async function race(plans: Plan[], verdictOf = (ok: boolean): Verdict => (ok ? 'won' : 'continue')) {
  const log: string[] = [];
  const start = Date.now();
  const describe = (plan: Plan, result: { ok: boolean; cancelled?: HedgeCancel }) => {
    const how = result.cancelled ? `cancelled${result.cancelled.slow ? ' (slow)' : ''}` : result.ok ? 'ok' : 'failed';
    log.push(`${plan.name} ${how} @${Date.now() - start}`);
  };
  const failover = new FailoverRace<Plan, { name: string; ok: boolean; cancelled?: HedgeCancel }>(
    plans.map((plan) => ({
      item: plan,
      hedgeAfterMs: plan.hedgeAfterMs === undefined ? 100 : plan.hedgeAfterMs,
      cancellable: plan.cancellable ?? true,
    })),
    (plan, { signal }) => {
      log.push(`start ${plan.name} @${Date.now() - start}`);
      return new Promise((resolve) => {
        const timer = plan.afterMs === null ? undefined : setTimeout(() => resolve(plan), plan.afterMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve({ name: plan.name, ok: false, cancelled: signal.reason as HedgeCancel });
        });
      });
    },
    () => false,
  );
  const consume = async () => {
    for await (const { item, result } of failover) {
      describe(item, result);
      if (verdictOf(result.ok) !== 'continue') break;
    }
    for (const { item, result } of await failover.stop()) describe(item, result);
  };
  const done = consume();
  await vi.runAllTimersAsync();
  await done;
  return log;
}

describe('FailoverRace', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  it('starts the next vendor beside a slow one after its hedge delay; the first answer wins and the loser is cancelled as slow', async () => {
    const log = await race([
      { name: 'a', afterMs: null, ok: true },
      { name: 'b', afterMs: 30, ok: true },
    ]);
    expect(log).toEqual(['start a @0', 'start b @100', 'b ok @130', 'a cancelled (slow) @130']);
  });

  it('does not hedge when the first answers in time', async () => {
    const log = await race([
      { name: 'a', afterMs: 40, ok: true },
      { name: 'b', afterMs: 10, ok: true },
    ]);
    expect(log).toEqual(['start a @0', 'a ok @40']);
  });

  it('moves on at once when an attempt fails, without waiting for the delay', async () => {
    const log = await race([
      { name: 'a', afterMs: 5, ok: false },
      { name: 'b', afterMs: 5, ok: true },
    ]);
    expect(log).toEqual(['start a @0', 'a failed @5', 'start b @5', 'b ok @10']);
  });

  it('cancels a quick loser as not slow: the hedge started late and lost fairly', async () => {
    const log = await race([
      { name: 'a', afterMs: 120, ok: true },
      { name: 'b', afterMs: 50, ok: true },
    ]);
    expect(log).toEqual(['start a @0', 'start b @100', 'a ok @120', 'b cancelled @120']);
  });

  it('never hedges onto a vendor that may not be cancelled (a half-open probe), and waits for the current one instead', async () => {
    const log = await race([
      { name: 'a', afterMs: 300, ok: false },
      { name: 'half-open', afterMs: 10, ok: true, cancellable: false },
    ]);
    expect(log).toEqual(['start a @0', 'a failed @300', 'start half-open @300', 'half-open ok @310']);
  });

  it('stops on a stop verdict and cancels the rest', async () => {
    const log = await race(
      [
        { name: 'a', afterMs: null, ok: false },
        { name: 'b', afterMs: 10, ok: false },
        { name: 'c', afterMs: 10, ok: true },
      ],
      () => 'stop',
    );
    expect(log).toEqual(['start a @0', 'start b @100', 'b failed @110', 'a cancelled (slow) @110']);
  });

  it('keeps hedging down the list while every attempt hangs', async () => {
    const log = await race([
      { name: 'a', afterMs: null, ok: true },
      { name: 'b', afterMs: null, ok: true },
      { name: 'c', afterMs: 10, ok: true },
    ]);
    expect(log.slice(0, 4)).toEqual(['start a @0', 'start b @100', 'start c @200', 'c ok @210']);
  });
});
