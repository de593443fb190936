import { describe, expect, it } from 'vitest';
import { coinapi } from '../../../providers/coinapi/index.js';
import { coinapiStream, toCoinapiAssetPair } from '../../../providers/coinapi/stream.js';

const key = 'coinapi-secret-key';
const parse = (frame: unknown) =>
  coinapiStream.parse(typeof frame === 'string' ? frame : JSON.stringify(frame), 'crypto.price');
const exrate = (fields: Record<string, unknown> = {}) => ({
  type: 'exrate',
  asset_id_base: 'BTC',
  asset_id_quote: 'USD',
  rate_type: 'BASE_ALL_CURRENT',
  time: '2026-12-03T07:45:31.1234567Z',
  rate: 90_123.456,
  ...fields,
});

describe('coinapiStream', () => {
  it('is the adapter’s stream protocol, for crypto only', () => {
    expect(coinapi.stream).toBe(coinapiStream);
    expect(coinapiStream.channels).toEqual(['crypto.price']);
    expect(coinapiStream.defaultUrl('crypto.price')).toBe('wss://ws.coinapi.io/v1/');
  });

  it('puts the key in the X-CoinAPI-Key header of the upgrade, not in the URL or a frame', () => {
    expect(coinapiStream.connectTarget('wss://ws.coinapi.io/v1/', key)).toEqual({
      url: 'wss://ws.coinapi.io/v1/',
      headers: { 'X-CoinAPI-Key': key },
    });
    expect(coinapiStream.openingMessages(key)).toEqual([]);
    expect(coinapiStream.awaitsReady).toBe(false);
  });

  it('adds and removes exrate filters with heartbeats on, never replacing the scope with hello', () => {
    expect(coinapiStream.subscribeMessages('crypto.price', ['BTC', 'ETH'])).toEqual([
      '{"type":"subscribe","heartbeat":true,"subscribe_data_type":["exrate"],"subscribe_filter_asset_id":["BTC/USD","ETH/USD"]}',
    ]);
    expect(coinapiStream.unsubscribeMessages('crypto.price', ['ETH'])).toEqual([
      '{"type":"unsubscribe","heartbeat":true,"subscribe_data_type":["exrate"],"subscribe_filter_asset_id":["ETH/USD"]}',
    ]);
    expect(coinapiStream.subscribeMessages('crypto.price', [])).toEqual([]);
  });

  it('maps a canonical coin to its USD asset pair', () => {
    expect(toCoinapiAssetPair('btc')).toBe('BTC/USD');
  });

  it('reads an exchange rate as a tick without size, its 7-digit time kept to the millisecond', () => {
    expect(parse(exrate())).toEqual([
      {
        kind: 'tick',
        tick: {
          channel: 'crypto.price',
          symbol: 'BTC',
          price: 90_123.456,
          size: null,
          at: new Date('2026-12-03T07:45:31.123Z'),
        },
      },
    ]);
  });

  it('reads a rate sent as a string', () => {
    expect(parse(exrate({ rate: '3200.5' }))).toMatchObject([{ kind: 'tick', tick: { symbol: 'BTC', price: 3200.5 } }]);
  });

  it('ignores a rate against another quote asset and a zero rate', () => {
    expect(parse(exrate({ asset_id_quote: 'EUR' }))).toEqual([{ kind: 'ignore' }]);
    expect(parse(exrate({ rate: 0 }))).toEqual([{ kind: 'ignore' }]);
  });

  it('reads an exrate without a time or rate as a non-fatal error', () => {
    expect(parse(exrate({ time: null }))).toMatchObject([{ kind: 'error', fatal: false }]);
    expect(parse(exrate({ rate: undefined }))).toMatchObject([{ kind: 'error', fatal: false }]);
  });

  it('reads both heartbeat spellings', () => {
    expect(parse({ type: 'hearbeat' })).toEqual([{ kind: 'heartbeat' }]);
    expect(parse({ type: 'heartbeat' })).toEqual([{ kind: 'heartbeat' }]);
  });

  it('reads every error as fatal, whatever it says', () => {
    for (const message of [
      'Invalid API key',
      'Insufficient Usage Credits',
      'Reached maximum allowed buffered messages for this connection.',
    ]) {
      expect(parse({ type: 'error', message })).toEqual([
        { kind: 'error', fatal: true, detail: 'coinapi refused the connection (error frame)' },
      ]);
    }
  });

  it('reads a reconnect notice with its deadline, and without one', () => {
    expect(parse({ type: 'reconnect', within_seconds: 10, before_time: '2026-12-03T08:00:10.0000000Z' })).toEqual([
      { kind: 'reconnect', detail: 'coinapi announced a planned restart', before: new Date('2026-12-03T08:00:10Z') },
    ]);
    expect(parse({ type: 'reconnect' })).toEqual([
      { kind: 'reconnect', detail: 'coinapi announced a planned restart' },
    ]);
  });

  it('ignores trades, quotes, unknown types and frames without a type', () => {
    expect(parse({ type: 'trade', symbol_id: 'BITSTAMP_SPOT_BTC_USD', price: 1, size: 0 })).toEqual([
      { kind: 'ignore' },
    ]);
    expect(parse({ type: 'book20' })).toEqual([{ kind: 'ignore' }]);
    expect(parse(['exrate'])).toEqual([{ kind: 'ignore' }]);
  });

  it('reads a frame that is not JSON as a non-fatal error and never throws', () => {
    expect(parse('{"type":"exrate"')).toEqual([
      { kind: 'error', fatal: false, detail: 'coinapi sent a frame that is not JSON' },
    ]);
  });

  it('puts the key in the connect target only', () => {
    const outputs = [
      coinapiStream.connectTarget('wss://ws.coinapi.io/v1/', key).url,
      ...coinapiStream.openingMessages(key),
      ...coinapiStream.subscribeMessages('crypto.price', ['BTC']),
      ...coinapiStream.unsubscribeMessages('crypto.price', ['BTC']),
      JSON.stringify(parse({ type: 'error', message: `Invalid API key ${key}` })),
    ];
    expect(outputs.join('\n')).not.toContain(key);
  });
});
