import type { EventBus, StreamedEvent } from '../core/events.js';
import type { RedisConnections } from './redis.js';

/**
 * Router events between instances over Redis pub/sub: each instance publishes what it sees and forwards what the
 * others publish to its own subscribers. Publishing is fire-and-forget and skipped while Redis is away (the events
 * still reach this instance's subscribers); the subscriber connection resubscribes by itself after a reconnect.
 */
export function redisEventBus(redis: RedisConnections, keyPrefix: string): EventBus {
  const channel = `${keyPrefix}:events`;
  return {
    publish(message) {
      if (!redis.isReady()) return;
      redis.command.publish(channel, JSON.stringify(message)).catch(() => undefined);
    },
    subscribe(onMessage) {
      redis.subscriber.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        try {
          onMessage(JSON.parse(text) as Omit<StreamedEvent, 'id'>);
        } catch {
          // Not one of ours: ignore it rather than break the stream.
        }
      });
      redis.subscriber.subscribe(channel).catch(() => undefined);
    },
    // Nothing to undo: the subscriber connection closes with the store (an UNSUBSCRIBE would wait for a Redis that
    // may be away).
    async close() {},
  };
}
