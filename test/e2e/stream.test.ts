import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../../src/config/env-overrides.js';
import { FakeStreamVendor } from '../helpers/fake-stream-vendor.js';
import { openSse } from '../helpers/sse.js';
import { openStreamClient, type StreamMessage } from '../helpers/stream-client.js';
import { streamGateway } from '../helpers/stream-gateway.js';

const isUpdate = (symbol: string, price?: number) => (message: StreamMessage) =>
  message.op === 'update' &&
  message.symbol === symbol &&
  (price === undefined || (message.data as { price: number }).price === price);

describe('GET /v1/stream', () => {
  let vendor: FakeStreamVendor;
  beforeEach(async () => {
    vendor = await FakeStreamVendor.start();
  });
  afterEach(async () => vendor.close());

  it('acknowledges a subscription and delivers vendor ticks merged into the REST quote', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }]);
    const client = await openStreamClient(gateway.wsUrl);
    await client.next((message) => message.op === 'welcome');
    client.send({ op: 'subscribe', id: 'a', channel: 'stocks.quote', symbols: ['aapl'] });
    const ack = await client.next((message) => message.op === 'subscribed');
    expect(ack).toEqual({ op: 'subscribed', id: 'a', channel: 'stocks.quote', symbols: ['AAPL'] });
    // The poller answers first from REST, then the vendor socket takes over.
    const polled = await client.next(isUpdate('AAPL'));
    expect(polled).toMatchObject({ channel: 'stocks.quote', via: 'poll' });
    await expect.poll(() => vendor.subscribers('stocks.quote', 'AAPL')).toBe(1);
    await expect.poll(() => vendor.trade('stocks.quote', 'AAPL', 123.45), { interval: 50 }).toBe(1);
    const update = await client.next(isUpdate('AAPL', 123.45));
    const data = update.data as { price: number; previousClose: number | null; change: number | null };
    expect(update).toMatchObject({ source: 'streama', via: 'stream' });
    expect(data.previousClose).not.toBeNull();
    expect(data.change).toBeCloseTo(123.45 - (data.previousClose as number), 6);
    client.socket.close();
  });

  it('answers a bad message with a problem and keeps the stream open', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }]);
    const client = await openStreamClient(gateway.wsUrl);
    client.send({ op: 'subscribe', id: 'x', channel: 'forex.rate', symbols: ['EUR'] });
    const error = await client.next((message) => message.op === 'error');
    expect(error).toMatchObject({
      id: 'x',
      problem: { status: 400, title: 'Bad request', type: 'urn:market-data-gateway:problem:bad-input' },
    });
    client.socket.send('not json');
    const second = await client.next((message) => message.op === 'error' && message.id === undefined);
    expect(second.problem).toMatchObject({ status: 400, detail: 'a message must be one JSON object in a text frame' });
    client.send({ op: 'subscribe', channel: 'crypto.price', symbols: ['BTC'] });
    await client.next((message) => message.op === 'subscribed');
    client.socket.close();
  });

  it('answers a plain GET with 426 problem+json', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }]);
    const response = await fetch(`${gateway.url}/v1/stream`);
    expect(response.status).toBe(426);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('caps the symbols of one connection and of one client', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }], {
      adjust: (config) => {
        config.stream.maxSubscriptionsPerConnection = 2;
        config.stream.maxSymbolsPerClient = 3;
        config.stream.maxConnectionsPerClient = 2;
      },
    });
    const first = await openStreamClient(gateway.wsUrl);
    first.send({ op: 'subscribe', id: '1', channel: 'stocks.quote', symbols: ['AAPL', 'MSFT', 'IBM'] });
    const tooMany = await first.next((message) => message.op === 'error');
    expect(tooMany.problem).toMatchObject({ status: 400 });
    first.send({ op: 'subscribe', id: '2', channel: 'stocks.quote', symbols: ['AAPL', 'MSFT'] });
    await first.next((message) => message.op === 'subscribed' && message.id === '2');
    first.send({ op: 'subscribe', id: '3', channel: 'stocks.quote', symbols: ['IBM'] });
    const perConnection = await first.next((message) => message.op === 'error' && message.id === '3');
    expect(perConnection.problem).toMatchObject({ status: 429 });
    const second = await openStreamClient(gateway.wsUrl);
    second.send({ op: 'subscribe', id: '4', channel: 'stocks.quote', symbols: ['IBM', 'ORCL'] });
    const perClient = await second.next((message) => message.op === 'error' && message.id === '4');
    expect(perClient.problem).toMatchObject({ status: 429, detail: expect.stringContaining('3 symbols') });
    const third = await openStreamClient(gateway.wsUrl);
    const refused = await third.next((message) => message.op === 'error');
    expect(refused.problem).toMatchObject({ status: 429, detail: expect.stringContaining("this client's 2") });
    expect((await third.closed).code).toBe(1008);
    first.socket.close();
    second.socket.close();
  });

  it('refuses the upgrade without a key in keys mode, and takes the key as a subprotocol', async () => {
    const key = 'mdg_stream-test-key';
    const cryptoOnly = 'mdg_crypto-only-key';
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }], {
      adjust: (config) => {
        config.auth.mode = 'keys';
        config.auth.keys = [
          { name: 'reader', sha256: hashClientKey(key), scopes: ['data'] },
          { name: 'crypto', sha256: hashClientKey(cryptoOnly), scopes: ['crypto-price'] },
        ];
      },
    });
    await expect(openStreamClient(gateway.wsUrl)).rejects.toMatchObject({ status: 401 });
    const browser = await openStreamClient(gateway.wsUrl, { protocols: ['mdg.v1', `mdg.key.${key}`] });
    expect(browser.socket.protocol).toBe('mdg.v1');
    browser.socket.close();
    const scoped = await openStreamClient(gateway.wsUrl, { headers: { 'x-api-key': cryptoOnly } });
    scoped.send({ op: 'subscribe', id: 's', channel: 'stocks.quote', symbols: ['AAPL'] });
    const forbidden = await scoped.next((message) => message.op === 'error');
    expect(forbidden.problem).toMatchObject({ status: 403 });
    scoped.send({ op: 'subscribe', id: 'c', channel: 'crypto.price', symbols: ['BTC'] });
    await scoped.next((message) => message.op === 'subscribed' && message.id === 'c');
    scoped.socket.close();
    expect(gateway.logs()).not.toContain(key);
  });

  it('closes streams with 1001 when the gateway shuts down', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }], { scope: 'manual' });
    const client = await openStreamClient(gateway.wsUrl);
    client.send({ op: 'subscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
    await client.next((message) => message.op === 'subscribed');
    await expect.poll(() => vendor.connections).toBe(1);
    await gateway.close();
    expect((await client.closed).code).toBe(1001);
    await expect.poll(() => vendor.connections).toBe(0);
  });
});

describe('GET /v1/stream/sse', () => {
  it('streams updates as server-sent events', async () => {
    const vendor = await FakeStreamVendor.start();
    try {
      const gateway = await streamGateway([{ name: 'streama', url: vendor.url }]);
      const sse = await openSse(`${gateway.url}/v1/stream/sse?channel=crypto.price&symbols=btc`);
      const first = await sse.next((message) => message.event === 'update');
      expect(JSON.parse(first.data ?? '')).toMatchObject({ op: 'update', channel: 'crypto.price', symbol: 'BTC' });
      await expect.poll(() => vendor.trade('crypto.price', 'BTC', 50_000.5), { interval: 50 }).toBe(1);
      await sse.next((message) => message.event === 'update' && message.data?.includes('50000.5') === true);
      sse.close();
      const bad = await fetch(`${gateway.url}/v1/stream/sse?channel=nope&symbols=BTC`);
      expect(bad.status).toBe(400);
    } finally {
      await vendor.close();
    }
  });
});
