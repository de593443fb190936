import type { RoutingConfig } from '../config/schema.js';

/**
 * The reason a hedged attempt is cancelled once another one has answered. `slow`: it had already run past its hedge
 * delay, so it counts as a timeout against its vendor (a vendor that hangs must still trip its breaker, even though
 * hedging spares the client the wait); a quick loser is simply dropped.
 */
export class HedgeCancel extends Error {
  override readonly name = 'HedgeCancel';
  constructor(readonly slow: boolean) {
    super(slow ? 'lost the hedge: slower than its hedge delay' : 'lost the hedge');
  }
}

export function isHedgeCancel(reason: unknown): reason is HedgeCancel {
  return reason instanceof HedgeCancel;
}

/** routing.hedging.afterMs when set; else the vendor's observed p95 within [minAfterMs, maxAfterMs]. */
export function hedgeDelayMs(hedging: RoutingConfig['hedging'], observedP95Ms: number | null): number {
  if (hedging.afterMs !== undefined) return hedging.afterMs;
  if (observedP95Ms === null) return hedging.maxAfterMs;
  return Math.min(hedging.maxAfterMs, Math.max(hedging.minAfterMs, Math.ceil(observedP95Ms)));
}

export type LaneVerdict = 'won' | 'continue' | 'stop';

export interface HedgedRaceOptions<I, R> {
  /** In the order to try them. */
  items: readonly I[];
  run(item: I, signal: AbortSignal): Promise<R>;
  /** How long to wait on `item` before starting the next one beside it; null: never hedge away from it. */
  hedgeAfterMs(item: I): number | null;
  /** Whether `item` may be started as a hedge (beside a running attempt) or cancelled when it loses. */
  mayHedge(item: I): boolean;
  /**
   * Called once per settled attempt: the first 'won' ends the race, 'stop' ends it unanswered. Attempts cancelled at
   * the end are reported too (their verdict is ignored).
   */
  settled(item: I, result: R): LaneVerdict;
  /** No new attempt starts once this is true (the request's deadline). */
  expired(): boolean;
}

interface Lane<I, R> {
  item: I;
  startedAt: number;
  controller: AbortController;
  done: Promise<{ lane: Lane<I, R>; result: R }>;
}

/**
 * Walks `items` in order: each failure starts the next at once, and an attempt that has not answered within its hedge
 * delay gets the next one started beside it. The first winning answer cancels every other running attempt (reason
 * HedgeCancel) and waits for them to settle, so their quota slots are free and their outcomes recorded.
 */
export async function hedgedRace<I, R>(options: HedgedRaceOptions<I, R>): Promise<void> {
  const running = new Set<Lane<I, R>>();
  let next = 0;

  const start = (): boolean => {
    const item = options.items[next];
    if (item === undefined || options.expired()) return false;
    next += 1;
    const controller = new AbortController();
    const lane: Lane<I, R> = { item, startedAt: performance.now(), controller, done: undefined as never };
    lane.done = options.run(item, controller.signal).then((result) => ({ lane, result }));
    running.add(lane);
    return true;
  };

  /** Resolves when the newest running attempt has waited out its hedge delay and the next may start beside it. */
  const hedgeTimer = (): { promise: Promise<'hedge'>; cancel: () => void } | null => {
    const newest = [...running].at(-1);
    const upcoming = options.items[next];
    if (!newest || upcoming === undefined || !options.mayHedge(upcoming)) return null;
    const delay = options.hedgeAfterMs(newest.item);
    if (delay === null) return null;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<'hedge'>((resolve) => {
      timer = setTimeout(() => resolve('hedge'), Math.max(0, newest.startedAt + delay - performance.now()));
    });
    return { promise, cancel: () => clearTimeout(timer) };
  };

  /** Cancels the running attempts (a half-open vendor's probe is left to finish alone) and reports how they ended. */
  const cancelOthers = async (): Promise<void> => {
    const cancelled: Promise<{ lane: Lane<I, R>; result: R }>[] = [];
    for (const lane of running) {
      if (!options.mayHedge(lane.item)) continue;
      const delay = options.hedgeAfterMs(lane.item);
      const slow = delay !== null && performance.now() - lane.startedAt >= delay;
      lane.controller.abort(new HedgeCancel(slow));
      cancelled.push(lane.done);
    }
    for (const { lane, result } of await Promise.all(cancelled)) options.settled(lane.item, result);
  };

  start();
  while (running.size > 0) {
    const timer = hedgeTimer();
    const winner = await Promise.race([...[...running].map((lane) => lane.done), ...(timer ? [timer.promise] : [])]);
    timer?.cancel();
    if (winner === 'hedge') {
      start();
      continue;
    }
    running.delete(winner.lane);
    const verdict = options.settled(winner.lane.item, winner.result);
    if (verdict === 'won' || verdict === 'stop') {
      await cancelOthers();
      return;
    }
    if (running.size === 0) start();
  }
}
