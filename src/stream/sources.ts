import type { StreamChannel, StreamFailoverReason, StreamTick } from '../core/index.js';
import type { TopicSource } from './hub.js';
import { applyTick } from './merge.js';
import type { PolledModel, PollerFeed, PollerListener } from './poller-feed.js';
import { topicKey, type StreamModel, type StreamUpdate } from './topics.js';
import type { VendorFeed, VendorFeedListener } from './vendor-feed.js';

/** A symbol's REST answer: what a new topic starts from, and what a vendor's first tick is merged into. */
export type SeedRead = (channel: StreamChannel, symbol: string) => Promise<PolledModel | null>;

export interface SourcesListener {
  update(update: StreamUpdate): void;
  failover(event: { channel: StreamChannel; from: string; to: string; reason: StreamFailoverReason }): void;
  /** A tick or a polled answer accepted from `source` (metrics: messages in). */
  received(source: string): void;
}

/** Ticks kept per symbol while its seed is read; a vendor sends a handful in that time. */
const maxTicksWhileSeeding = 64;

type Source = VendorFeed | PollerFeed;

/**
 * Which source serves each channel, and failover between them (docs/streaming.md#failover). A channel's sources are
 * its streaming vendors, best first, then the poller. The first vendor feed that is not failing holds the channel's
 * symbols (one upstream subscription per symbol); a better feed that failed keeps them too, reconnecting in the
 * background with backoff, and takes over again once live (`recovered`). Updates are published from the best live
 * feed, or the poller while none is live, so a dropped or silent socket hands over to the poller at once (one REST
 * read) and then to the next vendor when its socket is live: subscribers see `source` change, not a gap.
 * Ticks are merged into each symbol's last model (merge.ts), whichever source produced it.
 */
export class UpstreamSources implements TopicSource, VendorFeedListener, PollerListener {
  private readonly order = new Map<StreamChannel, VendorFeed[]>();
  private readonly symbols = new Map<StreamChannel, Set<string>>();
  private readonly active = new Map<StreamChannel, Source>();
  /** Channels that left a vendor feed; the move back to a vendor is reported as recovered. */
  private readonly failedOver = new Set<StreamChannel>();
  private readonly latest = new Map<string, StreamModel>();
  private readonly seeding = new Map<string, { vendor: string | null; ticks: StreamTick[] }>();
  private readonly dirty = new Set<StreamChannel>();
  private reconciling = false;
  private poller: PollerFeed | null = null;

  constructor(
    private readonly seed: SeedRead,
    private readonly listener: SourcesListener,
  ) {}

  /** Wires the sources once built (they take this object as their listener). */
  use(poller: PollerFeed, order: ReadonlyMap<StreamChannel, VendorFeed[]>): void {
    this.poller = poller;
    for (const [channel, feeds] of order) this.order.set(channel, feeds);
  }

  acquire(channel: StreamChannel, symbol: string): void {
    const set = this.symbols.get(channel) ?? new Set<string>();
    this.symbols.set(channel, set);
    set.add(symbol);
    this.reconcile(channel);
    // The poller reads a symbol as it gets it; a vendor socket may stay quiet a while: read the REST answer now, so
    // subscribers get the symbol at once, and the vendor's first tick has something to merge into.
    if (this.active.get(channel) !== this.poller) this.startSeed(channel, symbol, null);
  }

  release(channel: StreamChannel, symbol: string): void {
    this.symbols.get(channel)?.delete(symbol);
    const topic = topicKey(channel, symbol);
    this.latest.delete(topic);
    this.seeding.delete(topic);
    for (const feed of this.order.get(channel) ?? []) feed.remove(channel, [symbol]);
    this.poller?.remove(channel, [symbol]);
  }

  /** The source publishing each channel now: a vendor name or `poller`. */
  activeSources(): Map<StreamChannel, string> {
    return new Map([...this.active].map(([channel, source]) => [channel, sourceName(source)]));
  }

  stateChanged(feed: VendorFeed): void {
    for (const channel of feed.channels) this.reconcile(channel);
  }

  tick(feed: VendorFeed, tick: StreamTick): void {
    if (this.active.get(tick.channel) !== feed) return;
    this.listener.received(feed.vendor);
    const topic = topicKey(tick.channel, tick.symbol);
    const base = this.latest.get(topic);
    if (base !== undefined) {
      this.publish(tick.channel, tick.symbol, feed.vendor, 'stream', applyTick(base, tick));
      return;
    }
    const pending = this.seeding.get(topic);
    if (pending) {
      if (pending.ticks.length >= maxTicksWhileSeeding) pending.ticks.shift();
      pending.ticks.push(tick);
      pending.vendor = feed.vendor;
      return;
    }
    this.startSeed(tick.channel, tick.symbol, tick, feed.vendor);
  }

  private startSeed(channel: StreamChannel, symbol: string, tick: StreamTick | null, vendor: string | null = null) {
    const topic = topicKey(channel, symbol);
    if (this.seeding.has(topic)) return;
    const entry = { vendor, ticks: tick ? [tick] : [] };
    this.seeding.set(topic, entry);
    this.seed(channel, symbol)
      .catch(() => null)
      .then(
        (seeded) => {
          if (this.seeding.get(topic) !== entry) return;
          this.seeding.delete(topic);
          const last = this.latest.get(topic);
          if (last && entry.ticks.length === 0) return; // the poller or the vendor was first
          let model = last ?? seeded?.data;
          for (const buffered of entry.ticks) model = applyTick(model, buffered);
          if (!model) return;
          if (entry.vendor) this.publish(channel, symbol, entry.vendor, 'stream', model);
          else if (seeded) this.publish(channel, symbol, seeded.provider, 'poll', model);
        },
        () => undefined,
      );
  }

  model(channel: StreamChannel, polled: PolledModel): void {
    const last = this.latest.get(topicKey(channel, polled.symbol));
    // A vendor socket that went live while this read was out takes over, unless nothing was published yet or the
    // vendor's connection cap leaves the symbol to the poller.
    const active = this.active.get(channel);
    const polledHere = active === this.poller || (active as VendorFeed | undefined)?.isOverflow(channel, polled.symbol);
    if (!polledHere && last) return;
    this.listener.received(this.poller?.name ?? 'poller');
    if (last && last.price === polled.data.price && last.asOf === polled.data.asOf) return;
    this.publish(channel, polled.symbol, polled.provider, 'poll', polled.data);
  }

  private publish(channel: StreamChannel, symbol: string, source: string, via: StreamUpdate['via'], data: StreamModel) {
    if (!this.symbols.get(channel)?.has(symbol)) return;
    this.latest.set(topicKey(channel, symbol), data);
    this.listener.update({ channel, symbol, source, via, data });
  }

  /**
   * Gives the channel's symbols to the sources that should hold them and takes them from the others. Feeds call
   * back (stateChanged) while being changed: those calls only mark the channel, and the loop runs again.
   */
  private reconcile(channel: StreamChannel): void {
    this.dirty.add(channel);
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      while (this.dirty.size > 0) {
        const next = this.dirty.values().next().value as StreamChannel;
        this.dirty.delete(next);
        this.reconcileOnce(next);
      }
    } finally {
      this.reconciling = false;
    }
  }

  private reconcileOnce(channel: StreamChannel): void {
    const poller = this.poller;
    if (!poller) return;
    const symbols = [...(this.symbols.get(channel) ?? [])];
    const feeds = this.order.get(channel) ?? [];
    if (symbols.length === 0) {
      // Nobody follows the channel: its feeds go idle, and no switch is reported.
      this.active.delete(channel);
      return;
    }
    const candidate = feeds.findIndex((feed) => feed.state !== 'failing');
    const holders = candidate === -1 ? feeds : feeds.slice(0, candidate + 1);
    const next: Source = holders.find((feed) => feed.state === 'live') ?? poller;
    const previous = this.active.get(channel);
    this.active.set(channel, next);
    for (const feed of feeds) {
      if (holders.includes(feed)) feed.add(channel, symbols);
      else feed.remove(channel, [...feed.symbols(channel)]);
    }
    // The poller serves the channel while no vendor is live, and a live vendor's symbols past its connection cap.
    const polled = next === poller ? symbols : (next as VendorFeed).overflow(channel);
    const wanted = new Set(polled);
    poller.remove(
      channel,
      [...poller.holds(channel)].filter((symbol) => !wanted.has(symbol)),
    );
    if (polled.length > 0) poller.add(channel, polled);
    if (previous === undefined || previous === next) return;
    this.reportSwitch(channel, previous, next);
  }

  private reportSwitch(channel: StreamChannel, previous: Source, next: Source): void {
    const from = sourceName(previous);
    const to = sourceName(next);
    if (previous !== this.poller) {
      const failedFeed = previous as VendorFeed;
      const reason = failedFeed.state === 'failing' ? failedFeed.failure : 'recovered';
      if (reason !== 'recovered') this.failedOver.add(channel);
      this.listener.failover({ channel, from, to, reason });
    } else if (this.failedOver.delete(channel)) {
      this.listener.failover({ channel, from, to, reason: 'recovered' });
    }
  }
}

function sourceName(source: Source): string {
  return 'vendor' in source ? source.vendor : source.name;
}
