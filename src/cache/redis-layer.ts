import type { Capability } from '../core/index.js';
import type { RedisConnections } from '../store/redis.js';
import { entryFrom, type CacheEntry } from './entry.js';

/** Room in a stored copy for what surrounds the answer's JSON: the vendor's name, storedAt and ttlMs. */
const envelopeChars = 256;

export interface RedisCacheLimits {
  /** The largest answer, in JSON characters, the in-process cache keeps (cache.maxBytes / 8): the bound both ways. */
  maxEntryChars: number;
  /** Epoch milliseconds, the cache's clock. */
  now: () => number;
}

interface StoredEntry {
  data: unknown;
  provider: string;
  storedAt: number;
  ttlMs: number;
  marketClosed?: boolean;
}

/**
 * The shared second layer: answers every instance can reuse, under `<prefix>:cache:<key>`. It never holds a request
 * up: when the connection is not ready it is skipped synchronously, every command is bounded by the client's
 * `commandTimeout` (store.commandTimeoutMs), and a failed read is a miss, a failed write is dropped.
 *
 * What it reads back is not trusted further than this instance's own configuration (docs/security.md#redis): another
 * instance's clock, or anyone who can write to Redis, must not keep an answer fresh for longer than the operator's TTL,
 * nor past the size bound the in-process cache keeps.
 */
export class RedisCacheLayer {
  constructor(
    private readonly connections: RedisConnections,
    private readonly keyPrefix: string,
    private readonly limits: RedisCacheLimits,
  ) {}

  /**
   * One copy per key (undefined where Redis has none, or is unavailable), in one round trip. `maxTtlMs` is this
   * instance's freshness for these keys: a copy stays fresh no longer, whatever TTL it was stored with.
   */
  async read(capability: Capability, keys: readonly string[], maxTtlMs: number): Promise<(CacheEntry | undefined)[]> {
    if (keys.length === 0 || !this.connections.isReady()) return keys.map(() => undefined);
    const { command, cluster } = this.connections;
    const redisKeys = keys.map((key) => this.redisKey(key));
    try {
      // Cache keys carry no hash tag, so a cluster spreads them over its nodes; MGET would then cross slots.
      const values =
        cluster && redisKeys.length > 1
          ? await Promise.all(redisKeys.map((key) => command.get(key)))
          : await command.mget(redisKeys);
      const bounds = { now: this.limits.now(), maxTtlMs, maxEntryChars: this.limits.maxEntryChars };
      return values.map((value) => (value === null ? undefined : parseEntry(capability, value, bounds)));
    } catch {
      return keys.map(() => undefined);
    }
  }

  /**
   * Keeps the copy `retainMs` (its freshness plus the time it may still be served stale). Fire and forget. An answer
   * over the per-entry bound is not written, as lru-cache does not keep it in process either.
   */
  write(key: string, entry: CacheEntry, retainMs: number): void {
    if (!this.connections.isReady() || entry.json.length > this.limits.maxEntryChars) return;
    const closed = entry.marketClosed ? ',"marketClosed":true' : '';
    const stored = `{"provider":${JSON.stringify(entry.provider)},"storedAt":${entry.storedAt},"ttlMs":${entry.ttlMs}${closed},"data":${entry.json}}`;
    this.connections.command.set(this.redisKey(key), stored, 'PX', retainMs).catch(() => undefined);
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}:cache:${key}`;
  }
}

/**
 * A copy another instance (maybe another build, maybe not ours) wrote. A miss, unless it fits today's model and:
 * - it is no larger than the per-entry bound (checked before parsing, and again on the answer's JSON);
 * - its `storedAt` is not in the future. Such a copy is dropped rather than clamped to now: clamping would make it
 *   fresh again at every read for as long as Redis keeps it, and a stale-if-error fallback for ever. A copy from an
 *   instance whose clock runs ahead is thus a miss only while it looks younger than zero;
 * - its `ttlMs` is a duration, cut to this instance's TTL for the key.
 */
export function parseEntry(
  capability: Capability,
  text: string,
  bounds: { now: number; maxTtlMs: number; maxEntryChars: number },
): CacheEntry | undefined {
  if (text.length > bounds.maxEntryChars + envelopeChars) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredEntry> | null;
    if (!value || typeof value.provider !== 'string') return undefined;
    const { storedAt, ttlMs } = value;
    if (typeof storedAt !== 'number' || !Number.isFinite(storedAt) || storedAt > bounds.now) return undefined;
    if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs < 0) return undefined;
    const answer = { data: value.data, provider: value.provider, attempts: [] };
    const entry = entryFrom(
      capability,
      answer,
      Math.min(ttlMs, bounds.maxTtlMs),
      storedAt,
      'redis',
      value.marketClosed === true,
    );
    return entry.json.length > bounds.maxEntryChars ? undefined : entry;
  } catch {
    return undefined;
  }
}
