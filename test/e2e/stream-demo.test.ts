import { describe, expect, it } from 'vitest';
import { listeningGateway } from '../helpers/listening-gateway.js';
import { openSse } from '../helpers/sse.js';
import { openStreamClient, type StreamMessage } from '../helpers/stream-client.js';

const fromStream = (symbol: string, source?: string) => (message: StreamMessage) =>
  message.op === 'update' &&
  message.symbol === symbol &&
  message.via === 'stream' &&
  (source === undefined || message.source === source);

describe('live streams from the simulated vendor feeds (as npm run demo)', () => {
  it('streams stock and crypto ticks through the vendors’ own protocols', async () => {
    const gateway = await listeningGateway();
    const wsUrl = `${gateway.url.replace('http', 'ws')}/v1/stream`;
    const client = await openStreamClient(wsUrl);
    client.send({ op: 'subscribe', channel: 'stocks.quote', symbols: ['AAPL'] });
    client.send({ op: 'subscribe', channel: 'crypto.price', symbols: ['BTC'] });
    const stock = await client.next(fromStream('AAPL'), 10_000);
    expect(stock.source).toBe('polygon');
    expect(stock.data).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    const crypto = await client.next(fromStream('BTC'), 10_000);
    expect(crypto.data).toMatchObject({ symbol: 'BTC', vs: 'USD' });
    const feeds = (await (await fetch(`${gateway.url}/sandbox/vendors`)).json()) as unknown;
    expect(JSON.stringify(feeds)).toContain('AAPL');
    // The operator's view: polygon's two cluster sockets (stocks, crypto) are live and have read frames.
    const providers = (await (await fetch(`${gateway.url}/v1/providers`)).json()) as {
      data: { name: string; streamFeeds: { state: string; framesIn: number }[] }[];
    };
    const polygon = providers.data.find((vendor) => vendor.name === 'polygon');
    expect(polygon?.streamFeeds.length).toBeGreaterThan(0);
    expect(polygon?.streamFeeds.some((feed) => feed.state === 'live' && feed.framesIn > 0)).toBe(true);
    expect(providers.data.find((vendor) => vendor.name === 'newsapi')?.streamFeeds).toEqual([]);
    client.socket.close();
  });

  it('fails over to the next simulated feed when the first one hangs', async () => {
    const gateway = await listeningGateway();
    const events = await openSse(`${gateway.url}/v1/events?events=streamFailover`);
    const sse = await openSse(`${gateway.url}/v1/stream/sse?channel=stocks.quote&symbols=AAPL`);
    const isPolygon = (message: { event?: string; data?: string }) =>
      message.event === 'update' && message.data?.includes('"source":"polygon","via":"stream"') === true;
    await sse.next(isPolygon);
    const hungAt = performance.now();
    const fault = await fetch(`${gateway.url}/sandbox/vendors/polygon/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'hang' }),
    });
    expect(fault.status).toBe(200);
    const after = sse.messages.length;
    await sse.next(
      (message) => sse.messages.indexOf(message) >= after && message.event === 'update' && !isPolygon(message),
    );
    expect(performance.now() - hungAt).toBeLessThan(2_500);
    const event = await events.next((message) => message.event === 'streamFailover');
    expect(JSON.parse(event.data ?? '').payload).toMatchObject({ from: 'polygon', reason: 'silent' });
    await sse.next((message) => message.event === 'update' && message.data?.includes('"source":"finnhub"') === true);
    sse.close();
    events.close();
  });
});
