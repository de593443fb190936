import type { Capability } from '../core/index.js';
import type { RedisConnections } from '../store/redis.js';
import { entryFrom, type CacheEntry } from './entry.js';

interface StoredEntry {
  data: unknown;
  provider: string;
  storedAt: number;
  ttlMs: number;
}

/**
 * The shared second layer: answers every instance can reuse, under `<prefix>:cache:<key>`. It never holds a request
 * up: when the connection is not ready it is skipped synchronously, every command is bounded by the client's
 * `commandTimeout` (store.commandTimeoutMs), and a failed read is a miss, a failed write is dropped.
 */
export class RedisCacheLayer {
  constructor(
    private readonly connections: RedisConnections,
    private readonly keyPrefix: string,
  ) {}

  /** One copy per key (undefined where Redis has none, or is unavailable), in one round trip. */
  async read(capability: Capability, keys: readonly string[]): Promise<(CacheEntry | undefined)[]> {
    if (keys.length === 0 || !this.connections.isReady()) return keys.map(() => undefined);
    const { command, cluster } = this.connections;
    const redisKeys = keys.map((key) => this.redisKey(key));
    try {
      // Cache keys carry no hash tag, so a cluster spreads them over its nodes; MGET would then cross slots.
      const values =
        cluster && redisKeys.length > 1
          ? await Promise.all(redisKeys.map((key) => command.get(key)))
          : await command.mget(redisKeys);
      return values.map((value) => (value === null ? undefined : parseEntry(capability, value)));
    } catch {
      return keys.map(() => undefined);
    }
  }

  /** Keeps the copy `retainMs` (its freshness plus the time it may still be served stale). Fire and forget. */
  write(key: string, entry: CacheEntry, retainMs: number): void {
    if (!this.connections.isReady()) return;
    const stored = `{"provider":${JSON.stringify(entry.provider)},"storedAt":${entry.storedAt},"ttlMs":${entry.ttlMs},"data":${entry.json}}`;
    this.connections.command.set(this.redisKey(key), stored, 'PX', retainMs).catch(() => undefined);
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}:cache:${key}`;
  }
}

/** A copy another instance (maybe another build) wrote: anything that does not fit today's model is a miss. */
function parseEntry(capability: Capability, text: string): CacheEntry | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredEntry> | null;
    if (!value || typeof value.provider !== 'string' || typeof value.storedAt !== 'number') return undefined;
    if (typeof value.ttlMs !== 'number') return undefined;
    const answer = { data: value.data, provider: value.provider, attempts: [] };
    return entryFrom(capability, answer, value.ttlMs, value.storedAt, 'redis');
  } catch {
    return undefined;
  }
}
