import { Redis, type RedisOptions } from 'ioredis';
import type { StoreConfig } from '../config/schema.js';

/**
 * The gateway's Redis connections (LIBRARIES.md §3), each for one role:
 * - `command`: the request path (cache, vendor windows). No offline queue and a short command timeout, so a missing
 *   or hung Redis costs a request at most `commandTimeoutMs`, never a stall;
 * - `subscriber`: pub/sub only (a subscribed connection accepts nothing else), resubscribing after reconnects.
 * Both reconnect forever in the background; callers check `isReady()` and go on without Redis when it is not.
 */
export interface RedisConnections {
  command: Redis;
  subscriber: Redis;
  isReady(): boolean;
  /** Why the store is degraded, or null while Redis is ready. */
  problem(): string | null;
  close(): Promise<void>;
}

export function createRedisConnections(
  config: StoreConfig & { redisUrl: string },
  onStateChange: (ready: boolean, reason: string | null) => void,
): RedisConnections {
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: 2_000,
    keepAlive: 10_000,
    // Keep reconnecting for ever: returning null would end the client for good.
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 5_000) + Math.floor(Math.random() * 100),
  };
  const command = new Redis(config.redisUrl, {
    ...common,
    connectionName: 'mdg-command',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: config.commandTimeoutMs,
  });
  const subscriber = new Redis(config.redisUrl, { ...common, connectionName: 'mdg-subscriber', autoResubscribe: true });

  let lastError: string | null = 'connecting';
  let ready = false;
  const update = (nowReady: boolean, reason: string | null) => {
    lastError = reason;
    if (nowReady === ready) return;
    ready = nowReady;
    onStateChange(ready, reason);
  };
  command.on('ready', () => update(true, null));
  command.on('error', (error: Error & { code?: string }) => update(false, `redis: ${error.code ?? error.name}`));
  command.on('end', () => update(false, 'redis: connection closed'));
  command.on('close', () => update(false, 'redis: connection closed'));
  // An 'error' listener on every connection, or ioredis prints "Unhandled error event" in a loop.
  subscriber.on('error', () => undefined);

  command.connect().catch(() => undefined);
  subscriber.connect().catch(() => undefined);

  return {
    command,
    subscriber,
    isReady: () => command.status === 'ready',
    problem: () => (command.status === 'ready' ? null : (lastError ?? `redis: ${command.status}`)),
    async close() {
      command.disconnect();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}
