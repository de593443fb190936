import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { StoreConfig } from '../config/schema.js';

/**
 * The gateway's Redis connections (docs/libraries.md#ioredis), each for one role:
 * - `command`: the request path (cache, vendor windows). No offline queue and a short command timeout, so a missing
 *   or hung Redis costs a request at most `commandTimeoutMs`, never a stall;
 * - `quota`: vendor quota grants, a few per second at most and seldom on a request's path, so they get a longer
 *   command timeout (500 ms): a grant that times out may still have counted its tokens, which are then lost to the
 *   window, and the 50 ms of the request path is too short for a loaded host;
 * - `subscriber`: pub/sub only (a subscribed connection accepts nothing else), resubscribing after reconnects.
 * Both reconnect forever in the background; callers check `isReady()` and go on without Redis when it is not.
 */
export interface RedisConnections {
  command: Redis | Cluster;
  quota: Redis | Cluster;
  subscriber: Redis | Cluster;
  /** A Redis Cluster spreads keys over nodes: keys used together need one hash tag (see keyPrefixFor). */
  cluster: boolean;
  isReady(): boolean;
  /** Why the store is degraded, or null while Redis is ready. */
  problem(): string | null;
  close(): Promise<void>;
}

const quotaCommandTimeoutMs = 500;

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
  const target = parseRedisUrl(config.redisUrl);
  const connect = (options: RedisOptions): Redis | Cluster => {
    if (target.kind === 'cluster') {
      return new Cluster(target.nodes, {
        enableOfflineQueue: options.enableOfflineQueue ?? true,
        lazyConnect: true,
        clusterRetryStrategy: common.retryStrategy,
        redisOptions: { ...options, ...target.options },
      });
    }
    if (target.kind === 'sentinel') return new Redis({ ...options, ...target.options });
    return new Redis(target.url, options);
  };
  const command = connect({
    ...common,
    connectionName: 'mdg-command',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: config.commandTimeoutMs,
  });
  const quota = connect({
    ...common,
    connectionName: 'mdg-quota',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: Math.max(quotaCommandTimeoutMs, config.commandTimeoutMs),
  });
  const subscriber = connect({ ...common, connectionName: 'mdg-subscriber', autoResubscribe: true });

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
  quota.on('error', () => undefined);

  command.connect().catch(() => undefined);
  quota.connect().catch(() => undefined);
  subscriber.connect().catch(() => undefined);

  return {
    command,
    quota,
    subscriber,
    cluster: target.kind === 'cluster',
    isReady: () => command.status === 'ready',
    problem: () => (command.status === 'ready' ? null : (lastError ?? `redis: ${command.status}`)),
    async close() {
      command.disconnect();
      quota.disconnect();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}

export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'sentinel'; options: RedisOptions }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; options: RedisOptions };

/**
 * ioredis takes a URL only for a single server. Sentinel and Cluster get URL forms here, so REDIS_URL stays one
 * string whatever the topology:
 * - `redis://[user:pass@]host:6379/0`, `rediss://…` (TLS): one server;
 * - `redis+sentinel://[user:pass@]host1:26379,host2:26379/mymaster[/db]`: the master named `mymaster`, found through
 *   the sentinels;
 * - `redis+cluster://[user:pass@]host1:7000,host2:7001`: a cluster, from any of its nodes.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^redis\+(sentinel|cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/]+)(?:\/([^/]*))?(?:\/(\d+))?$/.exec(
    url,
  );
  if (!match) return { kind: 'standalone', url };
  const [, kind, username, password, hostList = '', name, db] = match;
  const nodes = hostList.split(',').map((entry) => {
    const [host = '', port] = entry.split(':');
    return { host, port: Number(port ?? (kind === 'sentinel' ? 26379 : 6379)) };
  });
  const credentials: RedisOptions = {
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
  if (kind === 'cluster') return { kind: 'cluster', nodes, options: credentials };
  if (!name)
    throw new Error('redis+sentinel URL needs the master name as its path: redis+sentinel://host:26379/mymaster');
  return {
    kind: 'sentinel',
    options: { sentinels: nodes, name, ...credentials, ...(db ? { db: Number(db) } : {}) },
  };
}
