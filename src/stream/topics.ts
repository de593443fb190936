import type { Capability, CryptoPrice, StockQuote, StreamChannel } from '../core/index.js';

/** The REST capability whose model a channel's updates carry, and through which the poller and the seed read. */
export const channelCapability = {
  'stocks.quote': 'stock-quote',
  'crypto.price': 'crypto-price',
} as const satisfies Record<StreamChannel, Capability>;

/** Crypto channels price in this currency (src/core/stream.ts: ticks are canonical, BTC priced in USD). */
export const streamQuoteCurrency = 'USD';

export type StreamModel = StockQuote | CryptoPrice;

/** How an update reached the gateway: a vendor's socket, or the REST poller. */
export type StreamVia = 'stream' | 'poll';

/** One update as subscribers receive it: the REST model of the symbol, with where it came from. */
export interface StreamUpdate {
  channel: StreamChannel;
  symbol: string;
  /** The vendor whose data this is (the REST vendor that answered, for the poller). */
  source: string;
  via: StreamVia;
  data: StreamModel;
}

/** One channel and symbol: the unit of subscription, of upstream subscription and of a cluster lease. */
export function topicKey(channel: StreamChannel, symbol: string): string {
  return `${channel}:${symbol}`;
}

/** Each update is serialized once, however many subscribers it goes to. */
const messages = new WeakMap<StreamUpdate, string>();

/** The update as the `update` message of docs/streaming.md: `{"op":"update","channel",…,"data":{…}}`. */
export function updateMessage(update: StreamUpdate): string {
  let text = messages.get(update);
  if (text === undefined) {
    text = JSON.stringify({ op: 'update', ...update });
    messages.set(update, text);
  }
  return text;
}
