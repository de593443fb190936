import { HedgeCancel } from '../resilience/hedging.js';

/** One vendor's place in the race. */
export interface RaceEntry<I> {
  item: I;
  /** How long to wait on this attempt before starting the next one beside it; null: never hedge away from it. */
  hedgeAfterMs: number | null;
  /**
   * False for a half-open vendor: its single probe must finish on its own (cancelling it would close the breaker
   * unproven), so it is never started beside another attempt nor cancelled when another wins.
   */
  cancellable: boolean;
}

export interface RaceResult<I, R> {
  item: I;
  result: R;
}

interface Lane<I, R> {
  entry: RaceEntry<I>;
  startedAt: number;
  controller: AbortController;
  done: Promise<{ lane: Lane<I, R>; result: R }>;
}

/**
 * Failover with hedging, as a sequence of results. Attempts start in the entries' order: each failure starts the next
 * at once, and an attempt that has not answered within its hedge delay gets the next one started beside it. The
 * caller reads results as they settle and decides when it has enough (an answer, a 404 quorum); then `stop()`
 * cancels whatever still runs (reason HedgeCancel) and waits for it, so quota slots are freed and every outcome is
 * recorded. `run` must not reject: an attempt reports its failures as results.
 */
export class FailoverRace<I, R> {
  private readonly running = new Set<Lane<I, R>>();
  private next = 0;

  constructor(
    private readonly entries: readonly RaceEntry<I>[],
    /** Starts an attempt; `stop()` aborts its controller (reason HedgeCancel), which the attempt may abort as well. */
    private readonly run: (item: I, cancel: AbortController) => Promise<R>,
    /** No new attempt starts once this is true (the request's deadline). */
    private readonly expired: () => boolean,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RaceResult<I, R>, void, undefined> {
    this.start();
    while (this.running.size > 0) {
      const timer = this.hedgeTimer();
      const first = await Promise.race([...[...this.running].map((lane) => lane.done), ...(timer ? [timer.due] : [])]);
      timer?.cancel();
      if (first === 'hedge') {
        this.start();
        continue;
      }
      this.running.delete(first.lane);
      yield { item: first.lane.entry.item, result: first.result };
      if (this.running.size === 0) this.start();
    }
  }

  /**
   * Ends the race: cancels the attempts still running and returns how they ended. A loser that already ran past its
   * hedge delay is cancelled as `slow`, so it counts as a timeout against its vendor (a hanging vendor must still trip
   * its breaker even though hedging spared the client the wait); a quick loser is simply dropped.
   */
  async stop(): Promise<RaceResult<I, R>[]> {
    const cancelled: Promise<{ lane: Lane<I, R>; result: R }>[] = [];
    for (const lane of this.running) {
      if (!lane.entry.cancellable) continue;
      const delay = lane.entry.hedgeAfterMs;
      lane.controller.abort(new HedgeCancel(delay !== null && performance.now() - lane.startedAt >= delay));
      cancelled.push(lane.done);
    }
    this.running.clear();
    this.next = this.entries.length;
    const settled = await Promise.all(cancelled);
    return settled.map(({ lane, result }) => ({ item: lane.entry.item, result }));
  }

  private start(): void {
    const entry = this.entries[this.next];
    if (entry === undefined || this.expired()) return;
    this.next += 1;
    const controller = new AbortController();
    const lane: Lane<I, R> = { entry, startedAt: performance.now(), controller, done: undefined as never };
    lane.done = this.run(entry.item, controller).then((result) => ({ lane, result }));
    this.running.add(lane);
  }

  /** Due when the newest attempt has waited out its hedge delay and the next one may start beside it. */
  private hedgeTimer(): { due: Promise<'hedge'>; cancel: () => void } | null {
    const newest = [...this.running].at(-1);
    const upcoming = this.entries[this.next];
    const delay = newest?.entry.hedgeAfterMs ?? null;
    if (!newest || upcoming === undefined || !upcoming.cancellable || delay === null) return null;
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<'hedge'>((resolve) => {
      timer = setTimeout(() => resolve('hedge'), Math.max(0, newest.startedAt + delay - performance.now()));
    });
    return { due, cancel: () => clearTimeout(timer) };
  }
}
