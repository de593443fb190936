import { LRUCache } from 'lru-cache';
import { clientKeySchema, type ClientKeyConfig } from '../config/schema.js';
import type { RedisConnections } from './redis.js';

/** How long an instance trusts what it read: a key revoked in Redis stops working within this time. */
const rememberMs = 60_000;

/**
 * Client keys issued into Redis (`npm run keys -- new NAME --redis`), beside those in the configuration: one hash,
 * `<prefix>:client-keys`, from the key's SHA-256 to its settings as JSON. Keys are never stored, only their hashes.
 * Reads are remembered for a minute, misses too, so a flood of wrong keys costs Redis one read per key a minute.
 */
export class RedisClientKeys {
  private readonly remembered = new LRUCache<string, { key: ClientKeyConfig | null }>({
    max: 10_000,
    ttl: rememberMs,
  });

  constructor(
    private readonly redis: RedisConnections,
    private readonly keyPrefix: string,
  ) {}

  async find(sha256: string): Promise<ClientKeyConfig | null> {
    const known = this.remembered.get(sha256);
    if (known) return known.key;
    if (!this.redis.isReady()) return null;
    let stored: string | null;
    try {
      stored = await this.redis.command.hget(this.hashKey(), sha256);
    } catch {
      return null; // Redis away: refuse now, ask again next time.
    }
    const parsed = stored === null ? null : clientKeySchema.safeParse(parseJson(stored));
    const key = parsed?.success && parsed.data.sha256 === sha256 ? parsed.data : null;
    this.remembered.set(sha256, { key });
    return key;
  }

  async issue(key: ClientKeyConfig): Promise<void> {
    await this.redis.command.hset(this.hashKey(), key.sha256, JSON.stringify(key));
  }

  /** Removes every key of that name; returns how many there were. */
  async revoke(name: string): Promise<number> {
    const all = await this.redis.command.hgetall(this.hashKey());
    const hashes = Object.entries(all).flatMap(([sha256, json]) => {
      const parsed = clientKeySchema.safeParse(parseJson(json));
      return parsed.success && parsed.data.name === name ? [sha256] : [];
    });
    if (hashes.length > 0) await this.redis.command.hdel(this.hashKey(), ...hashes);
    return hashes.length;
  }

  private hashKey(): string {
    return `${this.keyPrefix}:client-keys`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
