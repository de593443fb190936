import { LRUCache } from 'lru-cache';
import type { RedisConnections } from './redis.js';

/** Clients whose spend one instance remembers; the least recently seen go first (open mode sees many IPs). */
const maxClients = 50_000;

/** What one client has spent in the current window, and when the window ends. */
export interface SpendState {
  spent: number;
  resetsInMs: number;
}

/**
 * Vendor spend per client in fixed windows aligned to the epoch (so every instance agrees where a window starts). In
 * process by default; with Redis, one counter per client and window shared by every instance, expiring with the
 * window. A Redis that is away never fails a request: the instance falls back to its own counts until it is back.
 */
export class ClientSpendMeter {
  private readonly local = new LRUCache<string, { window: number; spent: number }>({ max: maxClients });

  constructor(
    private readonly windowMs: number,
    private readonly redis: RedisConnections | null = null,
    private readonly keyPrefix = 'mdg',
    private readonly now: () => number = Date.now,
  ) {}

  async state(client: string): Promise<SpendState> {
    const window = this.windowIndex();
    const resetsInMs = (window + 1) * this.windowMs - this.now();
    if (this.redis?.isReady()) {
      try {
        const spent = Number((await this.redis.command.get(this.key(client, window))) ?? 0);
        return { spent: Number.isFinite(spent) ? spent : 0, resetsInMs };
      } catch {
        // Fall through to this instance's own count.
      }
    }
    const entry = this.local.get(client);
    return { spent: entry?.window === window ? entry.spent : 0, resetsInMs };
  }

  charge(client: string, amount: number): void {
    if (amount <= 0) return;
    const window = this.windowIndex();
    const entry = this.local.get(client);
    if (entry?.window === window) entry.spent += amount;
    else this.local.set(client, { window, spent: amount });
    if (!this.redis?.isReady()) return;
    const key = this.key(client, window);
    // Two plain commands, each caught, not MULTI: when the connection closes under a queued MULTI, ioredis rejects a
    // promise of its own that no caller can catch (redis/ioredis#883), an unhandled rejection. Not being atomic costs
    // at most a window key left without its expiry when the connection drops between the two (a few bytes in Redis).
    this.redis.command.incrbyfloat(key, amount).catch(() => undefined);
    this.redis.command.pexpire(key, this.windowMs * 2).catch(() => undefined);
  }

  private windowIndex(): number {
    return Math.floor(this.now() / this.windowMs);
  }

  private key(client: string, window: number): string {
    return `${this.keyPrefix}:spend:${client}:${window}`;
  }
}
