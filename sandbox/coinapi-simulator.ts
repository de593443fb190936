import { z } from 'zod';
import { barAt, barsBetween, crossRate, isUnknownSymbol, round, usdValue, type SimulatedBar } from './market.js';
import {
  keyFrom,
  keyRequiredIn,
  nextMinuteMs,
  okReply,
  type SimulatorDefinition,
  type SimulatorReply,
  type SimulatorRequest,
} from './simulator.js';
import type { FeedReply, FeedSession, FeedSymbol, SimulatorStream } from './stream-feed.js';

/**
 * coinapi (https://rest.coinapi.io) for the two endpoints the gateway uses: exchange rates and OHLCV history by asset
 * pair. Crypto prices are market.ts prices seeded by ticker, so every crypto simulator agrees on BTC; fiat currencies
 * move around market.ts's table of dollar values. An asset it does not know answers coinapi's HTTP 550 "no data".
 */

const minuteMs = 60_000;

const noDataReply: SimulatorReply = {
  status: 550,
  body: { error: "You requested specific single item that we don't have at this moment." },
};

const isKnownAsset = (asset: string) => /^[A-Z0-9]{2,10}$/.test(asset) && !isUnknownSymbol(asset);

/** base/quote at `ms`; against USD exactly the market.ts price, otherwise ten significant digits. */
function rateAt(base: string, quote: string, ms: number): number {
  const rate = crossRate(base, quote, ms);
  return quote === 'USD' ? rate : Number(rate.toPrecision(10));
}

/** coinapi's time format: ISO UTC with 7 fractional digits. */
const coinapiTime = (ms: number) => new Date(ms).toISOString().replace('Z', '0000Z');

/** coinapi reads a time without an offset as UTC. */
const parseTime = (value: string | undefined) =>
  value ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`) : NaN;

const assetsOf = (request: SimulatorRequest) =>
  [(request.params['base'] ?? '').toUpperCase(), (request.params['quote'] ?? '').toUpperCase()] as const;

function exchangeRate(request: SimulatorRequest): SimulatorReply {
  const [base, quote] = assetsOf(request);
  if (!isKnownAsset(base) || !isKnownAsset(quote)) return noDataReply;
  return okReply({
    time: coinapiTime(request.nowMs),
    asset_id_base: base,
    asset_id_quote: quote,
    rate: rateAt(base, quote, request.nowMs),
  });
}

const periodUnitsMs: Partial<Record<string, number>> = {
  SEC: 1_000,
  MIN: minuteMs,
  HRS: 60 * minuteMs,
  DAY: 1_440 * minuteMs,
};

/** Calendar months from the first one that starts at or after `fromMs`, each opening at 00:00Z of its first day. */
function monthlyBars(symbol: string, fromMs: number, toMs: number, months: number, limit: number): SimulatedBar[] {
  const bars: SimulatedBar[] = [];
  const first = new Date(fromMs);
  for (let index = 0; bars.length < limit; index += months) {
    const openMs = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index, 1);
    if (openMs >= toMs) break;
    const closeMs = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index + months, 1);
    if (openMs >= fromMs) bars.push(barAt(symbol, openMs, closeMs - openMs));
  }
  return bars;
}

function ohlcvHistory(request: SimulatorRequest): SimulatorReply {
  const [base, quote] = assetsOf(request);
  const match = /^(\d+)(SEC|MIN|HRS|DAY|MTH)$/.exec(request.query['period_id'] ?? '');
  const fromMs = parseTime(request.query['time_start']);
  const limit = Number(request.query['limit'] ?? 100);
  if (!match || Number.isNaN(fromMs) || !(limit >= 1 && limit <= 100_000)) {
    return { status: 400, body: { error: 'Wrong period_id, time_start or limit.' } };
  }
  if (!isKnownAsset(base) || !isKnownAsset(quote)) return noDataReply;
  const endMs = Math.min(parseTime(request.query['time_end']) || request.nowMs, request.nowMs);
  const count = Number(match[1]);
  const unitMs = periodUnitsMs[match[2] ?? ''];
  const bars =
    unitMs === undefined
      ? monthlyBars(base, fromMs, endMs, count, limit)
      : barsBetween(base, fromMs, endMs, count * unitMs, limit);
  const inQuote = (price: number, ms: number) => (quote === 'USD' ? price : round(price / usdValue(quote, ms), 8));
  return okReply(
    bars.map((bar) => {
      const periodEndMs =
        unitMs === undefined
          ? Date.UTC(new Date(bar.openMs).getUTCFullYear(), new Date(bar.openMs).getUTCMonth() + count, 1)
          : bar.openMs + count * unitMs;
      return {
        time_period_start: coinapiTime(bar.openMs),
        time_period_end: coinapiTime(periodEndMs),
        time_open: coinapiTime(bar.openMs + 250),
        time_close: coinapiTime(Math.min(periodEndMs, request.nowMs) - 250),
        price_open: inQuote(bar.open, bar.openMs),
        price_high: inQuote(bar.high, bar.openMs),
        price_low: inQuote(bar.low, bar.openMs),
        price_close: inQuote(bar.close, bar.openMs),
        volume_traded: bar.volume,
        trades_count: Math.round(bar.volume / 250),
      };
    }),
  );
}

/** coinapi closes the connection after every error frame (https://docs.coinapi.io/market-data/websocket/general). */
const errorReply = (message: string, code: number): FeedReply => ({
  send: [JSON.stringify({ type: 'error', message })],
  close: { code, reason: message },
});

/** `BTC/USD` → BTC; the stand-in streams dollar rates only, as the gateway's crypto channel asks for. */
const feedSymbolOf = (assetPair: string): FeedSymbol | null => {
  const match = /^([A-Z0-9]+)\/USD$/.exec(assetPair);
  return match?.[1] ? { channel: 'crypto.price', symbol: match[1] } : null;
};

const coinapiMessageSchema = z.object({
  type: z.enum(['hello', 'subscribe', 'unsubscribe']),
  heartbeat: z.boolean().optional(),
  subscribe_data_type: z.array(z.string()),
  subscribe_filter_asset_id: z.array(z.string()).optional(),
});

/**
 * hello replaces the scope, subscribe adds to it, unsubscribe removes from it; `heartbeat: true` asks for heartbeats.
 * Only the `exrate` data type is simulated; a message coinapi would not accept is an error, and errors close.
 */
function receiveCoinapiFrame(text: string, session: FeedSession): FeedReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return errorReply('Invalid JSON message.', 1008);
  }
  const message = coinapiMessageSchema.safeParse(parsed);
  if (!message.success) return errorReply('Invalid message.', 1008);
  const { type, heartbeat, subscribe_data_type: dataTypes, subscribe_filter_asset_id: assets = [] } = message.data;
  const symbols = dataTypes.includes('exrate') ? assets.map(feedSymbolOf).filter((symbol) => symbol !== null) : [];
  const heartbeats = heartbeat === undefined ? {} : { heartbeats: heartbeat };
  if (type === 'unsubscribe') return { ...heartbeats, unsubscribe: symbols };
  const replaced =
    type === 'hello' ? session.symbols.map((symbol) => ({ channel: 'crypto.price' as const, symbol })) : [];
  return { ...heartbeats, unsubscribe: replaced, subscribe: symbols };
}

/**
 * wss://ws.coinapi.io/v1/ (https://docs.coinapi.io/market-data/websocket/messages): the key in the X-CoinAPI-Key header
 * or `?apikey=` of the upgrade, refused with an error frame and a close; `exrate` messages with 7-digit ISO times;
 * opt-in heartbeats spelled `hearbeat`, as the messages page spells them.
 */
const coinapiStream: SimulatorStream = {
  paths: { '/v1/': ['crypto.price'] },
  open: (request) =>
    keyFrom(request, ['apikey'], ['X-CoinAPI-Key']) ? { authenticated: true } : errorReply('Invalid API key', 1008),
  receive: receiveCoinapiFrame,
  tradeFrames: (trades) =>
    trades.map((trade) =>
      JSON.stringify({
        type: 'exrate',
        asset_id_base: trade.symbol,
        asset_id_quote: 'USD',
        rate_type: 'BASE_ALL_CURRENT',
        time: coinapiTime(trade.atMs),
        rate: rateAt(trade.symbol, 'USD', trade.atMs),
      }),
    ),
  heartbeat: { frame: JSON.stringify({ type: 'hearbeat' }), everyMs: 1_000, optIn: true },
  faultReply: (mode) =>
    mode === 'rate-limited'
      ? errorReply('Too many requests - You have exceeded your API key rate limits.', 1008)
      : errorReply('Internal server error.', 1011),
};

export const coinapiSimulator: SimulatorDefinition = {
  vendor: 'coinapi',
  routes: [
    { path: '/v1/exchangerate/:base/:quote', handle: exchangeRate },
    { path: '/v1/ohlcv/:base/:quote/history', handle: ohlcvHistory },
  ],
  // coinapi takes the key in the X-CoinAPI-Key header or as `?apikey=`.
  authorize: keyRequiredIn(['apikey'], ['X-CoinAPI-Key'], { status: 401, body: { error: 'Invalid API key' } }),
  errorReply() {
    return { status: 500, body: { error: 'Internal server error.' } };
  },
  // coinapi's reset hint is an ISO instant, the end of the current request window; the stand-in uses one-minute windows.
  rateLimitedReply(nowMs) {
    return {
      status: 429,
      headers: {
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '100',
        'x-ratelimit-request-cost': '1',
        'x-ratelimit-reset': coinapiTime(nextMinuteMs(nowMs)),
      },
      body: { error: 'Too many requests - You have exceeded your API key rate limits.' },
    };
  },
  stream: coinapiStream,
};
