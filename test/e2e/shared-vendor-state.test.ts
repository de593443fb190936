import { describe, expect, it } from 'vitest';
import { buildTestGateway, type TestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';

interface ProviderView {
  breaker: { state: string };
  cooldownUntil: string | null;
  ejectedUntil: string | null;
}

describe.skipIf(!redisServerAvailable)('vendor rests shared between instances (real redis-server)', () => {
  const redis = useRedisServer();

  /** Each instance has its own simulators, so a fault set on one is a vendor failing as that instance sees it. */
  const instance = (keyPrefix: string, resetTimeoutMs = 60_000) =>
    buildTestGateway({
      adjust: (config) => {
        config.store = { redisUrl: redis.url, keyPrefix, commandTimeoutMs: 50, syncIntervalMs: 100 };
        config.providers.polygon!.breaker.resetTimeoutMs = resetTimeoutMs;
      },
    });

  async function polygonSeenBy(gateway: TestGateway): Promise<ProviderView> {
    const response = await gateway.app.inject({ url: '/v1/providers' });
    return response.json().data.find((entry: { name: string }) => entry.name === 'polygon');
  }

  const fault = (gateway: TestGateway, mode: string) =>
    gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode, delayMs: 0 } });
  const quote = (gateway: TestGateway, symbol: string) => gateway.app.inject({ url: `/v1/stocks/${symbol}/quote` });
  const polygonRequests = (gateway: TestGateway) =>
    gateway.sandbox.simulators.find((simulator) => simulator.vendor === 'polygon')!.requestCount;

  it('stops instance B calling a vendor within 1 s of its breaker opening on instance A', async () => {
    const [a, b] = [await instance('shared-eject'), await instance('shared-eject')];
    await untilStoreReady(a, b);
    await fault(a, 'error');
    for (let index = 0; index < 5; index += 1) expect((await quote(a, `A${index}`)).statusCode).toBe(200);
    expect((await polygonSeenBy(a)).breaker.state).toBe('open');
    const openedAt = Date.now();

    await expect
      .poll(async () => (await polygonSeenBy(b)).ejectedUntil, { timeout: 1_000, interval: 20 })
      .not.toBeNull();
    expect(Date.now() - openedAt).toBeLessThan(1_000);
    const before = polygonRequests(b);
    const answer = await quote(b, 'B1');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().meta.attempts[0]).toMatchObject({
      provider: 'polygon',
      outcome: 'breaker-open',
      detail: expect.stringMatching(/^open on another instance until /),
    });
    expect(polygonRequests(b)).toBe(before);
    // B's own breaker never opened: only A saw the vendor fail.
    expect((await polygonSeenBy(b)).breaker.state).toBe('closed');
  });

  it('lifts the rest on B when the breaker on A closes again', async () => {
    // A half-opens after 300 ms; B rests the vendor for its own reset time, 60 s: so B's rest can only end early because
    // A's breaker closed, and it lasts long enough to be seen on a slow machine (with 300 ms on both, it expired
    // between two polls on CI, and would have ended on time whether or not the close was heard).
    const [a, b] = [await instance('shared-close', 300), await instance('shared-close', 60_000)];
    await untilStoreReady(a, b);
    await fault(a, 'error');
    for (let index = 0; index < 5; index += 1) await quote(a, `A${index}`);
    await expect.poll(async () => (await polygonSeenBy(b)).ejectedUntil).not.toBeNull();
    await fault(a, 'ok');
    // Half-open after 300 ms: the next call is the probe, and its success closes A's breaker.
    await expect
      .poll(async () => (await quote(a, 'PROBE')).json().meta.provider, { timeout: 3_000, interval: 100 })
      .toBe('polygon');
    await expect.poll(async () => (await polygonSeenBy(b)).ejectedUntil, { timeout: 1_000 }).toBeNull();
  });

  it('rests the vendor on every instance after a 429 on one, and on an instance started during the rest', async () => {
    const [a, b] = [await instance('shared-429'), await instance('shared-429')];
    await untilStoreReady(a, b);
    await fault(a, 'rate-limited');
    await quote(a, 'A1');
    const until = (await polygonSeenBy(a)).cooldownUntil;
    expect(until).not.toBeNull();
    await expect.poll(async () => (await polygonSeenBy(b)).cooldownUntil, { timeout: 1_000, interval: 20 }).toBe(until);
    expect((await quote(b, 'B1')).json().meta.attempts[0]).toMatchObject({
      provider: 'polygon',
      outcome: 'cooling-down',
    });

    const late = await instance('shared-429');
    await untilStoreReady(late);
    await expect.poll(async () => (await polygonSeenBy(late)).cooldownUntil, { timeout: 1_000 }).toBe(until);
  });
});
