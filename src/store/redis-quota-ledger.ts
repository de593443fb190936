import type { Cluster, Redis } from 'ioredis';
import type { GrantRequest, GrantResult, QuotaLedger } from '../resilience/quota-ledger.js';

/**
 * One grant, atomically (Redis runs a script alone). KEYS: the adjusted counters, then each window's counters, the one
 * a grant adds to first. ARGV: the number of adjustments; per adjustment its delta and forget-at (ms); the tokens
 * wanted; the number of windows; per window its limit, its number of counters and its forget-at. Replies the grant and
 * each window's count after it. The same arithmetic as MemoryQuotaLedger: a counter never goes below 0, and lives until
 * the last window that reads it has passed (a counter's forget-at follows from its key, so every instance sets the same).
 */
export const grantScript = `
local arg, key = 1, 1
local adjustments = tonumber(ARGV[arg]); arg = arg + 1
for _ = 1, adjustments do
  local counter, delta, forgetAt = KEYS[key], tonumber(ARGV[arg]), ARGV[arg + 1]
  key, arg = key + 1, arg + 2
  if redis.call('INCRBY', counter, delta) < 0 then redis.call('SET', counter, 0) end
  redis.call('PEXPIREAT', counter, forgetAt)
end
local grant = tonumber(ARGV[arg]); local windows = tonumber(ARGV[arg + 1]); arg = arg + 2
local used, current, forget = {}, {}, {}
for w = 1, windows do
  local limit, counters = tonumber(ARGV[arg]), tonumber(ARGV[arg + 1])
  forget[w] = ARGV[arg + 2]; arg = arg + 3
  current[w] = KEYS[key]
  local sum = 0
  for _ = 1, counters do
    sum = sum + (tonumber(redis.call('GET', KEYS[key])) or 0)
    key = key + 1
  end
  used[w] = sum
  if limit - sum < grant then grant = limit - sum end
end
if grant < 0 then grant = 0 end
local reply = { grant }
for w = 1, windows do
  if grant > 0 then
    redis.call('INCRBY', current[w], grant)
    redis.call('PEXPIREAT', current[w], forget[w])
  end
  reply[w + 1] = used[w] + grant
end
return reply
`;

type ScriptedRedis = (Redis | Cluster) & {
  quotaGrant(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/**
 * The vendor quota counters every instance shares, in Redis. Calls go through the request-path connection (no offline
 * queue, a short command timeout): an absent or hung Redis fails the grant at once or within the timeout, and the
 * caller falls back to its share. ioredis sends the script by hash and again by body after a NOSCRIPT (a restarted
 * Redis).
 */
export class RedisQuotaLedger implements QuotaLedger {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis | Cluster) {
    if (!('quotaGrant' in redis)) redis.defineCommand('quotaGrant', { lua: grantScript });
    this.redis = redis as ScriptedRedis;
  }

  async grant(request: GrantRequest): Promise<GrantResult> {
    const keys: string[] = [];
    const args: (string | number)[] = [request.adjustments.length];
    for (const adjustment of request.adjustments) {
      keys.push(adjustment.key);
      args.push(adjustment.delta, Math.ceil(adjustment.forgetAt));
    }
    args.push(request.want, request.windows.length);
    for (const window of request.windows) {
      keys.push(...window.keys);
      args.push(window.limit, window.keys.length, Math.ceil(window.forgetAt));
    }
    const [granted = 0, ...used] = await this.redis.quotaGrant(keys.length, ...keys, ...args);
    return { granted, used };
  }
}
