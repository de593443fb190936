import { createHash } from 'node:crypto';
import {
  barAt,
  barsBetween,
  fiatUsdValue,
  isUnknownSymbol,
  listedStocks,
  priceAt,
  round,
  storiesAbout,
  type SimulatedBar,
} from './market.js';
import type { SimulatorDefinition, SimulatorReply, SimulatorRequest } from './simulator.js';
import type { FeedReply, FeedSession, FeedSymbol, SimulatorStream } from './stream-feed.js';

/**
 * A stand-in for polygon (Massive): its real paths and payload shapes, prices from market.ts. Ticker convention shared
 * by every simulator: symbols starting with ZZZ, and UNKNOWN, do not exist (snapshot 404, aggregates `resultsCount: 0`,
 * news `results: []`); every other well-formed ticker does.
 */

const dayMs = 86_400_000;

function requestId(...parts: (string | number)[]): string {
  return createHash('md5').update(parts.join('|')).digest('hex');
}

function error(status: number, nowMs: number, message: string): SimulatorReply {
  return { status, body: { status: 'ERROR', request_id: requestId('error', nowMs), error: message } };
}

function notFound(nowMs: number): SimulatorReply {
  return {
    status: 404,
    body: { status: 'NOT_FOUND', request_id: requestId('nf', nowMs), message: 'Ticker not found.' },
  };
}

/** The key goes in `apiKey=` or in `Authorization: Bearer`; both are documented. */
function keyOf(request: SimulatorRequest): string | undefined {
  if (request.query.apiKey) return request.query.apiKey;
  const header = request.headers.authorization;
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

// Crypto pairs are X: + base + quote; the longest quote currencies are tried first (USDT before USD).
const cryptoQuotes = ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'JPY', 'BTC', 'ETH'];

function splitPair(ticker: string): { base: string; quote: string } | null {
  const pair = ticker.replace(/^X:/, '');
  const quote = cryptoQuotes.find((candidate) => pair.endsWith(candidate) && pair.length > candidate.length);
  return quote ? { base: pair.slice(0, -quote.length), quote } : null;
}

const coins = new Set(['BTC', 'ETH']);

/** Dollars per unit of a currency or coin, so any pair can be priced from market.ts's walks. */
function usdValue(currency: string, ms: number, isCoin: boolean): number {
  if (currency === 'USD' || currency === 'USDT' || currency === 'USDC') return 1;
  if (isCoin) return priceAt(currency, ms);
  // Fiat currencies outside market.ts's table get a walk between 0.02 and 2 dollars.
  return fiatUsdValue(currency, ms) ?? priceAt(`${currency}USD`, ms) / 250;
}

function coinPrice(base: string, quote: string, ms: number): number {
  const value = usdValue(base, ms, true) / usdValue(quote, ms, coins.has(quote));
  return round(value, value < 10 ? 6 : 2);
}

function rawBar(bar: SimulatedBar, t?: number) {
  const vw = round((bar.open + bar.close + bar.high + bar.low) / 4, 4);
  return { v: bar.volume, vw, o: bar.open, c: bar.close, h: bar.high, l: bar.low, ...(t === undefined ? {} : { t }) };
}

function stockSnapshot(ticker: string, nowMs: number) {
  const todayMs = Math.floor(nowMs / dayMs) * dayMs;
  const day = barAt(ticker, todayMs, nowMs - todayMs + 1);
  const prevDay = barAt(ticker, todayMs - dayMs, dayMs);
  const minuteMs = Math.floor(nowMs / 60_000) * 60_000;
  const change = day.close - prevDay.close;
  const nanos = nowMs * 1e6;
  return {
    ticker,
    todaysChange: round(change, 4),
    todaysChangePerc: round((change / prevDay.close) * 100, 6),
    // Stock snapshots stamp in nanoseconds.
    updated: nanos,
    day: rawBar(day),
    min: { ...rawBar(barAt(ticker, minuteMs, 60_000), minuteMs), n: 42 },
    prevDay: rawBar(prevDay),
    lastTrade: { c: [14, 41], i: requestId(ticker, nowMs).slice(0, 12), p: day.close, s: 100, t: nanos, x: 4 },
    lastQuote: { P: round(day.close * 1.0002, 2), S: 2, p: round(day.close * 0.9998, 2), s: 3, t: nanos },
  };
}

function cryptoSnapshot(ticker: string, base: string, quote: string, nowMs: number) {
  const todayMs = Math.floor(nowMs / dayMs) * dayMs;
  const price = (ms: number) => coinPrice(base, quote, ms);
  const bar = (openMs: number, lengthMs: number) => {
    const walk = barAt(`${base}${quote}`, openMs, lengthMs);
    const open = price(openMs);
    const close = price(openMs + lengthMs - 1);
    return { ...walk, open, close, high: Math.max(open, close), low: Math.min(open, close) };
  };
  const day = bar(todayMs, nowMs - todayMs + 1);
  const prevDay = bar(todayMs - dayMs, dayMs);
  const change = day.close - prevDay.close;
  return {
    ticker,
    todaysChange: round(change, 6),
    todaysChangePerc: round((change / prevDay.close) * 100, 6),
    // Crypto snapshots stamp in milliseconds, unlike stock snapshots.
    updated: nowMs,
    day: rawBar(day),
    prevDay: rawBar(prevDay),
    lastTrade: { c: [1], i: requestId(ticker, nowMs).slice(0, 9), p: day.close, s: 0.01, t: nowMs, x: 1 },
  };
}

const nyOffsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'shortOffset' });

/** polygon stamps daily-and-longer stock bars at midnight New York time (05:00Z in winter, 04:00Z in summer). */
function newYorkMidnight(utcMidnightMs: number): number {
  const zone = nyOffsetFormat
    .formatToParts(new Date(utcMidnightMs + 12 * 3_600_000))
    .find((part) => part.type === 'timeZoneName');
  const hours = Number(zone?.value.replace('GMT', '') || '-5');
  return utcMidnightMs - hours * 3_600_000;
}

/** Calendar bars (day, week from Sunday, month) between two UTC midnights, as [start, end) pairs. */
function calendarBuckets(timespan: string, multiplier: number, fromMs: number, toMs: number): [number, number][] {
  const buckets: [number, number][] = [];
  const from = new Date(fromMs);
  let start =
    timespan === 'week'
      ? fromMs - from.getUTCDay() * dayMs
      : timespan === 'month'
        ? Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)
        : fromMs;
  while (start < toMs && buckets.length < 5_000) {
    const startDate = new Date(start);
    const end =
      timespan === 'month'
        ? Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth() + multiplier, 1)
        : start + multiplier * (timespan === 'week' ? 7 : 1) * dayMs;
    buckets.push([start, end]);
    start = end;
  }
  return buckets;
}

const intradayMs: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000 };

function aggregates(request: SimulatorRequest): SimulatorReply {
  const { ticker = '', multiplier = '', timespan = '', from = '', to = '' } = request.params;
  const { nowMs } = request;
  const size = Number(multiplier);
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to) + dayMs;
  if (!Number.isInteger(size) || size < 1 || !['minute', 'hour', 'day', 'week', 'month'].includes(timespan)) {
    return error(400, nowMs, 'Invalid multiplier or timespan.');
  }
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    return error(400, nowMs, "Could not parse the time parameter: 'from'. Use YYYY-MM-DD or Unix MS Timestamps");
  }
  const isCrypto = ticker.startsWith('X:');
  const pair = isCrypto ? splitPair(ticker) : null;
  const symbol = pair ? (pair.quote === 'USD' ? pair.base : `${pair.base}${pair.quote}`) : ticker;
  const known = !isUnknownSymbol(pair ? pair.base : ticker) && (!isCrypto || pair !== null);
  const endMs = Math.min(toMs, nowMs);
  const unit = intradayMs[timespan];

  let results: ReturnType<typeof rawBar>[] = [];
  if (known && unit !== undefined) {
    results = barsBetween(symbol, fromMs, endMs, size * unit, 50_000).map((bar) => rawBar(bar, bar.openMs));
  } else if (known) {
    results = calendarBuckets(timespan, size, fromMs, endMs)
      .filter(([start]) => isCrypto || timespan !== 'day' || ![0, 6].includes(new Date(start).getUTCDay()))
      .map(([start, end]) => {
        const t = isCrypto ? start : newYorkMidnight(start);
        return rawBar(barAt(symbol, t, end - start), t);
      });
  }
  if (request.query.sort === 'desc') results.reverse();
  const limit = Number(request.query.limit ?? 5_000);
  if (Number.isInteger(limit) && limit > 0) results = results.slice(0, limit);
  return {
    status: 200,
    body: {
      ticker,
      queryCount: results.length,
      resultsCount: results.length,
      adjusted: request.query.adjusted !== 'false',
      // An empty answer has no `results` key at all, as polygon sends it.
      ...(results.length > 0 ? { results } : {}),
      status: 'OK',
      request_id: requestId('aggs', ticker, nowMs),
      count: results.length,
    },
  };
}

function news(request: SimulatorRequest): SimulatorReply {
  const { query, nowMs } = request;
  const ticker = query.ticker?.toUpperCase();
  const limit = Math.min(Math.max(Number(query.limit ?? 10) || 10, 1), 1_000);
  const gte = Date.parse(query['published_utc.gte'] ?? '');
  const lte = Date.parse(query['published_utc.lte'] ?? '');
  const stories =
    ticker && isUnknownSymbol(ticker)
      ? []
      : storiesAbout(ticker ?? 'Markets', Number.isNaN(lte) ? nowMs : Math.min(nowMs, lte), limit).filter(
          (story) => Number.isNaN(gte) || story.publishedMs >= gte,
        );
  if (query.order === 'asc') stories.reverse();
  const results = stories.map((story) => {
    const host = story.source.toLowerCase().replace(/[^a-z]+/g, '');
    return {
      id: requestId('story', story.slug),
      publisher: {
        name: story.source,
        homepage_url: `https://www.${host}.example.com/`,
        logo_url: `https://static.example.com/logos/${host}.png`,
        favicon_url: `https://static.example.com/favicons/${host}.ico`,
      },
      title: story.title,
      author: 'Sandbox Desk',
      published_utc: new Date(story.publishedMs).toISOString().replace('.000Z', 'Z'),
      article_url: `https://www.${host}.example.com/news/${story.slug}`,
      tickers: story.symbols,
      image_url: `https://static.example.com/images/${story.slug}.jpg`,
      description: story.summary,
      keywords: ['markets'],
    };
  });
  return {
    status: 200,
    body: { results, status: 'OK', request_id: requestId('news', ticker ?? '', nowMs), count: results.length },
  };
}

/**
 * The whole market's snapshots, built once per simulated minute (market.ts moves prices per minute): building 2,010 of
 * them takes the simulator ~140 ms, which in a benchmark would be charged to the gateway sharing its process.
 */
let wholeMarket: { minuteMs: number; tickers: ReturnType<typeof stockSnapshot>[] } | undefined;

function wholeMarketAt(nowMs: number): ReturnType<typeof stockSnapshot>[] {
  const minuteMs = Math.floor(nowMs / 60_000) * 60_000;
  if (wholeMarket?.minuteMs !== minuteMs) {
    wholeMarket = { minuteMs, tickers: listedStocks.map((ticker) => stockSnapshot(ticker, nowMs)) };
  }
  return wholeMarket.tickers;
}

/** Every polygon feed frame is an array of events; status events carry `status` and a human `message`. */
const statusFrame = (status: string, message: string) => JSON.stringify([{ ev: 'status', status, message }]);

/** `T.AAPL` on the stocks cluster, `XT.BTC-USD` on the crypto one; a channel of the other cluster is not served. */
function feedSymbolOf(param: string, session: FeedSession): FeedSymbol | null {
  const stock = /^T\.([A-Z][A-Z0-9.]*)$/.exec(param);
  if (stock?.[1] && session.channels.includes('stocks.quote')) return { channel: 'stocks.quote', symbol: stock[1] };
  const crypto = /^XT\.([A-Z0-9]+)-USD$/.exec(param);
  if (crypto?.[1] && session.channels.includes('crypto.price')) return { channel: 'crypto.price', symbol: crypto[1] };
  return null;
}

/**
 * `{"action":"auth","params":KEY}` first, then `{"action":"subscribe","params":"T.AAPL,T.MSFT"}`; each param is
 * acknowledged with a `success` status, as the official clients expect (docs/vendors.md#streaming-apis).
 */
function receivePolygonFrame(text: string, session: FeedSession): FeedReply {
  let message: { action?: unknown; params?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return { send: [statusFrame('error', 'Invalid JSON')] };
  }
  const params = typeof message.params === 'string' ? message.params : '';
  if (message.action === 'auth') {
    return params
      ? { authenticated: true, send: [statusFrame('auth_success', 'authenticated')] }
      : {
          send: [statusFrame('auth_failed', 'authentication failed')],
          close: { code: 1008, reason: 'authentication failed' },
        };
  }
  if (message.action !== 'subscribe' && message.action !== 'unsubscribe') {
    return { send: [statusFrame('error', 'Unknown action')] };
  }
  if (!session.authenticated) return { send: [statusFrame('error', 'not authorized')] };
  const names = params.split(',').filter((name) => name !== '');
  const symbols = names.map((name) => feedSymbolOf(name, session)).filter((symbol) => symbol !== null);
  const verb = message.action === 'subscribe' ? 'subscribed to' : 'unsubscribed to';
  const change = message.action === 'subscribe' ? { subscribe: symbols } : { unsubscribe: symbols };
  return { ...change, send: names.map((name) => statusFrame('success', `${verb}: ${name}`)) };
}

let tradeSequence = 0;

/**
 * wss://socket.massive.com/stocks and /crypto (https://massive.com/docs/websocket/stocks/trades.md): one cluster per
 * path, the key in the first frame, a `connected` status on open, stock `T` and crypto `XT` trades with ms times, all
 * in arrays. No heartbeat frame: polygon documents none. Both error faults evict with `max_connections`, the only
 * server-initiated close polygon documents.
 */
const polygonStream: SimulatorStream = {
  paths: { '/stocks': ['stocks.quote'], '/crypto': ['crypto.price'] },
  open: () => ({ send: [statusFrame('connected', 'Connected Successfully')] }),
  receive: receivePolygonFrame,
  tradeFrames: (trades) => [
    JSON.stringify(
      trades.map((trade) => {
        tradeSequence += 1;
        const id = String(tradeSequence);
        return trade.channel === 'crypto.price'
          ? { ev: 'XT', pair: `${trade.symbol}-USD`, p: trade.price, t: trade.atMs, s: 0.0125, c: [2], i: id, x: 1 }
          : {
              ev: 'T',
              sym: trade.symbol,
              x: 4,
              i: id,
              z: 3,
              p: trade.price,
              s: 100,
              c: [0],
              t: trade.atMs,
              q: tradeSequence,
            };
      }),
    ),
  ],
  faultReply: () => ({
    send: [statusFrame('max_connections', 'Maximum number of websocket connections exceeded.')],
    close: { code: 1008, reason: 'max connections' },
  }),
};

export const polygonSimulator: SimulatorDefinition = {
  vendor: 'polygon',
  routes: [
    {
      path: '/v2/snapshot/locale/us/markets/stocks/tickers/:ticker',
      handle({ params, nowMs }) {
        const ticker = params.ticker ?? '';
        if (isUnknownSymbol(ticker)) return notFound(nowMs);
        return {
          status: 200,
          body: {
            request_id: requestId('snapshot', ticker, nowMs),
            status: 'OK',
            ticker: stockSnapshot(ticker, nowMs),
          },
        };
      },
    },
    {
      path: '/v2/snapshot/locale/us/markets/stocks/tickers',
      handle({ query, nowMs }) {
        // No `tickers` (or an empty one): the whole market.
        if (!query.tickers) {
          const tickers = wholeMarketAt(nowMs);
          return { status: 200, body: { status: 'OK', count: tickers.length, tickers } };
        }
        const tickers = query.tickers
          .split(',')
          .map((ticker) => ticker.trim())
          .filter((ticker) => ticker !== '' && !isUnknownSymbol(ticker))
          .map((ticker) => stockSnapshot(ticker, nowMs));
        return { status: 200, body: { status: 'OK', count: tickers.length, tickers } };
      },
    },
    {
      path: '/v2/snapshot/locale/global/markets/crypto/tickers/:ticker',
      handle({ params, nowMs }) {
        const ticker = params.ticker ?? '';
        const pair = ticker.startsWith('X:') ? splitPair(ticker) : null;
        if (!pair || isUnknownSymbol(pair.base)) return notFound(nowMs);
        return {
          status: 200,
          body: {
            request_id: requestId('crypto', ticker, nowMs),
            status: 'OK',
            ticker: cryptoSnapshot(ticker, pair.base, pair.quote, nowMs),
          },
        };
      },
    },
    { path: '/v2/aggs/ticker/:ticker/range/:multiplier/:timespan/:from/:to', handle: aggregates },
    {
      path: '/v1/conversion/:from/:to',
      handle({ params, query, nowMs }) {
        const from = (params.from ?? '').toUpperCase();
        const to = (params.to ?? '').toUpperCase();
        const wellFormed = /^[A-Z]{3}$/.test(from) && /^[A-Z]{3}$/.test(to);
        if (!wellFormed || isUnknownSymbol(from) || isUnknownSymbol(to)) return notFound(nowMs);
        const amount = Number(query.amount ?? 1) || 1;
        const precision = Number(query.precision ?? 2);
        if (![0, 1, 2, 3, 4].includes(precision)) return error(400, nowMs, 'precision must be one of 0, 1, 2, 3, 4');
        const rate = from === to ? 1 : usdValue(from, nowMs, false) / usdValue(to, nowMs, false);
        const timestamp = Math.floor(nowMs / 1_000) * 1_000;
        return {
          status: 200,
          body: {
            converted: round(amount * rate, precision),
            from,
            initialAmount: amount,
            last: { ask: round(rate * 1.0001, 6), bid: round(rate * 0.9999, 6), exchange: 48, timestamp },
            request_id: requestId('fx', from, to, nowMs),
            status: 'success',
            symbol: `${from}/${to}`,
            to,
          },
        };
      },
    },
    { path: '/v2/reference/news', handle: news },
    {
      path: '/v1/marketstatus/now',
      handle({ nowMs }) {
        const now = new Date(nowMs);
        const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
        // Regular session 09:30–16:00 New York, approximated in UTC (winter offset).
        const weekday = now.getUTCDay() >= 1 && now.getUTCDay() <= 5;
        const market = weekday && minutes >= 14 * 60 + 30 && minutes < 21 * 60 ? 'open' : 'closed';
        return {
          status: 200,
          body: {
            afterHours: false,
            currencies: { crypto: 'open', fx: weekday ? 'open' : 'closed' },
            earlyHours: false,
            exchanges: { nasdaq: market, nyse: market, otc: market },
            market,
            serverTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
        };
      },
    },
  ],
  authorize(request) {
    return keyOf(request) ? null : error(401, request.nowMs, 'API Key was not provided');
  },
  errorReply() {
    return error(500, 0, 'Internal server error');
  },
  // polygon documents no Retry-After or reset header on its 429.
  rateLimitedReply(nowMs) {
    return error(
      429,
      nowMs,
      "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.",
    );
  },
  stream: polygonStream,
};
