import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import { fromPolygonPair, polygonStream, toPolygonSymbol } from '../../../providers/polygon/stream.js';

const key = 'polygon-secret-key';
const parse = (frame: unknown, channel: 'stocks.quote' | 'crypto.price' = 'stocks.quote') =>
  polygonStream.parse(typeof frame === 'string' ? frame : JSON.stringify(frame), channel);
const status = (value: string, message = '') => ({ ev: 'status', status: value, message });

describe('polygonStream', () => {
  it('is the adapter’s stream protocol, one cluster per channel', () => {
    expect(polygon.stream).toBe(polygonStream);
    expect(polygonStream.defaultUrl('stocks.quote')).toBe('wss://socket.massive.com/stocks');
    expect(polygonStream.defaultUrl('crypto.price')).toBe('wss://socket.massive.com/crypto');
  });

  it('keeps the key out of the URL and sends it in the first frame, then waits for auth_success', () => {
    expect(polygonStream.connectTarget('wss://socket.massive.com/stocks', key)).toEqual({
      url: 'wss://socket.massive.com/stocks',
    });
    expect(polygonStream.openingMessages(key)).toEqual([`{"action":"auth","params":"${key}"}`]);
    expect(polygonStream.awaitsReady).toBe(true);
  });

  it('subscribes and unsubscribes several tickers in one frame, as polygon documents', () => {
    expect(polygonStream.subscribeMessages('stocks.quote', ['AAPL', 'MSFT'])).toEqual([
      '{"action":"subscribe","params":"T.AAPL,T.MSFT"}',
    ]);
    expect(polygonStream.unsubscribeMessages('stocks.quote', ['AAPL'])).toEqual([
      '{"action":"unsubscribe","params":"T.AAPL"}',
    ]);
    expect(polygonStream.subscribeMessages('crypto.price', ['BTC', 'ETH'])).toEqual([
      '{"action":"subscribe","params":"XT.BTC-USD,XT.ETH-USD"}',
    ]);
    expect(polygonStream.subscribeMessages('stocks.quote', [])).toEqual([]);
  });

  it('maps symbols both ways: share classes keep their dot, crypto is the USD pair', () => {
    expect(toPolygonSymbol('stocks.quote', 'BRK.B')).toBe('BRK.B');
    expect(toPolygonSymbol('crypto.price', 'BTC')).toBe('BTC-USD');
    expect(fromPolygonPair(toPolygonSymbol('crypto.price', 'ETH'))).toBe('ETH');
    expect(fromPolygonPair('BTC-EUR')).toBeNull();
  });

  it('reads the auth handshake: connected is ignored, auth_success is ready', () => {
    expect(parse([status('connected', 'Connected Successfully')])).toEqual([{ kind: 'ignore' }]);
    expect(parse([status('auth_success', 'authenticated')])).toEqual([{ kind: 'ready' }]);
  });

  it('reads auth_failed and max_connections as fatal errors', () => {
    expect(parse([status('auth_failed', 'authentication failed')])).toEqual([
      { kind: 'error', fatal: true, detail: 'polygon refused the key (auth_failed)' },
    ]);
    expect(parse([status('max_connections', 'Maximum number of websocket connections exceeded.')])).toMatchObject([
      { kind: 'error', fatal: true },
    ]);
  });

  it('reads an error status as non-fatal and subscription acks as nothing', () => {
    expect(parse([status('error', 'bad subscription')])).toMatchObject([{ kind: 'error', fatal: false }]);
    expect(parse([status('success', 'subscribed to: T.AAPL')])).toEqual([{ kind: 'ignore' }]);
  });

  it('reads an array mixing a status and stock trades, in order, with ms times', () => {
    const frames = parse([
      status('success', 'subscribed to: T.MSFT'),
      { ev: 'T', sym: 'MSFT', x: 4, i: '12345', z: 3, p: 420.5, s: 100, c: [14, 41], t: 1_764_000_000_456, q: 9 },
      { ev: 'T', sym: 'BRK.B', p: 480.1, s: 5, t: 1_764_000_000_789 },
    ]);
    expect(frames).toEqual([
      { kind: 'ignore' },
      {
        kind: 'tick',
        tick: { channel: 'stocks.quote', symbol: 'MSFT', price: 420.5, size: 100, at: new Date(1_764_000_000_456) },
      },
      {
        kind: 'tick',
        tick: { channel: 'stocks.quote', symbol: 'BRK.B', price: 480.1, size: 5, at: new Date(1_764_000_000_789) },
      },
    ]);
  });

  it('reads crypto trades by pair, with fractional sizes', () => {
    expect(parse([{ ev: 'XT', pair: 'BTC-USD', p: 90_123.45, s: 0.0125, t: 1_764_000_000_000, c: [2], x: 1 }])).toEqual(
      [
        {
          kind: 'tick',
          tick: {
            channel: 'crypto.price',
            symbol: 'BTC',
            price: 90_123.45,
            size: 0.0125,
            at: new Date(1_764_000_000_000),
          },
        },
      ],
    );
  });

  it('ignores a crypto trade quoted in another currency', () => {
    expect(parse([{ ev: 'XT', pair: 'BTC-EUR', p: 80_000, s: 1, t: 1 }])).toEqual([{ kind: 'ignore' }]);
  });

  it('reads prices sent as strings and a missing size as null', () => {
    expect(parse([{ ev: 'T', sym: 'AAPL', p: '189.5', t: 1 }])).toMatchObject([
      { kind: 'tick', tick: { price: 189.5, size: null } },
    ]);
  });

  it('reads a trade without a price as a non-fatal error, keeping the rest of the frame', () => {
    expect(
      parse([
        { ev: 'T', sym: 'AAPL', t: 1 },
        { ev: 'T', sym: 'AAPL', p: 1, s: 1, t: 2 },
      ]),
    ).toMatchObject([
      { kind: 'error', fatal: false },
      { kind: 'tick', tick: { price: 1 } },
    ]);
  });

  it('ignores quotes, aggregates, unknown events and events without ev', () => {
    expect(
      parse([{ ev: 'Q', sym: 'AAPL', bp: 1 }, { ev: 'AM', sym: 'AAPL' }, { ev: 'NEW' }, { nothing: true }, 42]),
    ).toEqual(Array.from({ length: 5 }, () => ({ kind: 'ignore' })));
  });

  it('reads a lone event object like an array of one', () => {
    expect(parse(status('auth_success'))).toEqual([{ kind: 'ready' }]);
  });

  it('reads a frame that is not JSON as a non-fatal error and never throws', () => {
    expect(parse('[{"ev":"T",')).toEqual([
      { kind: 'error', fatal: false, detail: 'polygon sent a frame that is not JSON' },
    ]);
  });

  it('puts the key in the opening message only', () => {
    const outputs = [
      polygonStream.connectTarget('wss://socket.massive.com/stocks', key).url,
      ...polygonStream.subscribeMessages('stocks.quote', ['AAPL']),
      ...polygonStream.unsubscribeMessages('crypto.price', ['BTC']),
      JSON.stringify(parse([status('auth_failed', `bad key ${key}`)])),
    ];
    expect(outputs.join('\n')).not.toContain(key);
  });
});
