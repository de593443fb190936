// wss://streamer.cryptocompare.com/v2 — https://developers.coindesk.com/documentation/legacy-websockets/HowToConnect
// (read through an AsyncAPI transcription, docs/vendors.md#cryptocompare-streamer)
// Quirks: every frame is an object tagged by a numeric-string `TYPE` (branch on it, never on MESSAGE); subscriptions
// are `~`-joined strings; an aggregate update carries only the fields that changed, so a frame may have no PRICE;
// `LASTUPDATE` is Unix seconds; a heartbeat (999) comes every 30–60 s.
import { z } from 'zod';
import type { StreamChannel, StreamFrame, StreamProtocol } from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { malformedFrame, readJsonFrame } from '../common/stream.js';

/**
 * Why the aggregate index (TYPE 5, market CCCAGG) and not trades (TYPE 0): one dollar price per coin across venues,
 * with no exchange to pick per coin, and the same CCCAGG price the REST adapter reads from /data/pricemultifull.
 */
const aggregateType = '5';
const aggregateMarket = 'CCCAGG';
const quoteCurrency = 'USD';

/** BTC → 5~CCCAGG~BTC~USD */
export function toCryptocompareSub(symbol: string): string {
  return [aggregateType, aggregateMarket, symbol.toUpperCase(), quoteCurrency].join('~');
}

/** 5~CCCAGG~BTC~USD → BTC; any other subscription string has no canonical symbol. */
export function fromCryptocompareSub(sub: string): string | null {
  const [type, market, base, quote] = sub.split('~');
  return type === aggregateType && market === aggregateMarket && quote === quoteCurrency && base ? base : null;
}

const cryptocompareFrameSchema = z.object({ TYPE: z.union([z.string(), z.number()]).transform(String) });
const cryptocompareAggregateSchema = z.object({
  FROMSYMBOL: z.string(),
  TOSYMBOL: z.string(),
  PRICE: numeric.nullish(),
  LASTUPDATE: z.number().nullish(),
});
const cryptocompareErrorSchema = z.object({ PARAMETER: z.string().nullish() });

function readAggregate(raw: unknown): StreamFrame {
  const update = cryptocompareAggregateSchema.safeParse(raw);
  if (!update.success) return malformedFrame('cryptocompare', 'aggregate');
  const { FROMSYMBOL: base, TOSYMBOL: quote, PRICE: price, LASTUPDATE: lastUpdate } = update.data;
  // An update without PRICE changed only other fields (volumes): there is no new price to tell.
  if (quote !== quoteCurrency || price === undefined || price === null) return { kind: 'ignore' };
  if (lastUpdate === undefined || lastUpdate === null) return malformedFrame('cryptocompare', 'aggregate');
  return {
    kind: 'tick',
    tick: { channel: 'crypto.price', symbol: base, price, size: null, at: new Date(lastUpdate * 1000) },
  };
}

/** TYPE 500 names the refused subscription in PARAMETER (INVALID_SUB, SUBSCRIPTION_UNRECOGNIZED, …). */
function readSubscriptionError(raw: unknown): StreamFrame {
  const error = cryptocompareErrorSchema.safeParse(raw);
  const symbol = error.success && error.data.PARAMETER ? fromCryptocompareSub(error.data.PARAMETER) : null;
  return {
    kind: 'error',
    fatal: false,
    detail: 'cryptocompare refused a subscription',
    ...(symbol ? { symbol } : {}),
  };
}

function readFrame(value: unknown): StreamFrame[] {
  const envelope = cryptocompareFrameSchema.safeParse(value);
  if (!envelope.success) return [{ kind: 'ignore' }];
  switch (envelope.data.TYPE) {
    case aggregateType:
      return [readAggregate(value)];
    case '999':
      return [{ kind: 'heartbeat' }];
    case '401':
      return [{ kind: 'error', fatal: true, detail: 'cryptocompare refused the key (401)' }];
    case '429':
      // Too many sockets, too fast, or too many subscriptions on one socket: this connection will not be served.
      return [{ kind: 'error', fatal: true, detail: 'cryptocompare refused the connection (429)' }];
    case '500':
      return [readSubscriptionError(value)];
    default:
      // 20 welcome, 16 subscribe complete, 3 load complete, 17 and 18 unsubscribed, trades and tickers.
      return [{ kind: 'ignore' }];
  }
}

function subscriptionFrame(action: 'SubAdd' | 'SubRemove', symbols: readonly string[]) {
  return symbols.length === 0 ? [] : [JSON.stringify({ action, subs: symbols.map(toCryptocompareSub) })];
}

export const cryptocompareStream: StreamProtocol = {
  channels: ['crypto.price'] satisfies StreamChannel[],
  docsUrl: 'https://developers.coindesk.com/documentation/legacy-websockets/HowToConnect',
  defaultUrl: () => 'wss://streamer.cryptocompare.com/v2',
  // The header form the REST adapter uses too (`?api_key=` also works): it keeps the key out of the URL.
  connectTarget: (baseUrl, key) =>
    key === undefined ? { url: baseUrl } : { url: baseUrl, headers: { Authorization: `Apikey ${key}` } },
  openingMessages: () => [],
  awaitsReady: false,
  subscribeMessages: (_channel, symbols) => subscriptionFrame('SubAdd', symbols),
  unsubscribeMessages: (_channel, symbols) => subscriptionFrame('SubRemove', symbols),
  parse: (frame) => readJsonFrame('cryptocompare', frame, readFrame),
};
