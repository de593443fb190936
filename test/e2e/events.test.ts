import { createServer, get, type IncomingMessage } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway, untilStoreReady } from '../helpers/build-app.js';
import { redisServerAvailable, startRedis } from '../helpers/redis.js';
import { openSse, type SseMessage } from '../helpers/sse.js';

async function listening(gateway: TestGateway): Promise<string> {
  return gateway.app.listen({ host: '127.0.0.1', port: 0 });
}

async function fault(gateway: TestGateway, vendor: string, mode: string) {
  await gateway.app.inject({ method: 'POST', url: `/sandbox/vendors/${vendor}/fault`, payload: { mode, delayMs: 0 } });
}

const quickBreaker = {
  volumeThreshold: 3,
  errorThresholdPercentage: 50,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 60_000,
  consecutiveFailures: 0,
};
/** Distinct symbols, so each request reaches a vendor whatever the response cache holds. */
const quotes = async (gateway: TestGateway, count: number) => {
  for (const symbol of ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META'].slice(0, count)) {
    await gateway.app.inject({ method: 'GET', url: `/v1/stocks/${symbol}/quote` });
  }
};
const named = (event: string) => (message: SseMessage) => message.event === event;

describe('GET /v1/events', () => {
  it('streams a failover and a breaker opening, with ids, JSON data and heartbeats', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.events.heartbeatMs = 100;
        config.providers.polygon!.breaker = quickBreaker;
      },
    });
    const base = await listening(gateway);
    const stream = await openSse(`${base}/v1/events`);
    onTestFinished(() => stream.close());
    await fault(gateway, 'polygon', 'error');
    await quotes(gateway, 3);

    const failover = await stream.next(named('failover'));
    expect(JSON.parse(failover.data!)).toMatchObject({
      name: 'failover',
      payload: { capability: 'stock-quote', from: 'polygon', to: 'finnhub', reason: 'unavailable' },
      instance: expect.any(String),
      at: expect.any(String),
    });
    const opened = await stream.next(named('breakerOpened'));
    expect(JSON.parse(opened.data!).payload).toEqual({ provider: 'polygon' });
    expect(Number(opened.id)).toBeGreaterThan(Number(failover.id));
    await stream.next((message) => message.comment === 'heartbeat');
  });

  it('replays what a client missed after Last-Event-ID, and filters by event name', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.providers.polygon!.breaker = quickBreaker) });
    const base = await listening(gateway);
    await fault(gateway, 'polygon', 'error');
    await quotes(gateway, 3);

    const replay = await openSse(`${base}/v1/events?events=breakerOpened`, { 'last-event-id': '0' });
    onTestFinished(() => replay.close());
    const opened = await replay.next(named('breakerOpened'));
    expect(JSON.parse(opened.data!).payload).toEqual({ provider: 'polygon' });
    expect(replay.messages.some((message) => message.event === 'failover')).toBe(false);

    const bad = await gateway.app.inject({ method: 'GET', url: '/v1/events?events=explosion' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('explosion');
  });

  it('disconnects a subscriber that stops reading instead of buffering for it without end', async () => {
    const gateway = await buildTestGateway();
    const base = await listening(gateway);
    const subscribers = async () =>
      Number(/^gateway_event_subscribers (\d+)$/m.exec((await gateway.app.inject({ url: '/metrics' })).body)?.[1]);
    const request = get(`${base}/v1/events`, (response) => response.pause()); // connects, then never reads
    request.on('error', () => undefined);
    onTestFinished(() => {
      request.destroy();
    });
    await expect.poll(subscribers).toBe(1);
    for (let i = 0; i < 40_000; i += 1) {
      gateway.app.router.events.emit('cooldownStarted', {
        provider: 'polygon',
        until: new Date().toISOString(),
        retryAfterMs: 1_000 + i,
      });
      if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(subscribers).toBe(0);
  });

  it('POSTs chosen events to a webhook on loopback', async () => {
    const received: { body: unknown; contentType: string | undefined }[] = [];
    const receiver = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ body: JSON.parse(text), contentType: request.headers['content-type'] });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const { port } = receiver.address() as { port: number };

    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.providers.polygon!.breaker = quickBreaker;
        config.alerts.webhooks = [
          {
            url: `http://127.0.0.1:${port}/hooks/gw?token=secret`,
            events: ['breakerOpened', 'failover'],
            minIntervalMs: 60_000,
          },
        ];
      },
    });
    await fault(gateway, 'polygon', 'error');
    await quotes(gateway, 4);

    await expect.poll(() => received.length, { timeout: 3_000 }).toBe(2);
    expect(received.map((entry) => (entry.body as { event: string }).event).sort()).toEqual([
      'breakerOpened',
      'failover',
    ]);
    expect(received[0]?.contentType).toBe('application/json');
    expect(received.find((entry) => (entry.body as { event: string }).event === 'breakerOpened')?.body).toMatchObject({
      payload: { provider: 'polygon' },
      suppressed: 0,
    });
    // Three failovers, one POST: the rest are held back inside minIntervalMs.
    expect(received.filter((entry) => (entry.body as { event: string }).event === 'failover')).toHaveLength(1);
    expect(gateway.logs()).not.toContain('secret');
  });
});

describe.skipIf(!redisServerAvailable)('/v1/events across instances (real redis-server)', () => {
  it('POSTs each alert once cluster-wide: only the instance that saw it, and one per subject in minIntervalMs', async () => {
    const received: { event: string; instance: string }[] = [];
    const receiver = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const { port } = receiver.address() as { port: number };
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    const shared = (config: TestGateway['config']) => {
      config.store = { redisUrl: redis.url, keyPrefix: 'alerts-once', commandTimeoutMs: 50, syncIntervalMs: 100 };
      config.providers.polygon!.breaker = quickBreaker;
      config.alerts.webhooks = [
        { url: `http://127.0.0.1:${port}/hook`, events: ['breakerOpened', 'failover'], minIntervalMs: 60_000 },
      ];
    };
    const a = await buildTestGateway({ adjust: shared, scope: 'manual' });
    const b = await buildTestGateway({ adjust: shared, scope: 'manual' });
    for (const gateway of [a, b]) {
      await untilStoreReady(gateway);
      await fault(gateway, 'polygon', 'error');
    }
    await quotes(a, 4);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    // B fails over too (polygon is failing for it, then resting on A's word): its failovers are the same subject.
    await quotes(b, 4);
    // Closing drains each instance's webhooks: whatever either would still send has been sent.
    await closeTestGateway(b);
    await closeTestGateway(a);
    expect(received.map((entry) => entry.event).sort()).toEqual(['breakerOpened', 'failover']);
    expect(new Set(received.map((entry) => entry.instance)).size).toBe(1);
  });

  it('delivers an event seen by one instance to a subscriber of another', async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    const withRedis = (config: TestGateway['config']) => {
      config.store = { redisUrl: redis.url, keyPrefix: 'events-test', commandTimeoutMs: 50, syncIntervalMs: 100 };
      config.providers.polygon!.breaker = quickBreaker;
    };
    const a = await buildTestGateway({ adjust: withRedis });
    const b = await buildTestGateway({ adjust: withRedis });
    await untilStoreReady(b, a);
    const stream = await openSse(`${await listening(b)}/v1/events`);
    onTestFinished(() => stream.close());

    await fault(a, 'polygon', 'error');
    await a.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    const failover = await stream.next(named('failover'));
    const body = JSON.parse(failover.data!);
    // B made no request: the event can only have come from A, through Redis.
    expect(body.payload).toMatchObject({ from: 'polygon', to: 'finnhub' });
    expect(body.instance).toMatch(/^[0-9a-f-]{36}$/);
  });
});
