import type { RedisConnections } from './redis.js';

/**
 * Lets exactly one instance act on a cluster-wide "once": the first to claim a key in Redis (SET NX PX) wins it for
 * `ms`. Without Redis, or while it is away, every claim is granted: a duplicate alert beats a lost one.
 */
export class AlertClaims {
  constructor(
    private readonly redis: RedisConnections | null,
    private readonly keyPrefix: string,
  ) {}

  async claim(key: string, ms: number): Promise<boolean> {
    if (!this.redis?.isReady() || ms <= 0) return true;
    try {
      const won = await this.redis.command.set(`${this.keyPrefix}:once:${key}`, '1', 'PX', ms, 'NX');
      return won === 'OK';
    } catch {
      return true;
    }
  }
}
