import { describe, expect, it } from 'vitest';
import { Subscriber, type SubscriberSink } from '../../../src/stream/subscriber.js';
import type { StreamUpdate } from '../../../src/stream/topics.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';

function update(symbol: string, price: number): StreamUpdate {
  return { channel: 'stocks.quote', symbol, source: 'test', via: 'stream', data: priceOnlyQuote(symbol, price) };
}

/** A socket whose unread bytes the test sets: each message counts 100 bytes until `drain`. */
function fakeSink() {
  const sent: StreamUpdate[] = [];
  const state = { unread: 0, closed: null as number | null };
  const sink: SubscriberSink = {
    buffered: () => state.unread,
    send: (message) => {
      sent.push(message);
      state.unread += 100;
    },
    close: (code) => {
      state.closed = code;
    },
  };
  return { sink, sent, state };
}

const counters = () => ({ delivered: 0, conflated: 0, slowDisconnects: 0 });

describe('Subscriber', () => {
  it('sends at once while the socket has room', () => {
    const { sink, sent } = fakeSink();
    const subscriber = new Subscriber(sink, { bufferBytes: 1_000, slowConsumerMs: 5_000 }, counters());
    expect(subscriber.push('stocks.quote:A', update('A', 1), 0)).toBe(false);
    expect(sent.map((message) => message.data.price)).toEqual([1]);
  });

  it('keeps only the latest update per symbol once the socket is full, and flushes them as it drains', () => {
    const { sink, sent, state } = fakeSink();
    const count = counters();
    const subscriber = new Subscriber(sink, { bufferBytes: 200, slowConsumerMs: 5_000 }, count);
    subscriber.push('stocks.quote:A', update('A', 1), 0);
    subscriber.push('stocks.quote:B', update('B', 1), 0);
    expect(subscriber.push('stocks.quote:A', update('A', 2), 10)).toBe(true);
    subscriber.push('stocks.quote:A', update('A', 3), 20);
    subscriber.push('stocks.quote:B', update('B', 2), 30);
    expect(subscriber.waitingCount).toBe(2);
    expect(count.conflated).toBe(1);
    state.unread = 0;
    expect(subscriber.flush(40)).toBe(false);
    expect(sent.map((message) => `${message.symbol}${message.data.price}`)).toEqual(['A1', 'B1', 'A3', 'B2']);
    expect(count.delivered).toBe(4);
  });

  it('waits no more entries than symbols, however many updates arrive', () => {
    const { sink } = fakeSink();
    const subscriber = new Subscriber(sink, { bufferBytes: 100, slowConsumerMs: 60_000 }, counters());
    for (let price = 0; price < 10_000; price += 1)
      subscriber.push(`stocks.quote:S${price % 7}`, update('S', price), 0);
    expect(subscriber.waitingCount).toBe(7);
  });

  it('disconnects with 1013 a subscriber still behind after slowConsumerMs', () => {
    const { sink, state } = fakeSink();
    const count = counters();
    const subscriber = new Subscriber(sink, { bufferBytes: 100, slowConsumerMs: 1_000 }, count);
    subscriber.push('stocks.quote:A', update('A', 1), 0);
    subscriber.push('stocks.quote:A', update('A', 2), 100);
    expect(subscriber.flush(1_099)).toBe(true);
    expect(state.closed).toBeNull();
    expect(subscriber.flush(1_100)).toBe(false);
    expect(state.closed).toBe(1013);
    expect(count.slowDisconnects).toBe(1);
    expect(subscriber.push('stocks.quote:A', update('A', 3), 1_200)).toBe(false);
  });

  it('starts the slow clock again once it has caught up', () => {
    const { sink, state } = fakeSink();
    const subscriber = new Subscriber(sink, { bufferBytes: 100, slowConsumerMs: 1_000 }, counters());
    subscriber.push('stocks.quote:A', update('A', 1), 0);
    subscriber.push('stocks.quote:A', update('A', 2), 0);
    state.unread = 0;
    subscriber.flush(900);
    subscriber.push('stocks.quote:A', update('A', 3), 950);
    expect(subscriber.flush(1_500)).toBe(true);
    expect(state.closed).toBeNull();
  });
});
