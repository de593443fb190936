import { describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';
import { finnhubStream, fromFinnhubSymbol, toFinnhubSymbol } from '../../../providers/finnhub/stream.js';

const key = 'finnhub-secret-key';
const parse = (frame: unknown) =>
  finnhubStream.parse(typeof frame === 'string' ? frame : JSON.stringify(frame), 'stocks.quote');

describe('finnhubStream', () => {
  it('is the adapter’s stream protocol, for stocks and crypto', () => {
    expect(finnhub.stream).toBe(finnhubStream);
    expect(finnhubStream.channels).toEqual(['stocks.quote', 'crypto.price']);
  });

  it('puts the key in the token query parameter and sends nothing on open', () => {
    expect(finnhubStream.connectTarget(finnhubStream.defaultUrl('stocks.quote'), key)).toEqual({
      url: `wss://ws.finnhub.io/?token=${key}`,
    });
    expect(finnhubStream.openingMessages(key)).toEqual([]);
    expect(finnhubStream.awaitsReady).toBe(false);
  });

  it('keeps a configured base URL and its path', () => {
    expect(finnhubStream.connectTarget('ws://127.0.0.1:4000/stream', key).url).toBe(
      `ws://127.0.0.1:4000/stream?token=${key}`,
    );
  });

  it('subscribes one symbol per frame, as finnhub documents', () => {
    expect(finnhubStream.subscribeMessages('stocks.quote', ['AAPL', 'BRK.B'])).toEqual([
      '{"type":"subscribe","symbol":"AAPL"}',
      '{"type":"subscribe","symbol":"BRK.B"}',
    ]);
    expect(finnhubStream.unsubscribeMessages('crypto.price', ['BTC'])).toEqual([
      '{"type":"unsubscribe","symbol":"BINANCE:BTCUSDT"}',
    ]);
  });

  it('maps symbols both ways: stocks pass through, crypto is the Binance USDT pair', () => {
    for (const [channel, symbol, vendor] of [
      ['stocks.quote', 'AAPL', 'AAPL'],
      ['stocks.quote', 'BRK.B', 'BRK.B'],
      ['crypto.price', 'BTC', 'BINANCE:BTCUSDT'],
      ['crypto.price', 'ETH', 'BINANCE:ETHUSDT'],
    ] as const) {
      expect(toFinnhubSymbol(channel, symbol)).toBe(vendor);
      expect(fromFinnhubSymbol(vendor)).toEqual({ channel, symbol });
    }
    expect(fromFinnhubSymbol('OANDA:EUR_USD')).toBeNull();
    expect(fromFinnhubSymbol('COINBASE:BTC-USD')).toBeNull();
  });

  it('reads every trade of a frame, with ms times and the channel from the symbol', () => {
    const frames = parse({
      type: 'trade',
      data: [
        { s: 'AAPL', p: 189.5, t: 1_764_000_000_123, v: 100, c: ['1', '12'] },
        { s: 'BINANCE:BTCUSDT', p: 7296.89, t: 1575526691134, v: 0.011467 },
      ],
    });
    expect(frames).toEqual([
      {
        kind: 'tick',
        tick: { channel: 'stocks.quote', symbol: 'AAPL', price: 189.5, size: 100, at: new Date(1_764_000_000_123) },
      },
      {
        kind: 'tick',
        tick: { channel: 'crypto.price', symbol: 'BTC', price: 7296.89, size: 0.011467, at: new Date(1575526691134) },
      },
    ]);
  });

  it('reads v 0 and a missing v as a price-only update with size null', () => {
    const frames = parse({
      type: 'trade',
      data: [
        { s: 'MSFT', p: 420, t: 1, v: 0 },
        { s: 'MSFT', p: 421, t: 2 },
      ],
    });
    expect(frames.map((frame) => frame.kind === 'tick' && frame.tick.size)).toEqual([null, null]);
  });

  it('reads prices sent as strings', () => {
    expect(parse({ type: 'trade', data: [{ s: 'AAPL', p: '189.25', t: 5, v: '3' }] })).toMatchObject([
      { kind: 'tick', tick: { price: 189.25, size: 3 } },
    ]);
  });

  it('keeps the good trades of a frame and reports a broken one as a non-fatal error', () => {
    const frames = parse({
      type: 'trade',
      data: [
        { s: 'AAPL', p: null, t: 1 },
        { s: 'AAPL', p: 190, t: 2, v: 1 },
      ],
    });
    expect(frames).toMatchObject([
      { kind: 'error', fatal: false },
      { kind: 'tick', tick: { symbol: 'AAPL', price: 190 } },
    ]);
  });

  it('drops trades for symbols no channel streams (forex)', () => {
    expect(parse({ type: 'trade', data: [{ s: 'OANDA:EUR_USD', p: 1.08, t: 1, v: 0 }] })).toEqual([]);
  });

  it('reads ping as a heartbeat', () => {
    expect(parse({ type: 'ping' })).toEqual([{ kind: 'heartbeat' }]);
  });

  it('reads an error frame as non-fatal and names the refused symbol in canonical form', () => {
    expect(parse({ type: 'error', msg: 'Invalid symbol BINANCE:XYZUSDT' })).toEqual([
      { kind: 'error', fatal: false, detail: 'finnhub refused a symbol', symbol: 'XYZ' },
    ]);
    expect(parse({ type: 'error', msg: 'Subscribing to too many symbols.' })).toEqual([
      { kind: 'error', fatal: false, detail: 'finnhub sent an error frame' },
    ]);
    expect(parse({ type: 'error' })).toEqual([{ kind: 'error', fatal: false, detail: 'finnhub sent an error frame' }]);
  });

  it('ignores news, unknown types and frames without a type', () => {
    expect(parse({ type: 'news', data: [{ headline: 'x' }] })).toEqual([{ kind: 'ignore' }]);
    expect(parse({ hello: 'world' })).toEqual([{ kind: 'ignore' }]);
    expect(parse([1, 2])).toEqual([{ kind: 'ignore' }]);
  });

  it('reads a trade frame without a data array as a non-fatal error', () => {
    expect(parse({ type: 'trade' })).toMatchObject([{ kind: 'error', fatal: false }]);
  });

  it('reads a frame that is not JSON as a non-fatal error and never throws', () => {
    expect(parse('{"type":"trade","data":[')).toEqual([
      { kind: 'error', fatal: false, detail: 'finnhub sent a frame that is not JSON' },
    ]);
  });

  it('puts the key in the connect target only', () => {
    const outputs = [
      ...finnhubStream.openingMessages(key),
      ...finnhubStream.subscribeMessages('stocks.quote', ['AAPL']),
      ...finnhubStream.unsubscribeMessages('crypto.price', ['BTC']),
      JSON.stringify(parse({ type: 'error', msg: `bad key ${key}` })),
    ];
    expect(outputs.join('\n')).not.toContain(key);
  });
});
