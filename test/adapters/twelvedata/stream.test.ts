import { describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import { fromTwelvedataSymbol, toTwelvedataSymbol, twelvedataStream } from '../../../providers/twelvedata/stream.js';

const key = 'twelvedata-secret-key';
const parse = (frame: unknown) =>
  twelvedataStream.parse(typeof frame === 'string' ? frame : JSON.stringify(frame), 'stocks.quote');

describe('twelvedataStream', () => {
  it('is the adapter’s stream protocol, stocks and crypto on one socket', () => {
    expect(twelvedata.stream).toBe(twelvedataStream);
    expect(twelvedataStream.defaultUrl('crypto.price')).toBe('wss://ws.twelvedata.com/v1/quotes/price');
  });

  it('puts the key in the apikey query parameter and sends nothing on open', () => {
    expect(twelvedataStream.connectTarget('wss://ws.twelvedata.com/v1/quotes/price', key)).toEqual({
      url: `wss://ws.twelvedata.com/v1/quotes/price?apikey=${key}`,
    });
    expect(twelvedataStream.openingMessages(key)).toEqual([]);
  });

  it('subscribes and unsubscribes a comma list, as twelvedata documents', () => {
    expect(twelvedataStream.subscribeMessages('stocks.quote', ['AAPL', 'BRK.B'])).toEqual([
      '{"action":"subscribe","params":{"symbols":"AAPL,BRK.B"}}',
    ]);
    expect(twelvedataStream.unsubscribeMessages('crypto.price', ['BTC'])).toEqual([
      '{"action":"unsubscribe","params":{"symbols":"BTC/USD"}}',
    ]);
    expect(twelvedataStream.subscribeMessages('stocks.quote', [])).toEqual([]);
  });

  it('asks the engine to send the heartbeat action every 10 s', () => {
    expect(twelvedataStream.keepAlive).toEqual({ message: '{"action":"heartbeat"}', everyMs: 10_000 });
  });

  it('maps symbols both ways; forex and non-dollar pairs have no channel', () => {
    expect(fromTwelvedataSymbol(toTwelvedataSymbol('crypto.price', 'ETH'))).toEqual({
      channel: 'crypto.price',
      symbol: 'ETH',
    });
    expect(fromTwelvedataSymbol(toTwelvedataSymbol('stocks.quote', 'BRK.B'))).toEqual({
      channel: 'stocks.quote',
      symbol: 'BRK.B',
    });
    expect(fromTwelvedataSymbol('BTC/EUR')).toBeNull();
  });

  it('reads a price event with its timestamp in seconds and no size', () => {
    const event = {
      event: 'price',
      symbol: 'AAPL',
      currency: 'USD',
      exchange: 'NASDAQ',
      mic_code: 'XNGS',
      type: 'Common Stock',
      timestamp: 1618482192,
      price: 134.28,
      day_volume: 6323234,
    };
    expect(parse(event)).toEqual([
      {
        kind: 'tick',
        tick: { channel: 'stocks.quote', symbol: 'AAPL', price: 134.28, size: null, at: new Date(1618482192_000) },
      },
    ]);
  });

  it('reads a crypto price sent as a string, and ignores forex', () => {
    expect(
      parse({ event: 'price', symbol: 'BTC/USD', type: 'Digital Currency', price: '90000.5', timestamp: 1 }),
    ).toMatchObject([{ kind: 'tick', tick: { channel: 'crypto.price', symbol: 'BTC', price: 90000.5 } }]);
    const forex = { event: 'price', symbol: 'EUR/USD', type: 'Physical Currency', price: 1.08, timestamp: 1 };
    expect(parse(forex)).toEqual([{ kind: 'ignore' }]);
  });

  it('reads a price event without a timestamp as a non-fatal error', () => {
    expect(parse({ event: 'price', symbol: 'AAPL', price: 1 })).toMatchObject([{ kind: 'error', fatal: false }]);
  });

  it('reads each failed symbol of a subscribe-status as a non-fatal error naming it, in either documented form', () => {
    expect(
      parse({
        event: 'subscribe-status',
        status: 'ok',
        success: [{ symbol: 'AAPL' }],
        fails: ['ZZZQ', { symbol: 'X/Y' }],
      }),
    ).toEqual([
      { kind: 'error', fatal: false, detail: 'twelvedata refused a symbol', symbol: 'ZZZQ' },
      { kind: 'error', fatal: false, detail: 'twelvedata refused a symbol' },
    ]);
    expect(parse({ event: 'subscribe-status', status: 'ok', success: [], fails: [] })).toEqual([{ kind: 'ignore' }]);
    expect(parse({ event: 'subscribe-status', status: 'error' })).toEqual([
      { kind: 'error', fatal: false, detail: 'twelvedata refused a subscription' },
    ]);
  });

  it('reads the heartbeat reply as a heartbeat and ignores unknown events', () => {
    expect(parse({ event: 'heartbeat', status: 'ok' })).toEqual([{ kind: 'heartbeat' }]);
    expect(parse({ event: 'unsubscribe-status', status: 'ok' })).toEqual([{ kind: 'ignore' }]);
    expect(parse({ no: 'event' })).toEqual([{ kind: 'ignore' }]);
  });

  it('reads a frame that is not JSON as a non-fatal error and never throws', () => {
    expect(parse('{"event":')).toEqual([
      { kind: 'error', fatal: false, detail: 'twelvedata sent a frame that is not JSON' },
    ]);
  });

  it('puts the key in the connect target only', () => {
    const outputs = [
      ...twelvedataStream.openingMessages(key),
      ...twelvedataStream.subscribeMessages('stocks.quote', ['AAPL']),
      twelvedataStream.keepAlive?.message ?? '',
    ];
    expect(outputs.join('\n')).not.toContain(key);
  });
});
