import type { FastifyBaseLogger } from 'fastify';
import type { GatewayConfig } from '../config/schema.js';
import { MemoryMetricsStore } from './memory-store.js';
import type { MetricsStore } from './metrics-store.js';
import type { RedisConnections } from './redis.js';

export interface GatewayStore {
  metrics: MetricsStore;
  /** The Redis connections when store.redisUrl is set, for the cache and the event bus. */
  redis: RedisConnections | null;
  /** store.keyPrefix, hash-tagged on a Redis Cluster. */
  keyPrefix: string;
  close(): Promise<void>;
}

/**
 * In-memory by default; Redis-backed when store.redisUrl is set. Losing Redis is logged once per change, marks /ready
 * degraded and never fails a request; getting it back is logged and the shared windows catch up on the next sync.
 * ioredis is loaded only then: it is 7 MB of resident memory a gateway without Redis would carry for nothing.
 */
export async function createMetricsStore(
  config: GatewayConfig,
  vendorNames: readonly string[],
  log: FastifyBaseLogger,
): Promise<GatewayStore> {
  const windowMs = config.routing.healthScore.windowMs;
  const { redisUrl } = config.store;
  if (!redisUrl) {
    const metrics = new MemoryMetricsStore(windowMs);
    return { metrics, redis: null, keyPrefix: config.store.keyPrefix, close: () => metrics.close() };
  }
  const [{ createRedisConnections }, { RedisMetricsStore }] = await Promise.all([
    import('./redis.js'),
    import('./redis-store.js'),
  ]);
  const redis = createRedisConnections({ ...config.store, redisUrl }, (ready, reason) => {
    if (ready) log.info({ event: 'storeRecovered' }, 'store: redis is back; shared state resumes');
    else log.warn({ event: 'storeDegraded', reason }, 'store degraded: serving from in-process state');
  });
  // On a cluster, one hash tag keeps every key of this gateway in one slot, so a sync stays one pipeline.
  const keyPrefix = redis.cluster ? `{${config.store.keyPrefix}}` : config.store.keyPrefix;
  const metrics = new RedisMetricsStore(redis, { ...config.store, keyPrefix }, windowMs, vendorNames);
  return {
    metrics,
    redis,
    keyPrefix,
    async close() {
      await metrics.close();
      await redis.close();
    },
  };
}
