// wss://ws.twelvedata.com/v1/quotes/price?apikey=KEY — https://twelvedata.com/docs/websocket/ws-real-time-price
// Quirks (docs/vendors.md#twelvedata-real-time-price): the key only as `?apikey=` on the socket (the REST header is not
// documented there); stocks, forex and crypto share one socket and one comma list; `timestamp` is Unix SECONDS and
// `price` a number (REST sends strings); `day_volume` is the day's total, not a trade size; the client must send
// `{"action":"heartbeat"}` every 10 s or be closed; one `subscribe-status` answers each subscribe, failures listed.
import { z } from 'zod';
import type { StreamChannel, StreamFrame, StreamProtocol } from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { malformedFrame, readJsonFrame } from '../common/stream.js';

/** Stocks pass through (BRK.B, as the REST adapter sends them); crypto is the dollar pair (BTC ↔ BTC/USD). */
export function toTwelvedataSymbol(channel: StreamChannel, symbol: string): string {
  const upper = symbol.toUpperCase();
  return channel === 'crypto.price' ? `${upper}/USD` : upper;
}

/** The channel and canonical symbol of a twelvedata symbol; a pair not priced in dollars has none. */
export function fromTwelvedataSymbol(vendorSymbol: string): { channel: StreamChannel; symbol: string } | null {
  const pair = /^([A-Z0-9]+)\/([A-Z]+)$/.exec(vendorSymbol);
  if (pair) return pair[2] === 'USD' && pair[1] ? { channel: 'crypto.price', symbol: pair[1] } : null;
  return /^[A-Z0-9][A-Z0-9.]*$/.test(vendorSymbol) ? { channel: 'stocks.quote', symbol: vendorSymbol } : null;
}

const twelvedataEventSchema = z.object({ event: z.string() });
const twelvedataPriceSchema = z.object({
  symbol: z.string(),
  price: numeric,
  timestamp: z.number(),
  type: z.string().nullish(),
});
/** Forex pairs look like crypto pairs (EUR/USD, BTC/USD): the event's instrument type tells them apart. */
const forexType = 'Physical Currency';
// `fails` lists symbols as strings in the AsyncAPI transcription and as objects in the SDK's examples: read both.
const twelvedataSubscribeStatusSchema = z.object({
  status: z.string(),
  fails: z.array(z.union([z.string(), z.object({ symbol: z.string() })])).nullish(),
});

function readPrice(raw: unknown): StreamFrame {
  const price = twelvedataPriceSchema.safeParse(raw);
  if (!price.success) return malformedFrame('twelvedata', 'price');
  const mapped = price.data.type === forexType ? null : fromTwelvedataSymbol(price.data.symbol);
  if (mapped === null) return { kind: 'ignore' };
  return {
    kind: 'tick',
    // A price event is a last price, not a trade: day_volume is the day's total, so there is no size.
    tick: {
      channel: mapped.channel,
      symbol: mapped.symbol,
      price: price.data.price,
      size: null,
      at: new Date(price.data.timestamp * 1000),
    },
  };
}

function readSubscribeStatus(raw: unknown): StreamFrame[] {
  const status = twelvedataSubscribeStatusSchema.safeParse(raw);
  if (!status.success) return [malformedFrame('twelvedata', 'subscribe-status')];
  const refused = (status.data.fails ?? []).map((fail) => (typeof fail === 'string' ? fail : fail.symbol));
  const frames: StreamFrame[] = refused.map((vendorSymbol) => {
    const mapped = fromTwelvedataSymbol(vendorSymbol);
    return {
      kind: 'error',
      fatal: false,
      detail: 'twelvedata refused a symbol',
      ...(mapped ? { symbol: mapped.symbol } : {}),
    };
  });
  if (frames.length === 0 && status.data.status === 'error') {
    return [{ kind: 'error', fatal: false, detail: 'twelvedata refused a subscription' }];
  }
  return frames.length > 0 ? frames : [{ kind: 'ignore' }];
}

function readFrame(value: unknown): StreamFrame[] {
  const envelope = twelvedataEventSchema.safeParse(value);
  if (!envelope.success) return [{ kind: 'ignore' }];
  switch (envelope.data.event) {
    case 'price':
      return [readPrice(value)];
    case 'subscribe-status':
      return readSubscribeStatus(value);
    case 'heartbeat':
      return [{ kind: 'heartbeat' }];
    default:
      return [{ kind: 'ignore' }];
  }
}

function subscriptionFrame(action: 'subscribe' | 'unsubscribe', channel: StreamChannel, symbols: readonly string[]) {
  if (symbols.length === 0) return [];
  const list = symbols.map((symbol) => toTwelvedataSymbol(channel, symbol)).join(',');
  return [JSON.stringify({ action, params: { symbols: list } })];
}

export const twelvedataStream: StreamProtocol = {
  channels: ['stocks.quote', 'crypto.price'],
  docsUrl: 'https://twelvedata.com/docs/websocket/ws-real-time-price',
  defaultUrl: () => 'wss://ws.twelvedata.com/v1/quotes/price',
  connectTarget(baseUrl, key) {
    const url = new URL(baseUrl);
    if (key !== undefined) url.searchParams.set('apikey', key);
    return { url: url.toString() };
  },
  openingMessages: () => [],
  awaitsReady: false,
  subscribeMessages: (channel, symbols) => subscriptionFrame('subscribe', channel, symbols),
  unsubscribeMessages: (channel, symbols) => subscriptionFrame('unsubscribe', channel, symbols),
  parse: (frame) => readJsonFrame('twelvedata', frame, readFrame),
  // The official SDK sends it every 10 s; the server is reported to close a client silent for longer (unverified).
  keepAlive: { message: JSON.stringify({ action: 'heartbeat' }), everyMs: 10_000 },
};
