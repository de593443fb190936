import { createHash } from 'node:crypto';
import {
  barAt,
  barsBetween,
  crossRate,
  fiatCurrencies,
  isFiat,
  isUnknownSymbol,
  priceAt,
  round,
  storiesAbout,
  type SimulatedBar,
} from './market.js';
import {
  keyFrom,
  keyRequiredIn,
  nextMinuteMs,
  okReply,
  type SimulatorDefinition,
  type SimulatorReply,
  type SimulatorRequest,
} from './simulator.js';
import type { FeedReply, FeedSymbol, SimulatorStream } from './stream-feed.js';

/**
 * finnhub (https://finnhub.io/api/v1) as a premium key sees it: /stock/candle answers too. Paths are relative to the
 * base URL, so the simulator's URL stands in for `https://finnhub.io/api/v1`. Unknown symbols answer like finnhub:
 * a quote of zeros, candles `no_data`, no company news.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

const symbolOf = (request: SimulatorRequest) => (request.query.symbol ?? '').toUpperCase();

function quote(request: SimulatorRequest): SimulatorReply {
  const symbol = symbolOf(request);
  if (isUnknownSymbol(symbol)) return okReply({ c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 });
  const dayStart = Math.floor(request.nowMs / dayMs) * dayMs;
  const open = priceAt(symbol, dayStart);
  const price = priceAt(symbol, request.nowMs);
  const previousClose = priceAt(symbol, dayStart - 1);
  const change = round(price - previousClose, 4);
  return okReply({
    c: price,
    d: change,
    dp: round((change / previousClose) * 100, 4),
    h: round(Math.max(open, price) * 1.002, 2),
    l: round(Math.min(open, price) * 0.998, 2),
    o: open,
    pc: previousClose,
    t: Math.floor(request.nowMs / 1000),
  });
}

/** Bar lengths per resolution; M (calendar months) is built separately. */
const resolutionMs: Record<string, number> = {
  '1': minuteMs,
  '5': 5 * minuteMs,
  '15': 15 * minuteMs,
  '30': 30 * minuteMs,
  '60': 60 * minuteMs,
  D: dayMs,
  W: 7 * dayMs,
};

/** Calendar months, stamped at 00:00Z of their first day, as finnhub stamps its monthly bars. */
function monthlyBars(symbol: string, fromMs: number, toMs: number): SimulatedBar[] {
  const bars: SimulatedBar[] = [];
  const cursor = new Date(fromMs);
  let month = Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth(), 1);
  if (month < fromMs) month = Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1);
  while (month <= toMs && bars.length < 600) {
    const next = new Date(month);
    const nextMonth = Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1);
    bars.push(barAt(symbol, month, nextMonth - month));
    month = nextMonth;
  }
  return bars;
}

function candles(request: SimulatorRequest): SimulatorReply {
  const { resolution = '', from = '', to = '' } = request.query;
  const fromMs = Number(from) * 1000;
  const toMs = Number(to) * 1000;
  const lengthMs = resolutionMs[resolution];
  if ((lengthMs === undefined && resolution !== 'M') || !from || !to || Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    return { status: 422, body: { error: 'Wrong resolution or time range.' } };
  }
  const symbol = symbolOf(request);
  if (isUnknownSymbol(symbol)) return okReply({ s: 'no_data' });
  const end = Math.min(toMs, request.nowMs) + 1;
  const bars =
    lengthMs === undefined ? monthlyBars(symbol, fromMs, end - 1) : barsBetween(symbol, fromMs, end, lengthMs);
  if (bars.length === 0) return okReply({ s: 'no_data' });
  return okReply({
    c: bars.map((bar) => bar.close),
    h: bars.map((bar) => bar.high),
    l: bars.map((bar) => bar.low),
    o: bars.map((bar) => bar.open),
    s: 'ok',
    t: bars.map((bar) => Math.floor(bar.openMs / 1000)),
    v: bars.map((bar) => bar.volume),
  });
}

function forexRates(request: SimulatorRequest): SimulatorReply {
  const base = (request.query.base ?? 'USD').toUpperCase();
  if (!isFiat(base)) return okReply({ base, quote: {} });
  const rates: Record<string, number> = {};
  for (const currency of fiatCurrencies) rates[currency] = round(crossRate(base, currency, request.nowMs), 6);
  return okReply({ base, quote: rates });
}

function newsItems(topic: string, category: string, endMs: number, related: string) {
  return storiesAbout(topic, endMs, 20).map((story, index) => {
    const id = createHash('sha256').update(story.slug).digest().readUInt32BE(0) % 1_000_000_000;
    return {
      category,
      datetime: Math.floor(story.publishedMs / 1000),
      headline: story.title,
      id,
      // finnhub sends "" when a story has no image.
      image: index % 3 === 2 ? '' : `https://static.finnhub.io/img/${story.slug}.jpg`,
      related,
      source: story.source,
      summary: story.summary,
      url: `https://finnhub.io/api/news?id=${createHash('sha256').update(story.slug).digest('hex').slice(0, 32)}`,
    };
  });
}

function companyNews(request: SimulatorRequest): SimulatorReply {
  const { from, to } = request.query;
  if (!from || !to) return { status: 422, body: { error: 'Please specify from and to dates.' } };
  const symbol = symbolOf(request);
  if (isUnknownSymbol(symbol)) return okReply([]);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const endMs = Math.min(request.nowMs, Date.parse(`${to}T00:00:00Z`) + dayMs - 1);
  if (Number.isNaN(fromMs) || Number.isNaN(endMs)) return { status: 422, body: { error: 'Wrong date format.' } };
  return okReply(newsItems(symbol, 'company', endMs, symbol).filter((item) => item.datetime * 1000 >= fromMs));
}

function marketNews(request: SimulatorRequest): SimulatorReply {
  const category = request.query.category ?? 'general';
  const topic = category === 'general' ? 'Markets' : category;
  return okReply(newsItems(topic, category === 'general' ? 'top news' : category, request.nowMs, ''));
}

function marketStatus(request: SimulatorRequest): SimulatorReply {
  // New York hours in UTC, ignoring daylight saving: close enough for a stand-in.
  const now = new Date(request.nowMs);
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  const weekday = now.getUTCDay() !== 0 && now.getUTCDay() !== 6;
  const session = !weekday
    ? null
    : minute >= 14 * 60 + 30 && minute < 21 * 60
      ? 'regular'
      : minute >= 9 * 60 && minute < 14 * 60 + 30
        ? 'pre-market'
        : minute >= 21 * 60
          ? 'post-market'
          : null;
  return okReply({
    exchange: request.query.exchange ?? 'US',
    holiday: null,
    isOpen: session === 'regular',
    session,
    timezone: 'America/New_York',
    t: Math.floor(request.nowMs / 1000),
  });
}

const missingKey: SimulatorReply = { status: 401, body: { error: 'Please use an API key.' } };

/** BINANCE:BTCUSDT is the crypto channel's BTC; a plain ticker is a stock; other venues and forex are not simulated. */
function feedSymbolOf(vendorSymbol: string): FeedSymbol | null {
  const crypto = /^BINANCE:([A-Z0-9]+)USDT$/.exec(vendorSymbol);
  if (crypto?.[1]) return { channel: 'crypto.price', symbol: crypto[1] };
  return /^[A-Z][A-Z0-9.]*$/.test(vendorSymbol) ? { channel: 'stocks.quote', symbol: vendorSymbol } : null;
}

const vendorSymbolOf = ({ channel, symbol }: FeedSymbol) =>
  channel === 'crypto.price' ? `BINANCE:${symbol}USDT` : symbol;

const errorFrame = (msg: string) => JSON.stringify({ type: 'error', msg });

/** `{"type":"subscribe","symbol":"AAPL"}`, one symbol a frame; a symbol finnhub does not list gets an error frame. */
function receiveFinnhubFrame(text: string): FeedReply {
  let message: { type?: unknown; symbol?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return { send: [errorFrame('Invalid message format.')] };
  }
  if (message.type !== 'subscribe' && message.type !== 'unsubscribe') return {};
  const vendorSymbol = typeof message.symbol === 'string' ? message.symbol : '';
  const symbol = feedSymbolOf(vendorSymbol);
  if (symbol === null || isUnknownSymbol(symbol.symbol))
    return { send: [errorFrame(`Invalid symbol ${vendorSymbol}`)] };
  return message.type === 'subscribe' ? { subscribe: [symbol] } : { unsubscribe: [symbol] };
}

/**
 * wss://ws.finnhub.io?token=KEY (https://finnhub.io/docs/api/websocket-trades): the key only as `?token=`, refused at the
 * upgrade without it; trades batched in one `{"type":"trade","data":[…]}` frame; a `ping` every minute; errors as
 * `{"type":"error","msg"}`. Crypto trades carry a fractional volume, stock trades a round lot.
 */
const finnhubStream: SimulatorStream = {
  paths: { '/': ['stocks.quote', 'crypto.price'] },
  refuseUpgrade: (request) => (keyFrom(request, ['token'], []) ? null : missingKey),
  open: () => ({ authenticated: true }),
  receive: receiveFinnhubFrame,
  tradeFrames: (trades) => [
    JSON.stringify({
      type: 'trade',
      data: trades.map((trade) => ({
        s: vendorSymbolOf(trade),
        p: trade.price,
        t: trade.atMs,
        v: trade.channel === 'crypto.price' ? 0.0125 : 100,
        c: ['1'],
      })),
    }),
  ],
  heartbeat: { frame: JSON.stringify({ type: 'ping' }), everyMs: 60_000, optIn: false },
  faultReply: (mode) =>
    mode === 'rate-limited'
      ? { send: [errorFrame('Too many requests.')], close: { code: 1008, reason: 'rate limited' } }
      : { send: [errorFrame('Internal server error.')], close: { code: 1011, reason: 'internal error' } },
};

export const finnhubSimulator: SimulatorDefinition = {
  vendor: 'finnhub',
  routes: [
    { path: '/quote', handle: quote },
    { path: '/stock/candle', handle: candles },
    { path: '/forex/rates', handle: forexRates },
    { path: '/company-news', handle: companyNews },
    { path: '/news', handle: marketNews },
    { path: '/stock/market-status', handle: marketStatus },
  ],
  // finnhub takes the key as `?token=` or in the X-Finnhub-Token header.
  authorize: keyRequiredIn(['token'], ['X-Finnhub-Token'], missingKey),
  errorReply() {
    return { status: 502, body: { error: 'Bad gateway.' } };
  },
  rateLimitedReply(nowMs) {
    return {
      status: 429,
      headers: {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(nextMinuteMs(nowMs) / 1000),
      },
      body: { error: 'API limit reached. Please try again later. Remaining Limit: 0' },
    };
  },
  stream: finnhubStream,
};
