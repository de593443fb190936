import type { StreamConfig } from '../config/schema.js';
import { GatewayError, type StreamChannel } from '../core/index.js';
import type { StreamHub } from './hub.js';
import { Subscriber, type SubscriberCounters, type SubscriberSink } from './subscriber.js';
import { topicKey } from './topics.js';

/** Who holds a stream, as the HTTP layer's auth resolved it. */
export interface StreamClient {
  /** What limits are counted under (`key:<name>`, `ip:<address>`). */
  id: string;
  /** The key's scopes allow this channel's capability. */
  mayFollow(channel: StreamChannel): boolean;
  maxConnections: number;
  maxSymbols: number;
}

interface ClientUsage {
  connections: number;
  symbols: number;
}

/** Close code when the server goes away (shutdown). */
export const goingAwayCloseCode = 1001;

/**
 * The open streams of this instance, WebSocket and SSE alike, and the limits on them (docs/streaming.md#limits):
 * streams per instance and per client, topics per stream, and topics per client over all its streams. A refusal is a
 * GatewayError, so both transports report it as the same problem.
 */
export class StreamSessions {
  private readonly sessions = new Set<StreamSession>();
  private readonly usage = new Map<string, ClientUsage>();

  constructor(
    private readonly hub: StreamHub,
    private readonly counters: SubscriberCounters,
    private readonly config: StreamConfig,
  ) {}

  open(client: StreamClient, sink: SubscriberSink): StreamSession {
    const usage = this.usage.get(client.id) ?? { connections: 0, symbols: 0 };
    if (this.sessions.size >= this.config.maxConnections || usage.connections >= client.maxConnections) {
      const whose =
        usage.connections >= client.maxConnections
          ? `this client's ${client.maxConnections}`
          : `all ${this.config.maxConnections}`;
      throw new GatewayError('GW_CLIENT_RATE_LIMITED', `too many live streams open (${whose}); close one first`, {
        retryAfterSeconds: 5,
      });
    }
    usage.connections += 1;
    this.usage.set(client.id, usage);
    const subscriber = new Subscriber(sink, this.config, this.counters);
    const session = new StreamSession(this, this.hub, client, usage, subscriber, this.config);
    this.sessions.add(session);
    return session;
  }

  /** Open streams on this instance. */
  get size(): number {
    return this.sessions.size;
  }

  /** Closes every stream (shutdown: 1001 going away). */
  closeAll(code: number, reason: string): void {
    for (const session of [...this.sessions]) session.close(code, reason);
  }

  /** Called once by a session as its stream ends. */
  forget(session: StreamSession, client: StreamClient, usage: ClientUsage): void {
    this.sessions.delete(session);
    usage.connections -= 1;
    if (usage.connections === 0) this.usage.delete(client.id);
  }
}

export class StreamSession {
  private ended = false;

  constructor(
    private readonly sessions: StreamSessions,
    private readonly hub: StreamHub,
    private readonly client: StreamClient,
    private readonly usage: ClientUsage,
    private readonly subscriber: Subscriber,
    private readonly config: StreamConfig,
  ) {}

  /** Follows `symbols` on `channel`; returns the whole list followed on it now. Throws 403 or 429, following none. */
  subscribe(channel: StreamChannel, symbols: readonly string[]): string[] {
    if (!this.client.mayFollow(channel)) {
      throw new GatewayError('GW_FORBIDDEN', `this key may not follow ${channel}`);
    }
    const added = symbols.filter((symbol) => !this.subscriber.topics.has(topicKey(channel, symbol)));
    const perStream = this.subscriber.topics.size + added.length;
    if (perStream > this.config.maxSubscriptionsPerConnection) {
      throw new GatewayError(
        'GW_CLIENT_RATE_LIMITED',
        `a stream may follow ${this.config.maxSubscriptionsPerConnection} symbols; this would make ${perStream}`,
      );
    }
    if (this.usage.symbols + added.length > this.client.maxSymbols) {
      throw new GatewayError(
        'GW_CLIENT_RATE_LIMITED',
        `this client may follow ${this.client.maxSymbols} symbols over all its streams; this would make ` +
          `${this.usage.symbols + added.length}`,
      );
    }
    this.usage.symbols += added.length;
    this.hub.join(this.subscriber, channel, added);
    return this.followed(channel);
  }

  /** Stops following `symbols` (unknown ones are ignored); returns what is still followed on `channel`. */
  unsubscribe(channel: StreamChannel, symbols: readonly string[]): string[] {
    const before = this.subscriber.topics.size;
    this.hub.leave(this.subscriber, channel, symbols);
    this.usage.symbols -= before - this.subscriber.topics.size;
    return this.followed(channel);
  }

  /** The stream is gone (the client closed it, or close() did): frees its topics and counts. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.usage.symbols -= this.subscriber.topics.size;
    this.hub.leaveAll(this.subscriber);
    this.sessions.forget(this, this.client, this.usage);
  }

  close(code: number, reason: string): void {
    this.subscriber.close(code, reason);
    this.end();
  }

  private followed(channel: StreamChannel): string[] {
    const prefix = topicKey(channel, '');
    return [...this.subscriber.topics].filter((topic) => topic.startsWith(prefix)).map((t) => t.slice(prefix.length));
  }
}
