import type { GatewayConfig } from '../config/schema.js';
import type { QuotaBackend } from '../resilience/vendor-quota.js';
import type { InstanceDirectory } from './instances.js';
import { FileQuotaLedger } from './quota-state-file.js';
import type { RedisConnections } from './redis.js';
import { RedisQuotaLedger } from './redis-quota-ledger.js';

/** Where store.quotaStateFile points when unset, relative to the working directory. */
export const defaultQuotaStateFile = 'state/quotas.json';

export interface QuotaStore {
  backend: QuotaBackend;
  close(): Promise<void>;
}

/**
 * The vendor quota counters: in Redis, shared by every instance, when store.redisUrl is set (each instance's share
 * while it is away: its live instances come from the heartbeat hash); else in this process, kept in the state file.
 */
export function createQuotaStore(
  config: GatewayConfig,
  redis: RedisConnections | null,
  keyPrefix: string,
  instances: InstanceDirectory,
  onError: (message: string) => void,
): QuotaStore {
  if (redis) {
    return {
      backend: {
        ledger: new RedisQuotaLedger(redis.quota),
        shared: true,
        available: () => redis.quota.status === 'ready',
        liveInstances: () => instances.liveCount(),
        keyPrefix,
      },
      close: () => Promise.resolve(),
    };
  }
  const ledger = new FileQuotaLedger(config.store.quotaStateFile ?? defaultQuotaStateFile, onError);
  return {
    backend: { ledger, shared: false, available: () => true, liveInstances: () => 1, keyPrefix },
    close: () => ledger.close(),
  };
}
