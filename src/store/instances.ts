import { hostname } from 'node:os';
import type { RedisConnections } from './redis.js';

/** One gateway process, as operators see it on /v1/instances and the dashboard. */
export interface GatewayInstance {
  /** The id router events carry as `instance`. */
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  /** When it last said it was alive; this instance's own entry is always now. */
  seenAt: string;
}

/**
 * Which gateway processes are alive. Without Redis there is one: this one. With Redis every instance writes a
 * heartbeat into one hash every `intervalMs`; an entry not renewed for three intervals is gone (its process died
 * without saying goodbye) and is swept by the next reader. A Redis that is away leaves the list at this instance.
 */
export class InstanceDirectory {
  private readonly self: Omit<GatewayInstance, 'seenAt'>;
  private readonly key: string;
  private readonly timer: NodeJS.Timeout | undefined;
  /** Instances alive at the last successful read of the hash (0 before it): while Redis is away, the last known figure. */
  private lastLiveCount: number;

  constructor(
    id: string,
    private readonly redis: RedisConnections | null,
    keyPrefix: string,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.self = { id, host: hostname(), pid: process.pid, startedAt: new Date(clock()).toISOString() };
    this.key = `${keyPrefix}:instances`;
    this.lastLiveCount = redis ? 0 : 1;
    if (redis) {
      this.timer = setInterval(() => void this.heartbeat(), intervalMs);
      this.timer.unref();
      void this.heartbeat();
    }
  }

  async list(): Promise<GatewayInstance[]> {
    const self = { ...this.self, seenAt: new Date(this.clock()).toISOString() };
    if (!this.redis?.isReady()) return [self];
    try {
      const entries = await this.redis.command.hgetall(this.key);
      const oldest = this.clock() - 3 * this.intervalMs;
      const alive: GatewayInstance[] = [self];
      const gone: string[] = [];
      for (const [id, text] of Object.entries(entries)) {
        if (id === self.id) continue;
        const instance = parseInstance(text);
        if (instance && Date.parse(instance.seenAt) >= oldest) alive.push(instance);
        else gone.push(id);
      }
      if (gone.length > 0) this.redis.command.hdel(this.key, ...gone).catch(() => undefined);
      this.lastLiveCount = alive.length;
      return alive.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
    } catch {
      return [self];
    }
  }

  /** How many instances were alive at the last look (refreshed with every heartbeat); 0 before it; 1 without Redis. */
  liveCount(): number {
    return this.lastLiveCount;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.redis?.isReady()) await this.redis.command.hdel(this.key, this.self.id).catch(() => undefined);
  }

  private async heartbeat(): Promise<void> {
    if (!this.redis?.isReady()) return;
    const entry: GatewayInstance = { ...this.self, seenAt: new Date(this.clock()).toISOString() };
    await this.redis.command.hset(this.key, this.self.id, JSON.stringify(entry)).catch(() => undefined);
    await this.list();
  }
}

function parseInstance(text: string): GatewayInstance | undefined {
  try {
    const value = JSON.parse(text) as Partial<GatewayInstance>;
    return typeof value.id === 'string' && typeof value.seenAt === 'string' ? (value as GatewayInstance) : undefined;
  } catch {
    return undefined;
  }
}
