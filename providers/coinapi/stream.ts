// wss://ws.coinapi.io/v1/ — https://docs.coinapi.io/market-data/websocket/general,
// https://docs.coinapi.io/market-data/websocket/messages
// Quirks (docs/vendors.md#streaming-apis): the key goes in the X-CoinAPI-Key header of the upgrade; `subscribe` adds to
// the connection's scope and `unsubscribe` removes from it (`hello` would replace the whole scope, so it is not used);
// heartbeats are opt-in, one per second of silence, spelled `hearbeat` on the messages page; every `error` is final and
// the server closes after it; `reconnect` announces a planned restart; times are ISO strings with 7 fractional digits.
import { z } from 'zod';
import type { StreamChannel, StreamFrame, StreamProtocol } from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { malformedFrame, readJsonFrame } from '../common/stream.js';
import { coinapiTimeSchema } from './schemas.js';

/**
 * Why `exrate` and not `trade`: the crypto channel wants one dollar price per coin, and an exchange rate is exactly
 * that, computed by coinapi across venues, with no venue to pick per coin (BITSTAMP_SPOT_BTC_USD$ exists, most coins
 * have no Bitstamp USD book). It is also the number the REST adapter reads (GET /v1/exchangerate, rates.ts), so a stream
 * tick and a REST answer agree. An exchange rate has no trade size: ticks carry size null.
 */
const dataType = 'exrate';
const quoteAsset = 'USD';

/** BTC → BTC/USD: the exrate filter takes an asset pair; asset ids are the tickers themselves. */
export function toCoinapiAssetPair(symbol: string): string {
  return `${symbol.toUpperCase()}/${quoteAsset}`;
}

const coinapiFrameSchema = z.object({ type: z.string() });
const coinapiExrateSchema = z.object({
  asset_id_base: z.string(),
  asset_id_quote: z.string(),
  rate: numeric,
  time: coinapiTimeSchema,
});
const coinapiReconnectSchema = z.object({ before_time: coinapiTimeSchema.nullish() });

function readExrate(raw: unknown): StreamFrame {
  const rate = coinapiExrateSchema.safeParse(raw);
  if (!rate.success) return malformedFrame('coinapi', 'exrate');
  const { asset_id_base: base, asset_id_quote: quote } = rate.data;
  // A rate against another quote asset is not a dollar price: the channel has no place for it.
  if (quote !== quoteAsset || !(rate.data.rate > 0)) return { kind: 'ignore' };
  return {
    kind: 'tick',
    tick: { channel: 'crypto.price', symbol: base, price: rate.data.rate, size: null, at: new Date(rate.data.time) },
  };
}

function readReconnect(raw: unknown): StreamFrame {
  const notice = coinapiReconnectSchema.safeParse(raw);
  const before = notice.success ? notice.data.before_time : undefined;
  return {
    kind: 'reconnect',
    detail: 'coinapi announced a planned restart',
    ...(before ? { before: new Date(before) } : {}),
  };
}

function readFrame(value: unknown): StreamFrame[] {
  const envelope = coinapiFrameSchema.safeParse(value);
  if (!envelope.success) return [{ kind: 'ignore' }];
  switch (envelope.data.type) {
    case dataType:
      return [readExrate(value)];
    // The messages page spells it `hearbeat`; the correct spelling is accepted too, should coinapi fix it.
    case 'hearbeat':
    case 'heartbeat':
      return [{ kind: 'heartbeat' }];
    case 'error':
      // "Every error is permanent" and the server closes the socket after it (general page): the message may name the
      // key's problem (invalid key, no credits), so only our own words go on.
      return [{ kind: 'error', fatal: true, detail: 'coinapi refused the connection (error frame)' }];
    case 'reconnect':
      return [readReconnect(value)];
    default:
      return [{ kind: 'ignore' }];
  }
}

function scopeFrame(type: 'subscribe' | 'unsubscribe', symbols: readonly string[]): string[] {
  if (symbols.length === 0) return [];
  return [
    JSON.stringify({
      type,
      // Opt in to heartbeats: an idle rate is silent, and only a heartbeat tells silence from a dead link.
      heartbeat: true,
      subscribe_data_type: [dataType],
      subscribe_filter_asset_id: symbols.map(toCoinapiAssetPair),
    }),
  ];
}

export const coinapiStream: StreamProtocol = {
  channels: ['crypto.price'] satisfies StreamChannel[],
  docsUrl: 'https://docs.coinapi.io/market-data/websocket/general',
  defaultUrl: () => 'wss://ws.coinapi.io/v1/',
  // The header keeps the key out of the URL (docs/decisions.md#keys-travel-in-headers).
  connectTarget: (baseUrl, key) =>
    key === undefined ? { url: baseUrl } : { url: baseUrl, headers: { 'X-CoinAPI-Key': key } },
  openingMessages: () => [],
  awaitsReady: false,
  subscribeMessages: (_channel, symbols) => scopeFrame('subscribe', symbols),
  unsubscribeMessages: (_channel, symbols) => scopeFrame('unsubscribe', symbols),
  parse: (frame) => readJsonFrame('coinapi', frame, readFrame),
};
