import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';

/*
 * Redis killed under load, then back. In-process instances: what is under test is each instance's fallback to its
 * share, which a process boundary does not change (the restart and exactness tests use processes:
 * test/e2e/shared-quotas.test.ts).
 */
describe.skipIf(!redisServerAvailable)('vendor quotas when Redis dies under load (real redis-server)', () => {
  const redis = useRedisServer();

  const instance = () =>
    buildTestGateway({
      scope: 'manual',
      adjust: (config) => {
        for (const [name, provider] of Object.entries(config.providers)) {
          provider.enabled = name === 'polygon' || name === 'finnhub';
        }
        config.providers.polygon!.rateLimit = { perMinute: 60, leaseSize: 3, maxConcurrent: 10, maxQueue: 50 };
        config.store = { redisUrl: redis.url, keyPrefix: 'outage', commandTimeoutMs: 50, syncIntervalMs: 100 };
      },
    });

  let symbol = 0;
  /** `count` unique quote requests round-robin, 6 at a time; the vendor that answered each, per instance. */
  async function load(instances: readonly TestGateway[], count: number) {
    const answers: { instance: number; status: number; provider: string | undefined }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const gateway = instances[index % instances.length]!;
        const response = await gateway.app.inject({ url: `/v1/stocks/QO${symbol++}/quote` });
        answers.push({
          instance: index % instances.length,
          status: response.statusCode,
          provider: response.json().meta?.provider,
        });
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return answers;
  }

  const polygonCalls = (instances: readonly TestGateway[]) =>
    instances.reduce(
      (sum, gateway) => sum + gateway.sandbox.simulators.find((s) => s.vendor === 'polygon')!.requestCount,
      0,
    );

  it('serves every request on shares of at most a third of the quota each, then shares Redis again', async () => {
    const instances = [await instance(), await instance(), await instance()];
    try {
      // Every instance has seen the three heartbeats: it knows its share.
      for (const gateway of instances) {
        await expect
          .poll(async () => (await gateway.app.inject({ url: '/v1/instances' })).json().data.length, { timeout: 5_000 })
          .toBe(3);
      }
      const warm = await load(instances, 12);
      expect(warm.every((answer) => answer.status === 200)).toBe(true);
      const beforeOutage = polygonCalls(instances);

      await redis.kill();
      const during = await load(instances, 90);
      expect(during.filter((answer) => answer.status !== 200)).toEqual([]);
      const outageCalls = polygonCalls(instances) - beforeOutage;
      // Never unlimited: each instance at most its share, a third of the minute, plus the lease it held (3).
      for (let index = 0; index < 3; index += 1) {
        const served = during.filter((answer) => answer.instance === index && answer.provider === 'polygon').length;
        expect(served).toBeLessThanOrEqual(20 + 3);
      }
      // Each share is computed from the count at that instance's last grant; grants other instances made after it (at
      // most a lease each) are what a stale view can add over the minute's 60.
      expect(polygonCalls(instances)).toBeLessThanOrEqual(60 + 3 * 3);
      expect(outageCalls).toBeGreaterThan(0);

      // Back (empty, no persistence): what the shares spent is added to the shared counters, and leases resume.
      await redis.restart();
      const client = new Redis(redis.url);
      try {
        const counted = async () => {
          const keys = await client.keys('outage:quota:polygon:minute:*');
          const values = keys.length > 0 ? await client.mget(keys) : [];
          return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
        };
        await expect
          .poll(
            async () => {
              expect((await load(instances, 3)).every((answer) => answer.status === 200)).toBe(true);
              return counted();
            },
            { timeout: 15_000, interval: 200 },
          )
          .toBeGreaterThanOrEqual(outageCalls);
      } finally {
        client.disconnect();
      }
    } finally {
      await Promise.all(instances.map((gateway) => closeTestGateway(gateway)));
    }
  });
});
