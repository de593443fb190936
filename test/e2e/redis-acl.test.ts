import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';
import { openSse } from '../helpers/sse.js';
import { openStreamClient } from '../helpers/stream-client.js';

/** The ACL line docs/security.md tells operators to run, as it is written there. */
const documentedAcl = (() => {
  const manual = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const line = manual.split('\n').find((text) => text.trim().startsWith('ACL SETUSER mdg-gateway '));
  if (!line) throw new Error('docs/security.md has no `ACL SETUSER mdg-gateway …` line');
  return line.trim().split(/\s+/).slice(2);
})();

describe.skipIf(!redisServerAvailable)('the Redis ACL in docs/security.md (real redis-server)', () => {
  let redis: TestRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    await admin.call('ACL', 'SETUSER', ...documentedAcl);
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  const gateway = () =>
    buildTestGateway({
      adjust: (config) => {
        config.cache.enabled = true;
        config.store = {
          redisUrl: `redis://mdg-gateway:long-random-password@127.0.0.1:${redis.port}/0`,
          keyPrefix: 'mdg',
          commandTimeoutMs: 200,
          syncIntervalMs: 100,
        };
        config.server.clientRateLimit = { enabled: true, max: 1_000, windowMs: 60_000 };
      },
    });

  it('lets two gateways share the cache, vendor windows, events, client limits and live streams, and Redis denies them nothing', async () => {
    const a = await gateway();
    const b = await gateway();
    await untilStoreReady(a);
    await untilStoreReady(b);
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = b.app.server.address() as { port: number };
    const events = await openSse(`http://127.0.0.1:${port}/v1/events?events=failover`);
    expect((await a.app.inject({ method: 'GET', url: '/v1/stocks/GOOG/quote' })).headers['x-cache']).toBe('miss');
    await expect.poll(async () => (await admin.keys('mdg:cache:*')).length, { interval: 10 }).toBe(1);
    const fromRedis = await b.app.inject({ method: 'GET', url: '/v1/stocks/GOOG/quote' });
    expect(fromRedis.headers['x-cache']).toBe('hit');
    expect(fromRedis.headers['ratelimit-remaining']).toBeDefined();
    // A failover on a publishes an event b's subscribers see.
    await a.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    await a.app.inject({ method: 'GET', url: '/v1/stocks/MSFT/quote' });
    expect((await events.next((message) => message.event === 'failover')).data).toMatch(/"from":"polygon"/);
    events.close();
    // Vendor windows were pushed (HINCRBY, PEXPIRE) and read back (HGETALL) under the prefix.
    await expect.poll(async () => (await admin.keys('mdg:win:*')).length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await admin.keys('mdg:ratelimit:*')).not.toEqual([]);
    // A live stream takes a symbol's lease (Lua), relays on pub/sub, and gives both up when it stops following.
    const live = await openStreamClient(`ws://127.0.0.1:${port}/v1/stream`);
    live.send({ op: 'subscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
    await live.next((message) => message.op === 'update', 10_000);
    await expect.poll(async () => (await admin.keys('mdg:stream:lease:*')).length).toBe(1);
    live.send({ op: 'unsubscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
    await expect.poll(async () => (await admin.keys('mdg:stream:lease:*')).length).toBe(0);
    live.socket.close();

    expect(await admin.call('ACL', 'LOG')).toEqual([]);
    // And the user is confined to the prefix: another key is refused.
    const confined = new Redis(`redis://mdg-gateway:long-random-password@127.0.0.1:${redis.port}/0`);
    await expect(confined.get('other-app:secret')).rejects.toThrow(/NOPERM/);
    await expect(confined.call('FLUSHALL')).rejects.toThrow(/NOPERM/);
    confined.disconnect();
  });
});
