import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { polygonStream } from '../../../providers/polygon/stream.js';
import { polygonSimulator } from '../../../sandbox/polygon-simulator.js';
import { sandboxKey } from '../../helpers/simulator.js';
import { ProtocolClient, rawMessages, streamSimulatorConformance } from '../../helpers/stream-simulator.js';

const sandbox = streamSimulatorConformance(polygonStream, polygonSimulator, {
  channel: 'stocks.quote',
  symbols: ['MSFT', 'BRK.B'],
  withoutKey: { frame: { kind: 'error', fatal: true, detail: 'polygon refused the key (auth_failed)' } },
  faultFrame: { kind: 'error', fatal: true, detail: 'polygon evicted this connection (max_connections)' },
});

const openStocksSocket = async () => {
  const socket = new WebSocket(polygonStream.connectTarget(sandbox.feed.url('stocks.quote'), sandboxKey).url);
  const first = rawMessages(socket, 1);
  await once(socket, 'open');
  return { socket, first };
};

describe('polygon simulator feed', () => {
  it('serves crypto trades on the crypto cluster', async () => {
    expect(sandbox.feed.url('crypto.price')).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/crypto$/);
    const client = await ProtocolClient.connect(polygonStream, sandbox.feed, 'crypto.price');
    client.subscribe(['BTC', 'ETH']);
    await sandbox.feed.until(() => sandbox.feed.subscriptions.get('ETH') === 1);
    sandbox.feed.tickNow();
    const ticks = await client.ticks(2);
    expect(ticks.map((tick) => [tick.channel, tick.symbol, tick.size])).toEqual([
      ['crypto.price', 'BTC', 0.0125],
      ['crypto.price', 'ETH', 0.0125],
    ]);
    client.close();
  });

  it('sends connected first and acknowledges each subscription with a success status', async () => {
    const { socket, first } = await openStocksSocket();
    expect(await first).toEqual(['[{"ev":"status","status":"connected","message":"Connected Successfully"}]']);
    const replies = rawMessages(socket, 3);
    for (const message of polygonStream.openingMessages(sandboxKey)) socket.send(message);
    for (const message of polygonStream.subscribeMessages('stocks.quote', ['AAPL', 'MSFT'])) socket.send(message);
    expect(await replies).toEqual([
      '[{"ev":"status","status":"auth_success","message":"authenticated"}]',
      '[{"ev":"status","status":"success","message":"subscribed to: T.AAPL"}]',
      '[{"ev":"status","status":"success","message":"subscribed to: T.MSFT"}]',
    ]);
    socket.terminate();
  });

  it('subscribes nothing before auth', async () => {
    const { socket, first } = await openStocksSocket();
    await first;
    const reply = rawMessages(socket, 1);
    for (const message of polygonStream.subscribeMessages('stocks.quote', ['AAPL'])) socket.send(message);
    const [text] = await reply;
    expect(polygonStream.parse(text ?? '', 'stocks.quote')).toMatchObject([{ kind: 'error', fatal: false }]);
    expect(sandbox.feed.subscriptions.has('AAPL')).toBe(false);
    socket.terminate();
  });
});
