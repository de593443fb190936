import { describe, expect, it } from 'vitest';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import {
  cryptocompareStream,
  fromCryptocompareSub,
  toCryptocompareSub,
} from '../../../providers/cryptocompare/stream.js';

const key = 'cryptocompare-secret-key';
const parse = (frame: unknown) =>
  cryptocompareStream.parse(typeof frame === 'string' ? frame : JSON.stringify(frame), 'crypto.price');

describe('cryptocompareStream', () => {
  it('is the adapter’s stream protocol, for crypto only', () => {
    expect(cryptocompare.stream).toBe(cryptocompareStream);
    expect(cryptocompareStream.channels).toEqual(['crypto.price']);
  });

  it('puts the key in the Authorization header, keeping the URL keyless', () => {
    expect(cryptocompareStream.connectTarget('wss://streamer.cryptocompare.com/v2', key)).toEqual({
      url: 'wss://streamer.cryptocompare.com/v2',
      headers: { Authorization: `Apikey ${key}` },
    });
    expect(cryptocompareStream.openingMessages(key)).toEqual([]);
  });

  it('adds and removes aggregate-index subscriptions, as the streamer documents them', () => {
    expect(cryptocompareStream.subscribeMessages('crypto.price', ['BTC', 'ETH'])).toEqual([
      '{"action":"SubAdd","subs":["5~CCCAGG~BTC~USD","5~CCCAGG~ETH~USD"]}',
    ]);
    expect(cryptocompareStream.unsubscribeMessages('crypto.price', ['BTC'])).toEqual([
      '{"action":"SubRemove","subs":["5~CCCAGG~BTC~USD"]}',
    ]);
  });

  it('maps subscriptions both ways and refuses other markets and quotes', () => {
    expect(fromCryptocompareSub(toCryptocompareSub('sol'))).toBe('SOL');
    expect(fromCryptocompareSub('0~Coinbase~BTC~USD')).toBeNull();
    expect(fromCryptocompareSub('5~CCCAGG~BTC~EUR')).toBeNull();
  });

  it('reads an aggregate update with a price as a tick, LASTUPDATE in seconds, without size', () => {
    const update = {
      TYPE: '5',
      MARKET: 'CCCAGG',
      FROMSYMBOL: 'BTC',
      TOSYMBOL: 'USD',
      FLAGS: 2,
      PRICE: 90123.45,
      LASTUPDATE: 1764750000,
      LASTVOLUME: 0.01,
    };
    expect(parse(update)).toEqual([
      {
        kind: 'tick',
        tick: { channel: 'crypto.price', symbol: 'BTC', price: 90123.45, size: null, at: new Date(1764750000_000) },
      },
    ]);
  });

  it('ignores an update that changed no price, or in another quote currency', () => {
    expect(parse({ TYPE: '5', FROMSYMBOL: 'BTC', TOSYMBOL: 'USD', VOLUMEDAY: 12 })).toEqual([{ kind: 'ignore' }]);
    expect(parse({ TYPE: '5', FROMSYMBOL: 'BTC', TOSYMBOL: 'EUR', PRICE: 1, LASTUPDATE: 1 })).toEqual([
      { kind: 'ignore' },
    ]);
  });

  it('reads a price without LASTUPDATE, or without FROMSYMBOL, as a non-fatal error', () => {
    expect(parse({ TYPE: '5', FROMSYMBOL: 'BTC', TOSYMBOL: 'USD', PRICE: 1 })).toMatchObject([
      { kind: 'error', fatal: false },
    ]);
    expect(parse({ TYPE: '5', TOSYMBOL: 'USD', PRICE: 1, LASTUPDATE: 1 })).toMatchObject([
      { kind: 'error', fatal: false },
    ]);
  });

  it('reads TYPE 999 as a heartbeat, numeric TYPE included, and control frames as nothing', () => {
    expect(parse({ TYPE: '999', MESSAGE: 'HEARTBEAT', TIMEMS: 1764750000000 })).toEqual([{ kind: 'heartbeat' }]);
    expect(parse({ TYPE: 999 })).toEqual([{ kind: 'heartbeat' }]);
    for (const type of ['20', '16', '3', '17', '18', '0', '2'])
      expect(parse({ TYPE: type })).toEqual([{ kind: 'ignore' }]);
  });

  it('reads 401 and 429 as fatal, 500 as a refused subscription naming its symbol', () => {
    expect(parse({ TYPE: '401', MESSAGE: 'UNAUTHORIZED' })).toMatchObject([{ kind: 'error', fatal: true }]);
    expect(parse({ TYPE: '429', MESSAGE: 'TOO_MANY_SOCKETS_MAX_1_PER_CLIENT' })).toMatchObject([
      { kind: 'error', fatal: true },
    ]);
    expect(parse({ TYPE: '500', MESSAGE: 'INVALID_SUB', PARAMETER: '5~CCCAGG~XYZ~USD' })).toEqual([
      { kind: 'error', fatal: false, detail: 'cryptocompare refused a subscription', symbol: 'XYZ' },
    ]);
    expect(parse({ TYPE: '500', MESSAGE: 'INVALID_JSON' })).toEqual([
      { kind: 'error', fatal: false, detail: 'cryptocompare refused a subscription' },
    ]);
  });

  it('reads a frame that is not JSON as a non-fatal error and never throws', () => {
    expect(parse('{"TYPE":')).toEqual([
      { kind: 'error', fatal: false, detail: 'cryptocompare sent a frame that is not JSON' },
    ]);
  });
});
