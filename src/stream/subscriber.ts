import type { StreamUpdate } from './topics.js';

/** Where one subscriber's updates go: a WebSocket or an SSE response, as the HTTP layer wraps it. */
export interface SubscriberSink {
  /** Bytes written and not yet taken by the client (ws bufferedAmount, the response's writableLength). */
  buffered(): number;
  send(update: StreamUpdate): void;
  /** Ends the stream; `code` is a WebSocket close code (1001 going away, 1013 slow consumer). */
  close(code: number, reason: string): void;
}

export interface SubscriberLimits {
  /** Above this many unread bytes, updates wait in the subscriber's conflation map instead of the socket. */
  bufferBytes: number;
  /** Conflated without pause this long: disconnected. */
  slowConsumerMs: number;
}

/** Counters every subscriber adds to (StreamStats). */
export interface SubscriberCounters {
  delivered: number;
  conflated: number;
  slowDisconnects: number;
}

export const slowConsumerCloseCode = 1013;

/**
 * One client's stream with bounded memory (docs/streaming.md#backpressure). While the client keeps up, updates go
 * straight to its socket. Once it has `bufferBytes` unread, new updates wait in a map holding the latest per topic, so
 * a burst costs at most one entry per subscribed symbol (the update objects are shared with every other subscriber);
 * an update replacing a waiting one is a conflation. The hub flushes the map as the socket drains; a subscriber
 * still behind after `slowConsumerMs` is disconnected. The socket never holds more than `bufferBytes` plus one message.
 */
export class Subscriber {
  /** Topics (topicKey) this subscriber follows; the hub keeps it in step. */
  readonly topics = new Set<string>();
  private readonly waiting = new Map<string, StreamUpdate>();
  private behindSince: number | null = null;
  private closed = false;

  constructor(
    private readonly sink: SubscriberSink,
    private readonly limits: SubscriberLimits,
    private readonly counters: SubscriberCounters,
  ) {}

  /** Sends or conflates one update; true when the subscriber is now behind and needs flushing. */
  push(topic: string, update: StreamUpdate, now: number): boolean {
    if (this.closed) return false;
    if (this.waiting.size === 0 && this.sink.buffered() < this.limits.bufferBytes) {
      this.sink.send(update);
      this.counters.delivered += 1;
      return false;
    }
    if (this.waiting.has(topic)) this.counters.conflated += 1;
    this.waiting.set(topic, update);
    this.behindSince ??= now;
    return true;
  }

  /** Sends what waits while the socket has room; true while still behind. Disconnects a subscriber behind too long. */
  flush(now: number): boolean {
    if (this.closed) return false;
    for (const [topic, update] of this.waiting) {
      if (this.sink.buffered() >= this.limits.bufferBytes) break;
      this.waiting.delete(topic);
      this.sink.send(update);
      this.counters.delivered += 1;
    }
    if (this.waiting.size === 0) {
      this.behindSince = null;
      return false;
    }
    if (now - (this.behindSince ?? now) >= this.limits.slowConsumerMs) {
      this.counters.slowDisconnects += 1;
      this.close(slowConsumerCloseCode, 'slow consumer: updates were conflated for too long');
      return false;
    }
    return true;
  }

  /** Updates waiting to be sent (at most one per followed topic). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Forgets a topic's waiting update (the client unsubscribed from it). */
  forget(topic: string): void {
    this.waiting.delete(topic);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting.clear();
    this.sink.close(code, reason);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
