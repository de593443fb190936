// wss://socket.massive.com/stocks and /crypto — https://massive.com/docs/websocket/stocks/trades.md,
// https://massive.com/docs/websocket/crypto/trades.md
// Quirks (docs/vendors.md#streaming-apis): one cluster per asset class; the key goes in the first frame
// `{"action":"auth","params":KEY}` and subscriptions only after `auth_success`; every frame is a JSON ARRAY of events
// tagged `ev`, status events and trades mixed; trade `t` is Unix ms here (the REST trades are ns); one connection per
// cluster per account, and a newer one evicts the older with status `max_connections`.
import { z } from 'zod';
import type { StreamChannel, StreamFrame, StreamProtocol } from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { malformedFrame, readJsonFrame } from '../common/stream.js';

/** Trades channel prefix per cluster: `T.AAPL` on stocks, `XT.BTC-USD` on crypto. */
const tradePrefix: Record<StreamChannel, string> = { 'stocks.quote': 'T', 'crypto.price': 'XT' };

/**
 * Stock tickers pass through: polygon spells share classes with a dot (BRK.B) as our canonical tickers do, the same
 * rule as its REST adapter (symbols.ts). Crypto pairs are base-quote with a dash, priced in dollars (BTC ↔ BTC-USD).
 */
export function toPolygonSymbol(channel: StreamChannel, symbol: string): string {
  const upper = symbol.toUpperCase();
  return channel === 'crypto.price' ? `${upper}-USD` : upper;
}

/** BTC-USD → BTC; a pair in another quote currency has no canonical symbol (the crypto channel is priced in USD). */
export function fromPolygonPair(pair: string): string | null {
  const match = /^([A-Z0-9]+)-USD$/.exec(pair);
  return match?.[1] ?? null;
}

const polygonEventSchema = z.object({ ev: z.string() });
const polygonStatusSchema = z.object({ status: z.string(), message: z.string().nullish() });
const polygonStockTradeSchema = z.object({ sym: z.string(), p: numeric, s: numeric.nullish(), t: z.number() });
const polygonCryptoTradeSchema = z.object({ pair: z.string(), p: numeric, s: numeric.nullish(), t: z.number() });

/** Status events: `connected` first, then the auth answer, then one `success` per subscribe (Go client, docs above). */
function readStatus(raw: unknown): StreamFrame {
  const event = polygonStatusSchema.safeParse(raw);
  if (!event.success) return malformedFrame('polygon', 'status');
  switch (event.data.status) {
    case 'auth_success':
      return { kind: 'ready' };
    case 'auth_failed':
      return { kind: 'error', fatal: true, detail: 'polygon refused the key (auth_failed)' };
    case 'max_connections':
      // Another connection with this key took the cluster's only slot: reconnecting at once would evict that one.
      return { kind: 'error', fatal: true, detail: 'polygon evicted this connection (max_connections)' };
    case 'error':
      return { kind: 'error', fatal: false, detail: 'polygon sent an error status' };
    default:
      // connected, success (subscription acks) and any status polygon adds later.
      return { kind: 'ignore' };
  }
}

const sizeOrNull = (size: number | null | undefined) =>
  size === undefined || size === null || size === 0 ? null : size;

function readStockTrade(raw: unknown): StreamFrame {
  const trade = polygonStockTradeSchema.safeParse(raw);
  if (!trade.success) return malformedFrame('polygon', 'T');
  const { sym, p, s, t } = trade.data;
  return {
    kind: 'tick',
    tick: { channel: 'stocks.quote', symbol: sym, price: p, size: sizeOrNull(s), at: new Date(t) },
  };
}

function readCryptoTrade(raw: unknown): StreamFrame {
  const trade = polygonCryptoTradeSchema.safeParse(raw);
  if (!trade.success) return malformedFrame('polygon', 'XT');
  const { pair, p, s, t } = trade.data;
  const symbol = fromPolygonPair(pair);
  if (symbol === null) return { kind: 'ignore' };
  return { kind: 'tick', tick: { channel: 'crypto.price', symbol, price: p, size: sizeOrNull(s), at: new Date(t) } };
}

function readEvent(raw: unknown): StreamFrame {
  const event = polygonEventSchema.safeParse(raw);
  if (!event.success) return { kind: 'ignore' };
  switch (event.data.ev) {
    case 'status':
      return readStatus(raw);
    case 'T':
      return readStockTrade(raw);
    case 'XT':
      return readCryptoTrade(raw);
    default:
      // Quotes, aggregates and any channel we do not subscribe to.
      return { kind: 'ignore' };
  }
}

function readFrame(value: unknown): StreamFrame[] {
  // Every documented frame is an array; a lone event object is read as an array of one rather than dropped.
  return (Array.isArray(value) ? value : [value]).map(readEvent);
}

function subscriptionFrame(action: 'subscribe' | 'unsubscribe', channel: StreamChannel, symbols: readonly string[]) {
  if (symbols.length === 0) return [];
  const params = symbols.map((symbol) => `${tradePrefix[channel]}.${toPolygonSymbol(channel, symbol)}`).join(',');
  return [JSON.stringify({ action, params })];
}

export const polygonStream: StreamProtocol = {
  channels: ['stocks.quote', 'crypto.price'],
  docsUrl: 'https://massive.com/docs/websocket/stocks/trades.md',
  defaultUrl: (channel) =>
    channel === 'crypto.price' ? 'wss://socket.massive.com/crypto' : 'wss://socket.massive.com/stocks',
  // The key is in the first frame, not the upgrade: the URL stays keyless.
  connectTarget: (baseUrl) => ({ url: baseUrl }),
  openingMessages: (key) => [JSON.stringify({ action: 'auth', params: key ?? '' })],
  awaitsReady: true,
  subscribeMessages: (channel, symbols) => subscriptionFrame('subscribe', channel, symbols),
  unsubscribeMessages: (channel, symbols) => subscriptionFrame('unsubscribe', channel, symbols),
  parse: (frame) => readJsonFrame('polygon', frame, readFrame),
};
