import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStreamVendor } from '../helpers/fake-stream-vendor.js';
import { openStreamClient } from '../helpers/stream-client.js';
import { streamGateway } from '../helpers/stream-gateway.js';

const symbols = Array.from({ length: 50 }, (_, index) => `SYM${index}`);

/** Room for 1,000 streams from one address (the tests' clients all come from 127.0.0.1). */
const manyClients = (config: Parameters<NonNullable<Parameters<typeof streamGateway>[1]>['adjust'] & object>[0]) => {
  config.server.clientRateLimit.enabled = false;
  config.stream.maxConnectionsPerClient = 5_000;
  config.stream.maxSymbolsPerClient = 1_000_000;
};

describe('stream fan-out', () => {
  let vendor: FakeStreamVendor;
  beforeEach(async () => {
    vendor = await FakeStreamVendor.start();
  });
  afterEach(async () => vendor.close());

  it('delivers to 1,000 subscribers on 50 symbols every update, or the latest when conflated', async () => {
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }], { adjust: manyClients });
    const lastPrice = new Map<string, number>();
    const received: Map<string, number[]>[] = [];
    const sockets: WebSocket[] = [];
    const pending: Promise<void>[] = [];
    for (let index = 0; index < 1_000; index += 1) {
      const prices = new Map<string, number[]>();
      received.push(prices);
      const socket = new WebSocket(gateway.wsUrl);
      sockets.push(socket);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          op: string;
          symbol: string;
          via: string;
          data: { price: number };
        };
        if (message.op !== 'update' || message.via !== 'stream') return;
        const list = prices.get(message.symbol) ?? [];
        list.push(message.data.price);
        prices.set(message.symbol, list);
      });
      pending.push(
        new Promise<void>((resolve, reject) => {
          socket.on('error', reject);
          socket.on('message', (data) => {
            if (String(data).includes('"op":"subscribed"')) resolve();
          });
          socket.on('open', () => socket.send(JSON.stringify({ op: 'subscribe', channel: 'stocks.quote', symbols })));
        }),
      );
    }
    await Promise.all(pending);
    await expect.poll(() => symbols.every((symbol) => vendor.subscribers('stocks.quote', symbol) === 1)).toBe(true);
    // Three rounds of a tick per symbol, rising prices; each subscriber must end on the last and never go back.
    for (let round = 1; round <= 3; round += 1) {
      for (const [index, symbol] of symbols.entries()) {
        const price = 100 + index + round / 10;
        vendor.trade('stocks.quote', symbol, price);
        lastPrice.set(symbol, price);
      }
    }
    const allCaughtUp = () =>
      received.every((prices) => symbols.every((symbol) => prices.get(symbol)?.at(-1) === lastPrice.get(symbol)));
    await expect.poll(allCaughtUp, { timeout: 30_000, interval: 200 }).toBe(true);
    for (const prices of received) {
      for (const list of prices.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
    }
    // One upstream subscription per symbol, however many subscribers.
    for (const symbol of symbols) expect(vendor.subscribeFrames.get(`stocks.quote:${symbol}`)).toBe(1);
    for (const socket of sockets) socket.close();
  }, 90_000);

  it('conflates for a consumer that stops reading, keeps its buffer bounded and disconnects it', async () => {
    const bufferBytes = 16 * 1024;
    const gateway = await streamGateway([{ name: 'streama', url: vendor.url }], {
      adjust: (config) => {
        config.stream.bufferBytes = bufferBytes;
        config.stream.slowConsumerMs = 1_500;
      },
    });
    const slow = await openStreamClient(gateway.wsUrl);
    slow.send({ op: 'subscribe', channel: 'stocks.quote', symbols: symbols.slice(0, 10) });
    await slow.next((message) => message.op === 'subscribed');
    await expect.poll(() => vendor.subscribers('stocks.quote', 'SYM9')).toBe(1);
    (slow.socket as unknown as { _socket: Socket })._socket.pause();
    const [serverSide] = gateway.app.websocketServer.clients;
    let largestBuffer = 0;
    let price = 100;
    // The paused client never reads its close frame: the server's side of the socket tells.
    const disconnected = () => gateway.app.websocketServer.clients.size === 0;
    // Enough updates to fill the kernel's socket buffers and then some; bounded by the disconnect or 200,000.
    for (let sent = 0; !disconnected() && sent < 200_000; sent += 500) {
      for (let burst = 0; burst < 50; burst += 1) {
        price += 0.01;
        for (const symbol of symbols.slice(0, 10)) vendor.trade('stocks.quote', symbol, price);
      }
      largestBuffer = Math.max(largestBuffer, serverSide?.bufferedAmount ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await expect.poll(disconnected, { timeout: 5_000 }).toBe(true);
    expect(largestBuffer).toBeGreaterThan(0);
    expect(largestBuffer).toBeLessThan(bufferBytes + 1_024);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(Number(/^gateway_stream_conflations_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^gateway_stream_slow_disconnects_total 1$/m);
  }, 60_000);
});
