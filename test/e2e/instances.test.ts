import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';
import { openSse } from '../helpers/sse.js';

interface Listed {
  id: string;
  self: boolean;
  pid: number;
  startedAt: string;
  seenAt: string;
}

async function listed(gateway: TestGateway): Promise<Listed[]> {
  const response = await gateway.app.inject({ url: '/v1/instances' });
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

describe('GET /v1/instances', () => {
  it('lists this instance alone without Redis, under the id its events carry', async () => {
    const gateway = await buildTestGateway();
    const [self, ...others] = await listed(gateway);
    expect(others).toEqual([]);
    expect(self).toMatchObject({ self: true, pid: process.pid });
    expect(Date.parse(self!.startedAt)).toBeLessThanOrEqual(Date.parse(self!.seenAt));

    const stream = await openSse(`${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/v1/events`);
    onTestFinished(() => stream.close());
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    await gateway.app.inject({ url: '/v1/stocks/AAPL/quote' });
    const failover = await stream.next((message) => message.event === 'failover');
    expect(JSON.parse(failover.data!).instance).toBe(self!.id);
  });
});

describe.skipIf(!redisServerAvailable)('GET /v1/instances with a shared Redis (real redis-server)', () => {
  const redis = useRedisServer();

  const instance = (keyPrefix: string) =>
    buildTestGateway({
      scope: 'manual',
      adjust: (config) => {
        config.store = { redisUrl: redis.url, keyPrefix, commandTimeoutMs: 50, syncIntervalMs: 100 };
      },
    });

  it('shows every live instance to each of them; one that closes leaves the list at once', async () => {
    const a = await instance('instances-live');
    const b = await instance('instances-live');
    // Each instance reads the shared list on its own sync: wait until both have read it with the other in it.
    await expect
      .poll(async () => [(await listed(a)).length, (await listed(b)).length], { timeout: 5_000, interval: 50 })
      .toEqual([2, 2]);
    const seenByA = await listed(a);
    const seenByB = await listed(b);
    expect(seenByA.map((entry) => entry.id).sort()).toEqual(seenByB.map((entry) => entry.id).sort());
    expect(seenByA.filter((entry) => entry.self)).toHaveLength(1);
    expect(seenByA.find((entry) => entry.self)?.id).not.toBe(seenByB.find((entry) => entry.self)?.id);

    await closeTestGateway(b);
    expect(await listed(a)).toHaveLength(1);
    await closeTestGateway(a);
  });

  it('drops and sweeps an instance that stopped its heartbeat without saying goodbye (a crash)', async () => {
    const a = await instance('instances-crash');
    const client = new Redis(redis.url);
    try {
      const crashed = {
        id: 'crashed',
        host: 'h',
        pid: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        seenAt: '2026-01-01T00:00:01.000Z',
      };
      await client.hset('instances-crash:instances', 'crashed', JSON.stringify(crashed));
      expect((await listed(a)).map((entry) => entry.id)).not.toContain('crashed');
      await expect.poll(async () => client.hexists('instances-crash:instances', 'crashed')).toBe(0);
    } finally {
      client.disconnect();
      await closeTestGateway(a);
    }
  });
});
