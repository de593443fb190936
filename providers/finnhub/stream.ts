// wss://ws.finnhub.io?token=KEY — https://finnhub.io/docs/api/websocket-trades
// Quirks (docs/vendors.md#streaming-apis): the key travels only as `?token=`; one symbol per subscribe frame; a trade
// frame may carry several trades; `t` is Unix ms; `v` 0 is a price update from a venue that reports no trades; the
// server sends `{"type":"ping"}` every minute or two and wants no reply; an idle symbol sends nothing at all.
import { z } from 'zod';
import type { StreamChannel, StreamFrame, StreamProtocol } from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { malformedFrame, readJsonFrame } from '../common/stream.js';

/**
 * Crypto trades come from Binance, which quotes coins against Tether, not dollars: USDT stands in for USD, as it does
 * on every venue without a USD book. The canonical crypto symbol is the base asset (BTC ↔ BINANCE:BTCUSDT).
 */
const cryptoVenue = 'BINANCE';
const cryptoQuote = 'USDT';
const cryptoSymbolPattern = new RegExp(`^${cryptoVenue}:([A-Z0-9]+)${cryptoQuote}$`);

/** US share classes use the dot form on finnhub (BRK.B), as in its REST API, so stock tickers pass through. */
export function toFinnhubSymbol(channel: StreamChannel, symbol: string): string {
  const upper = symbol.toUpperCase();
  return channel === 'crypto.price' ? `${cryptoVenue}:${upper}${cryptoQuote}` : upper;
}

/** The channel and canonical symbol of a finnhub symbol: `BINANCE:…USDT` is crypto, a plain ticker is a stock. */
export function fromFinnhubSymbol(vendorSymbol: string): { channel: StreamChannel; symbol: string } | null {
  const crypto = cryptoSymbolPattern.exec(vendorSymbol);
  if (crypto?.[1]) return { channel: 'crypto.price', symbol: crypto[1] };
  // Other exchanges' crypto pairs and forex (`OANDA:EUR_USD`) carry a colon: no canonical channel streams them.
  return vendorSymbol.includes(':') || vendorSymbol === '' ? null : { channel: 'stocks.quote', symbol: vendorSymbol };
}

const finnhubTradeSchema = z.object({ s: z.string(), p: numeric, t: z.number(), v: numeric.nullish() });
const finnhubFrameSchema = z.object({ type: z.string() });
const finnhubTradeFrameSchema = z.object({ data: z.array(z.unknown()) });
const finnhubErrorFrameSchema = z.object({ msg: z.string().nullish() });

function readTrade(raw: unknown): StreamFrame | null {
  const trade = finnhubTradeSchema.safeParse(raw);
  if (!trade.success) return malformedFrame('finnhub', 'trade');
  const mapped = fromFinnhubSymbol(trade.data.s);
  if (mapped === null) return null;
  const { p: price, t: timeMs, v: volume } = trade.data;
  const size = volume === undefined || volume === null || volume === 0 ? null : volume;
  return {
    kind: 'tick',
    tick: { channel: mapped.channel, symbol: mapped.symbol, price, size, at: new Date(timeMs) },
  };
}

/**
 * finnhub's error frame has only a message, e.g. "Invalid symbol BINANCE:XYZUSDT"; the symbol is read from its last
 * word when that word is a symbol this protocol could have sent, so the engine can drop that one subscription.
 */
function readError(raw: unknown): StreamFrame {
  const error = finnhubErrorFrameSchema.safeParse(raw);
  const lastWord = error.success ? (error.data.msg ?? '').trim().split(/\s+/).pop() : undefined;
  const refused = lastWord ? fromFinnhubSymbol(lastWord) : null;
  const looksLikeSymbol = refused !== null && /^[A-Z0-9.:-]+$/.test(lastWord ?? '');
  return {
    kind: 'error',
    fatal: false,
    detail: looksLikeSymbol ? 'finnhub refused a symbol' : 'finnhub sent an error frame',
    ...(looksLikeSymbol ? { symbol: refused.symbol } : {}),
  };
}

function readFrame(value: unknown): StreamFrame[] {
  const envelope = finnhubFrameSchema.safeParse(value);
  if (!envelope.success) return [{ kind: 'ignore' }];
  switch (envelope.data.type) {
    case 'trade': {
      const frame = finnhubTradeFrameSchema.safeParse(value);
      if (!frame.success) return [malformedFrame('finnhub', 'trade')];
      return frame.data.data.map(readTrade).filter((tick) => tick !== null);
    }
    case 'ping':
      return [{ kind: 'heartbeat' }];
    case 'error':
      return [readError(value)];
    default:
      // news and press releases (premium) share the socket; the engine streams neither.
      return [{ kind: 'ignore' }];
  }
}

const subscriptionFrames = (type: 'subscribe' | 'unsubscribe', channel: StreamChannel, symbols: readonly string[]) =>
  symbols.map((symbol) => JSON.stringify({ type, symbol: toFinnhubSymbol(channel, symbol) }));

export const finnhubStream: StreamProtocol = {
  channels: ['stocks.quote', 'crypto.price'],
  docsUrl: 'https://finnhub.io/docs/api/websocket-trades',
  // One stream multiplexes stocks and crypto: the same URL for both channels.
  defaultUrl: () => 'wss://ws.finnhub.io',
  connectTarget(baseUrl, key) {
    const url = new URL(baseUrl);
    if (key !== undefined) url.searchParams.set('token', key);
    return { url: url.toString() };
  },
  openingMessages: () => [],
  awaitsReady: false,
  subscribeMessages: (channel, symbols) => subscriptionFrames('subscribe', channel, symbols),
  unsubscribeMessages: (channel, symbols) => subscriptionFrames('unsubscribe', channel, symbols),
  parse: (frame) => readJsonFrame('finnhub', frame, readFrame),
  // The free plan's cap as third-party READMEs report it (docs/vendors.md#streaming-apis, unverified).
  maxSymbolsPerConnection: 50,
};
