import type { StreamChannel } from '../core/index.js';
import type { StreamModel } from './topics.js';

/** One symbol's REST answer, with the vendor that gave it. */
export interface PolledModel {
  symbol: string;
  data: StreamModel;
  provider: string;
}

/** Reads a channel's symbols through the data service (cache, routing, failover): a batch where the vendor has one. */
export type PollRead = (channel: StreamChannel, symbols: readonly string[]) => Promise<PolledModel[]>;

export interface PollerListener {
  model(channel: StreamChannel, polled: PolledModel): void;
}

/**
 * The last source of every channel: refreshes the symbols it holds every `intervalMs(channel)` (the capability's
 * cache TTL by default, so a refresh is at most one vendor call per symbol or batch per TTL, shared with REST clients
 * through the cache). Symbols it is given are read at once, so a failover from a dead socket reaches subscribers in
 * the time of one REST answer. A read that fails is retried at the next interval.
 */
export class PollerFeed {
  readonly name = 'poller';
  private readonly held = new Map<StreamChannel, Set<string>>();
  private readonly timers = new Map<StreamChannel, NodeJS.Timeout>();

  constructor(
    private readonly read: PollRead,
    private readonly intervalMs: (channel: StreamChannel) => number,
    private readonly listener: PollerListener,
  ) {}

  holds(channel: StreamChannel): ReadonlySet<string> {
    return this.held.get(channel) ?? new Set();
  }

  add(channel: StreamChannel, symbols: readonly string[]): void {
    const set = this.held.get(channel) ?? new Set<string>();
    this.held.set(channel, set);
    const added = symbols.filter((symbol) => !set.has(symbol));
    for (const symbol of added) set.add(symbol);
    if (added.length === 0) return;
    if (!this.timers.has(channel)) {
      const timer = setInterval(() => this.refresh(channel, [...set]), this.intervalMs(channel));
      timer.unref();
      this.timers.set(channel, timer);
    }
    this.refresh(channel, added);
  }

  remove(channel: StreamChannel, symbols: readonly string[]): void {
    const set = this.held.get(channel);
    if (!set) return;
    for (const symbol of symbols) set.delete(symbol);
    if (set.size === 0) {
      clearInterval(this.timers.get(channel));
      this.timers.delete(channel);
    }
  }

  close(): void {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    this.held.clear();
  }

  private refresh(channel: StreamChannel, symbols: readonly string[]): void {
    if (symbols.length === 0) return;
    // Every answer goes to the listener, even for a symbol handed to a vendor meanwhile: it may be its first value.
    this.read(channel, symbols).then(
      (models) => {
        for (const polled of models) this.listener.model(channel, polled);
      },
      // Retried at the next interval; the router has counted the vendor calls (gateway_upstream_requests_total).
      () => undefined,
    );
  }
}
