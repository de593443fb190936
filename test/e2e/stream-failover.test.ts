import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStreamVendor } from '../helpers/fake-stream-vendor.js';
import { openSse } from '../helpers/sse.js';
import { openStreamClient, type StreamMessage, type StreamTestClient } from '../helpers/stream-client.js';
import { streamGateway, type StreamGateway } from '../helpers/stream-gateway.js';

const update = (source: (name: string) => boolean) => (message: StreamMessage) =>
  message.op === 'update' && message.symbol === 'AAPL' && source(message.source as string);

/** Subscribes AAPL and waits until the first vendor's ticks reach the client. */
async function followFrom(gateway: StreamGateway, vendor: FakeStreamVendor, name: string): Promise<StreamTestClient> {
  const client = await openStreamClient(gateway.wsUrl);
  client.send({ op: 'subscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
  await expect.poll(() => vendor.trade('stocks.quote', 'AAPL', 100), { interval: 50 }).toBe(1);
  await client.next(update((source) => source === name));
  return client;
}

describe('stream failover', () => {
  let first: FakeStreamVendor;
  let second: FakeStreamVendor;
  beforeEach(async () => {
    [first, second] = await Promise.all([FakeStreamVendor.start(), FakeStreamVendor.start()]);
  });
  afterEach(async () => Promise.all([first.close(), second.close()]));

  it('resumes updates from another source within 2 s of a dropped socket, and reports streamFailover', async () => {
    const gateway = await streamGateway([
      { name: 'streama', url: first.url },
      { name: 'streamb', url: second.url },
    ]);
    const events = await openSse(`${gateway.url}/v1/events?events=streamFailover`);
    const client = await followFrom(gateway, first, 'streama');
    // Refused from now on (401): the first vendor rests, so the second one must take over.
    first.refuse(401);
    const killedAt = performance.now();
    first.kill();
    const resumed = await client.next(update((source) => source !== 'streama'));
    expect(performance.now() - killedAt).toBeLessThan(2_000);
    expect(resumed.via).toBe('poll');
    const event = await events.next((message) => message.event === 'streamFailover');
    expect(JSON.parse(event.data ?? '').payload).toEqual({
      channel: 'stocks.quote',
      from: 'streama',
      to: 'poller',
      reason: 'dropped',
    });
    // The second vendor is subscribed once its socket is live, and its ticks take over from the poller.
    await expect.poll(() => second.trade('stocks.quote', 'AAPL', 101.5), { interval: 50 }).toBe(1);
    const fromSecond = await client.next(update((source) => source === 'streamb'));
    expect((fromSecond.data as { price: number }).price).toBe(101.5);
    expect(first.subscribers('stocks.quote', 'AAPL')).toBe(0);
    events.close();
    client.socket.close();
  });

  it('notices a hung socket (no frame, no pong) and fails over within 2 s', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: first.url }], {
      adjust: (config) => {
        config.stream.silenceMs = 600;
        config.stream.upstreamPingMs = 100;
        config.stream.pollIntervalMs = { 'stocks.quote': 250 };
      },
    });
    const client = await followFrom(gateway, first, 'streama');
    const hungAt = performance.now();
    first.hang();
    await client.next(update((source) => source !== 'streama'));
    expect(performance.now() - hungAt).toBeLessThan(2_000);
    client.socket.close();
  });

  it('goes back to the preferred vendor once it is live again', async () => {
    const gateway = await streamGateway([
      { name: 'streama', url: first.url },
      { name: 'streamb', url: second.url },
    ]);
    const events = await openSse(`${gateway.url}/v1/events?events=streamFailover`);
    const client = await followFrom(gateway, first, 'streama');
    first.kill(); // accepted again at once: it reconnects after its backoff
    await expect.poll(() => first.connectionsOpened, { timeout: 5_000 }).toBeGreaterThan(1);
    await expect.poll(() => first.trade('stocks.quote', 'AAPL', 102), { interval: 50 }).toBe(1);
    const back = await client.next(
      (message) =>
        update((source) => source === 'streama')(message) && (message.data as { price: number }).price === 102,
    );
    expect(back.via).toBe('stream');
    const recovered = await events.next(
      (message) => message.event === 'streamFailover' && message.data?.includes('"to":"streama"') === true,
    );
    expect(JSON.parse(recovered.data ?? '').payload).toMatchObject({ channel: 'stocks.quote', reason: 'recovered' });
    await expect.poll(() => second.subscribers('stocks.quote', 'AAPL')).toBe(0);
    events.close();
    client.socket.close();
  });

  it('leaves symbols past the vendor’s connection cap to the poller, and moves them up as others leave', async () => {
    const gateway = await streamGateway(
      [{ name: 'streama', url: first.url, protocol: { maxSymbolsPerConnection: 2 } }],
      {
        adjust: (config) => (config.stream.pollIntervalMs = { 'stocks.quote': 250 }),
      },
    );
    const client = await openStreamClient(gateway.wsUrl);
    client.send({ op: 'subscribe', channel: 'stocks.quote', symbols: ['AAPL', 'MSFT', 'IBM'] });
    await expect.poll(() => first.subscribers('stocks.quote', 'MSFT')).toBe(1);
    expect(first.subscribers('stocks.quote', 'AAPL')).toBe(1);
    expect(first.subscribers('stocks.quote', 'IBM')).toBe(0);
    await expect.poll(() => first.trade('stocks.quote', 'AAPL', 150), { interval: 50 }).toBe(1);
    await client.next((message) => message.symbol === 'AAPL' && message.via === 'stream');
    const polledAfter = client.messages.length;
    await client.next(
      (message) =>
        client.messages.indexOf(message) >= polledAfter && message.symbol === 'IBM' && message.via === 'poll',
    );
    client.send({ op: 'unsubscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
    await expect.poll(() => first.subscribers('stocks.quote', 'IBM')).toBe(1);
    expect(first.subscribers('stocks.quote', 'AAPL')).toBe(0);
    await expect.poll(() => first.trade('stocks.quote', 'IBM', 140.5), { interval: 50 }).toBe(1);
    await client.next((message) => message.symbol === 'IBM' && message.via === 'stream');
    client.socket.close();
  });

  it('reconnects at once on a planned-restart frame and sends a protocol’s keep-alive on its period', async () => {
    const keepAlive = { message: JSON.stringify({ op: 'keepalive' }), everyMs: 100 };
    const gateway = await streamGateway([{ name: 'streama', url: first.url, protocol: { keepAlive } }], {
      adjust: (config) => {
        // A backoff this long would fail the test: a planned restart must not wait for it.
        config.stream.reconnectBaseMs = 60_000;
        config.stream.reconnectMaxMs = 60_000;
      },
    });
    const client = await followFrom(gateway, first, 'streama');
    await expect.poll(() => first.framesByOp.get('keepalive') ?? 0).toBeGreaterThanOrEqual(3);
    first.broadcast({ type: 'restart' });
    await expect.poll(() => first.connectionsOpened, { timeout: 3_000 }).toBe(2);
    await expect.poll(() => first.subscribers('stocks.quote', 'AAPL')).toBe(1);
    await expect.poll(() => first.trade('stocks.quote', 'AAPL', 103), { interval: 50 }).toBe(1);
    await client.next((message) => message.symbol === 'AAPL' && (message.data as { price: number }).price === 103);
    client.socket.close();
  });
});
