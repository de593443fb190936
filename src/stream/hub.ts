import type { StreamChannel } from '../core/index.js';
import type { Subscriber } from './subscriber.js';
import { topicKey, type StreamUpdate } from './topics.js';

/** Where the hub gets a topic's updates from: the first subscriber acquires it, the last one to leave releases it. */
export interface TopicSource {
  acquire(channel: StreamChannel, symbol: string): void;
  release(channel: StreamChannel, symbol: string): void;
}

/** How often subscribers that fell behind get their conflated updates flushed, as their sockets drain. */
const flushIntervalMs = 20;

/**
 * Subscriptions per channel and symbol, and the fan-out: an update is published once and pushed to every subscriber
 * of its topic. The first subscriber of a topic acquires it upstream and the last to leave releases it, so the
 * gateway follows a symbol upstream once, however many clients watch it. A new subscriber gets the topic's latest
 * update at once rather than waiting for the next tick.
 */
export class StreamHub {
  /** Per topic, its key (one string shared by every subscriber's topic set) and its subscribers. */
  private readonly subscribers = new Map<string, { topic: string; followers: Set<Subscriber> }>();
  private readonly latest = new Map<string, StreamUpdate>();
  private readonly behind = new Set<Subscriber>();
  private source: TopicSource | null = null;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    this.flushTimer = setInterval(() => this.flushBehind(), flushIntervalMs);
    this.flushTimer.unref();
  }

  /** Set once by the engine: the hub and its source refer to each other (the source publishes into the hub). */
  attach(source: TopicSource): void {
    this.source = source;
  }

  join(subscriber: Subscriber, channel: StreamChannel, symbols: readonly string[]): void {
    const now = this.clock();
    for (const symbol of symbols) {
      const key = topicKey(channel, symbol);
      if (subscriber.topics.has(key)) continue;
      let entry = this.subscribers.get(key);
      if (!entry) {
        entry = { topic: key, followers: new Set() };
        this.subscribers.set(key, entry);
        this.source?.acquire(channel, symbol);
      }
      subscriber.topics.add(entry.topic);
      entry.followers.add(subscriber);
      const last = this.latest.get(key);
      if (last && subscriber.push(entry.topic, last, now)) this.behind.add(subscriber);
    }
  }

  leave(subscriber: Subscriber, channel: StreamChannel, symbols: readonly string[]): void {
    for (const symbol of symbols) {
      const topic = topicKey(channel, symbol);
      if (!subscriber.topics.delete(topic)) continue;
      subscriber.forget(topic);
      const entry = this.subscribers.get(topic);
      entry?.followers.delete(subscriber);
      if (entry?.followers.size === 0) {
        this.subscribers.delete(topic);
        this.latest.delete(topic);
        this.source?.release(channel, symbol);
      }
    }
  }

  /** Leaves every topic; the subscriber's stream is gone. */
  leaveAll(subscriber: Subscriber): void {
    for (const topic of [...subscriber.topics]) {
      const [channel, symbol] = splitTopic(topic);
      this.leave(subscriber, channel, [symbol]);
    }
    this.behind.delete(subscriber);
  }

  publish(update: StreamUpdate): void {
    const entry = this.subscribers.get(topicKey(update.channel, update.symbol));
    if (!entry) return;
    this.latest.set(entry.topic, update);
    const now = this.clock();
    for (const subscriber of entry.followers) {
      if (subscriber.push(entry.topic, update, now)) this.behind.add(subscriber);
    }
  }

  /** Topics with at least one subscriber here. */
  get topicCount(): number {
    return this.subscribers.size;
  }

  /** Subscribers behind right now (their updates are being conflated). */
  get behindCount(): number {
    return this.behind.size;
  }

  close(): void {
    clearInterval(this.flushTimer);
  }

  private flushBehind(): void {
    if (this.behind.size === 0) return;
    const now = this.clock();
    for (const subscriber of this.behind) {
      if (!subscriber.flush(now)) this.behind.delete(subscriber);
    }
  }
}

function splitTopic(topic: string): [StreamChannel, string] {
  const at = topic.indexOf(':');
  return [topic.slice(0, at) as StreamChannel, topic.slice(at + 1)];
}
