import { randomUUID } from 'node:crypto';
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

/**
 * Who fetches a key the cluster is missing: this instance (`lead`, then `done()` once its answer is stored or its
 * fetch failed), a copy another instance fetched while this one waited (`copy`), or this instance on its own
 * (`alone`: no Redis, or the other instance did not deliver in time).
 */
export type FetchTurn = { kind: 'lead'; done(): void } | { kind: 'copy'; entry: CacheEntry } | { kind: 'alone' };

/** Deletes the fetch lock only if it is still ours: a lock that expired and was taken again is someone else's. */
const releaseLock = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

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
  /** Instances waiting for a key another instance fetches, woken by its `filled` message. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly filledChannel: string;

  constructor(
    private readonly connections: RedisConnections,
    private readonly keyPrefix: string,
    private readonly limits: RedisCacheLimits,
  ) {
    this.filledChannel = `${keyPrefix}:cache-filled`;
    connections.subscriber.on('message', (channel: string, key: string) => {
      if (channel === this.filledChannel) for (const wake of this.waiting.get(key) ?? []) wake();
    });
    connections.subscriber.subscribe(this.filledChannel).catch(() => undefined);
  }

  /**
   * Cluster-wide coalescing: the first instance to lock a missing key (SET NX PX `lockMs`) fetches it; the others
   * wait up to `waitMs` for its `filled` message and take its copy from Redis. A failed or slow leader costs the
   * others only the wait: they then fetch for themselves.
   */
  async takeTurn(
    capability: Capability,
    key: string,
    ttlMs: number,
    lockMs: number,
    waitMs: number,
  ): Promise<FetchTurn> {
    if (!this.connections.isReady()) return { kind: 'alone' };
    let wake = () => {};
    const filled = new Promise<void>((resolve) => (wake = resolve));
    const waiters = this.waiting.get(key) ?? new Set();
    this.waiting.set(key, waiters.add(wake));
    try {
      const lock = `${this.keyPrefix}:fetch-lock:${key}`;
      const token = randomUUID();
      if ((await this.connections.command.set(lock, token, 'PX', lockMs, 'NX').catch(() => 'OK')) === 'OK') {
        return { kind: 'lead', done: () => this.release(lock, token, key) };
      }
      // The leader may have finished between our read and the lock: look once before waiting.
      const ready = await this.freshCopy(capability, key, ttlMs);
      if (ready) return { kind: 'copy', entry: ready };
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([filled, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      const copy = await this.freshCopy(capability, key, ttlMs);
      return copy ? { kind: 'copy', entry: copy } : { kind: 'alone' };
    } finally {
      waiters.delete(wake);
      if (waiters.size === 0) this.waiting.delete(key);
    }
  }

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

  private async freshCopy(capability: Capability, key: string, ttlMs: number): Promise<CacheEntry | undefined> {
    const [copy] = await this.read(capability, [key], ttlMs);
    return copy && copy.storedAt + copy.ttlMs > this.limits.now() ? { ...copy, source: 'peer' } : undefined;
  }

  /** Wakes the waiters whatever the fetch gave: a stored copy, or nothing, and then they fetch for themselves. */
  private release(lock: string, token: string, key: string): void {
    const { command } = this.connections;
    void (async () => {
      try {
        await command.eval(releaseLock, 1, lock, token);
        await command.publish(this.filledChannel, key);
      } catch {
        // Redis away: the lock expires by itself and the waiters stop waiting at their own bound.
      }
    })();
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
