import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeStreamVendor } from '../helpers/fake-stream-vendor.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';
import { openStreamClient, type StreamTestClient } from '../helpers/stream-client.js';
import { streamGateway, type StreamGateway } from '../helpers/stream-gateway.js';

const symbols = ['AAPL', 'MSFT', 'IBM', 'ORCL', 'NVDA', 'AMD', 'INTC', 'CSCO'];

describe.skipIf(!redisServerAvailable)('live streams across instances (real redis-server)', () => {
  let redis: TestRedis;
  let vendor: FakeStreamVendor;
  beforeAll(async () => {
    [redis, vendor] = await Promise.all([startRedis(), FakeStreamVendor.start()]);
  });
  afterAll(async () => Promise.all([redis.stop(), vendor.close()]));

  const instance = (scope: 'test' | 'manual' = 'test') =>
    streamGateway([{ name: 'streama', url: vendor.url }], {
      scope,
      adjust: (config) => {
        config.store.redisUrl = redis.url;
        config.store.commandTimeoutMs = 500;
        config.stream.leaseMs = 1_500;
      },
    });

  async function follow(gateway: StreamGateway): Promise<StreamTestClient> {
    const client = await openStreamClient(gateway.wsUrl);
    client.send({ op: 'subscribe', channel: 'stocks.quote', symbols });
    await client.next((message) => message.op === 'subscribed');
    return client;
  }

  const pricedAt = (client: StreamTestClient, symbol: string, price: number) =>
    client.next(
      (message) =>
        message.op === 'update' && message.symbol === symbol && (message.data as { price: number }).price === price,
    );

  it('keeps one upstream subscription per symbol for two instances, and fans out to both', async () => {
    const [one, two] = await Promise.all([instance('manual'), instance()]);
    const [onOne, onTwo] = await Promise.all([follow(one), follow(two)]);
    await expect.poll(() => symbols.every((symbol) => vendor.subscribers('stocks.quote', symbol) === 1)).toBe(true);
    // Stays at one: no follower subscribes upstream after a few lease renewals either.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const symbol of symbols) expect(vendor.subscribers('stocks.quote', symbol)).toBe(1);
    for (const symbol of symbols) vendor.trade('stocks.quote', symbol, 250.25);
    await Promise.all(symbols.flatMap((symbol) => [pricedAt(onOne, symbol, 250.25), pricedAt(onTwo, symbol, 250.25)]));

    // The instance that leads some symbols goes away: the other takes its leases over and subscribes upstream.
    await one.close();
    await expect
      .poll(() => symbols.every((symbol) => vendor.subscribers('stocks.quote', symbol) === 1), { timeout: 5_000 })
      .toBe(true);
    await expect.poll(() => vendor.trade('stocks.quote', 'AAPL', 260.5), { interval: 100 }).toBe(1);
    await pricedAt(onTwo, 'AAPL', 260.5);
    onTwo.socket.close();
  }, 60_000);
});
