import { barAt, barsBetween, crossRate, isFiat, isUnknownSymbol, priceAt, round, type SimulatedBar } from './market.js';
import { keyFrom, okReply, type SimulatorDefinition, type SimulatorReply, type SimulatorRequest } from './simulator.js';

/**
 * A stand-in for twelvedata (https://api.twelvedata.com): /quote (one symbol or a comma list), /time_series,
 * /exchange_rate and /api_usage, with its field names and its numbers as strings. Like twelvedata, errors are
 * `{code, message, status:"error"}` bodies sent with HTTP 200 (the faults use 429 and 500). Stocks are priced from
 * market.ts by ticker, coins by their ticker too (BTC/USD walks like BTC everywhere), fiat currencies by market.ts's
 * dollar values, so every simulator quotes the same cross rate. Unknown symbols (market.ts convention) get twelvedata's
 * 404 body.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

const currencyNames: Readonly<Record<string, string>> = {
  USD: 'US Dollar',
  EUR: 'Euro',
  BTC: 'Bitcoin',
  ETH: 'Ethereum',
};

function errorBody(code: number, message: string): SimulatorReply {
  return okReply({ code, message, status: 'error' });
}

function notFoundBody(symbol: string) {
  return {
    code: 404,
    message: `**symbol** not found: ${symbol}. Please specify it correctly according to API Documentation.`,
    status: 'error',
    meta: { symbol, interval: '', exchange: '' },
  };
}

/** Twelvedata's own number format: a string with five decimals. */
const decimal = (value: number) => value.toFixed(5);

interface Instrument {
  symbol: string;
  /** What market.ts walks: the stock ticker, the coin ticker for X/USD, else the pair. */
  seed: string;
  price(ms: number): number;
  pair?: { base: string; quote: string };
}

function instrument(rawSymbol: string): Instrument | null {
  const symbol = rawSymbol.trim().toUpperCase();
  const [base = '', quote, extra] = symbol.split('/');
  if (quote === undefined) {
    return isUnknownSymbol(symbol) ? null : { symbol, seed: symbol, price: (ms) => priceAt(symbol, ms) };
  }
  if (extra !== undefined || isUnknownSymbol(base) || isUnknownSymbol(quote)) return null;
  const seed = quote === 'USD' && !isFiat(base) ? base : `${base}${quote}`;
  return { symbol, seed, pair: { base, quote }, price: (ms) => round(crossRate(base, quote, ms), 6) };
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function quoteOf(item: Instrument, nowMs: number) {
  const dayStart = Math.floor(nowMs / dayMs) * dayMs;
  const walk = barAt(item.seed, dayStart, nowMs - dayStart + 1);
  const open = item.price(dayStart);
  const close = item.price(nowMs);
  const previousClose = item.price(dayStart - 1);
  const dayAgo = item.price(nowMs - dayMs);
  const change = close - previousClose;
  const common = {
    symbol: item.symbol,
    datetime: isoDate(dayStart),
    timestamp: dayStart / 1000,
    last_quote_at: Math.floor(nowMs / minuteMs) * 60,
    open: decimal(open),
    high: decimal(Math.max(open, close) * 1.002),
    low: decimal(Math.min(open, close) * 0.998),
    close: decimal(close),
    previous_close: decimal(previousClose),
    change: decimal(change),
    percent_change: decimal((change / previousClose) * 100),
  };
  if (!item.pair) {
    const weekday = new Date(nowMs).getUTCDay();
    const minute = Math.floor((nowMs - dayStart) / minuteMs);
    return {
      ...common,
      name: `${item.symbol} Inc.`,
      exchange: 'NASDAQ',
      mic_code: 'XNGS',
      currency: 'USD',
      volume: String(walk.volume),
      average_volume: String(Math.round(walk.volume * 1.1)),
      // New York's regular session in UTC, ignoring daylight saving: close enough for a stand-in.
      is_market_open: weekday !== 0 && weekday !== 6 && minute >= 14 * 60 + 30 && minute < 21 * 60,
    };
  }
  const { base, quote } = item.pair;
  return {
    ...common,
    name: `${currencyNames[base] ?? base} ${currencyNames[quote] ?? quote}`,
    exchange: isFiat(base) && isFiat(quote) ? 'Forex' : 'Coinbase Pro',
    currency_base: currencyNames[base] ?? base,
    currency_quote: currencyNames[quote] ?? quote,
    rolling_1day_change: decimal(((close - dayAgo) / dayAgo) * 100),
    is_market_open: true,
  };
}

function quote(request: SimulatorRequest): SimulatorReply {
  const symbols = (request.query.symbol ?? '').split(',').filter((symbol) => symbol.trim() !== '');
  if (symbols.length === 0) return errorBody(400, '**symbol** or **figi** parameter is missing or invalid.');
  const answer = (symbol: string) => {
    const item = instrument(symbol);
    return item ? quoteOf(item, request.nowMs) : notFoundBody(symbol.trim().toUpperCase());
  };
  if (symbols.length === 1) return okReply(answer(symbols[0] ?? ''));
  return okReply(Object.fromEntries(symbols.map((symbol) => [symbol.trim().toUpperCase(), answer(symbol)])));
}

const barLengthMs: Readonly<Record<string, number>> = {
  '1min': minuteMs,
  '5min': 5 * minuteMs,
  '15min': 15 * minuteMs,
  '30min': 30 * minuteMs,
  '45min': 45 * minuteMs,
  '1h': 60 * minuteMs,
  '2h': 120 * minuteMs,
  '4h': 240 * minuteMs,
  '1day': dayMs,
};

/** Weeks start on Monday and months on the 1st, each labelled with its first day. */
function calendarBars(seed: string, interval: string, fromMs: number, endMs: number): SimulatedBar[] {
  const first = new Date(fromMs);
  const weekly = interval === '1week';
  let start = weekly
    ? fromMs - ((first.getUTCDay() + 6) % 7) * dayMs
    : Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1);
  const bars: SimulatedBar[] = [];
  while (start <= endMs && bars.length < 5_000) {
    const next = weekly
      ? start + 7 * dayMs
      : Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1);
    bars.push(barAt(seed, start, next - start));
    start = next;
  }
  return bars;
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss', read as UTC (this stand-in treats every `timezone` as UTC). */
function instant(value: string | undefined): number {
  const text = (value ?? '').trim().replace(' ', 'T');
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
}

function timeSeries(request: SimulatorRequest): SimulatorReply {
  const { query, nowMs } = request;
  const interval = query.interval ?? '';
  if (!Object.hasOwn(barLengthMs, interval) && interval !== '1week' && interval !== '1month') {
    return errorBody(
      400,
      `Invalid **interval** provided: ${interval}. Supported intervals: 1min, 5min, 15min, 30min, 45min, 1h, 2h, 4h, 1day, 1week, 1month`,
    );
  }
  if (query.adjust && !['all', 'splits', 'dividends', 'none'].includes(query.adjust)) {
    return errorBody(400, '**adjust** parameter is invalid. Supported values: all, splits, dividends, none');
  }
  const item = instrument(query.symbol ?? '');
  if (!item) return okReply(notFoundBody((query.symbol ?? '').toUpperCase()));
  const hasDates = Boolean(query.start_date || query.end_date);
  // Without dates the answer is the latest `outputsize` bars (30 by default), as twelvedata sends it.
  const outputsize = Math.min(Math.max(Number(query.outputsize ?? (hasDates ? 5_000 : 30)) || 30, 1), 5_000);
  const lengthMs = barLengthMs[interval];
  const endMs = Math.min(Number.isNaN(instant(query.end_date)) ? nowMs : instant(query.end_date), nowMs);
  const fromMs = Number.isNaN(instant(query.start_date))
    ? endMs - outputsize * (lengthMs ?? 31 * dayMs)
    : instant(query.start_date);
  const daily = lengthMs === undefined || lengthMs >= dayMs;
  // Stocks do not trade at weekends; coins and currencies are priced every day. A bar opening at end_date counts.
  const isTradingBar = (bar: SimulatedBar) =>
    item.pair !== undefined || lengthMs === undefined || ![0, 6].includes(new Date(bar.openMs).getUTCDay());
  const bars = (
    lengthMs === undefined
      ? calendarBars(item.seed, interval, fromMs, endMs)
      : barsBetween(item.seed, fromMs, endMs + 1, lengthMs)
  )
    .filter(isTradingBar)
    .slice(-outputsize);
  if (bars.length === 0) {
    return okReply({
      code: 400,
      message: 'No data is available on the specified dates. Try setting different start/end dates.',
      status: 'error',
      meta: { symbol: item.symbol, interval, exchange: '' },
    });
  }
  if ((query.order ?? 'desc').toLowerCase() !== 'asc') bars.reverse();
  const meta = item.pair
    ? {
        symbol: item.symbol,
        interval,
        currency_base: currencyNames[item.pair.base] ?? item.pair.base,
        currency_quote: currencyNames[item.pair.quote] ?? item.pair.quote,
        exchange: 'Coinbase Pro',
        type: 'Digital Currency',
      }
    : {
        symbol: item.symbol,
        interval,
        currency: 'USD',
        exchange_timezone: 'America/New_York',
        exchange: 'NASDAQ',
        mic_code: 'XNGS',
        type: 'Common Stock',
      };
  const values = bars.map((bar) => ({
    datetime: daily ? isoDate(bar.openMs) : isoDateTime(bar.openMs),
    open: decimal(bar.open),
    high: decimal(bar.high),
    low: decimal(bar.low),
    close: decimal(bar.close),
    volume: String(bar.volume),
  }));
  return okReply({ meta, values, status: 'ok' });
}

function exchangeRate(request: SimulatorRequest): SimulatorReply {
  const item = instrument(request.query.symbol ?? '');
  if (!item?.pair) return okReply(notFoundBody((request.query.symbol ?? '').toUpperCase()));
  return okReply({ symbol: item.symbol, rate: item.price(request.nowMs), timestamp: Math.floor(request.nowMs / 1000) });
}

function apiUsage(request: SimulatorRequest): SimulatorReply {
  return okReply({ timestamp: isoDateTime(request.nowMs), current_usage: 1, plan_limit: 8, plan_category: 'basic' });
}

export const twelvedataSimulator: SimulatorDefinition = {
  vendor: 'twelvedata',
  routes: [
    { path: '/quote', handle: quote },
    { path: '/time_series', handle: timeSeries },
    { path: '/exchange_rate', handle: exchangeRate },
    { path: '/api_usage', handle: apiUsage },
  ],
  authorize(request) {
    // twelvedata takes the key as `?apikey=` or as `Authorization: apikey KEY`.
    const header = request.headers.authorization;
    const headerKey = typeof header === 'string' ? /^apikey\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (headerKey || keyFrom(request, ['apikey'], [])) return null;
    return errorBody(
      401,
      '**apikey** parameter is incorrect or not specified. You can get your free API key instantly following this link: https://twelvedata.com/pricing. If you believe that everything is correct, you can contact us at https://twelvedata.com/contact/customer',
    );
  },
  errorReply() {
    return {
      status: 500,
      body: { code: 500, message: 'Internal server error. Please try again later.', status: 'error' },
    };
  },
  rateLimitedReply() {
    // No reset header: credits refill at each minute boundary, and the Date header tells when the reply was sent.
    return {
      status: 429,
      headers: { 'api-credits-used': '9', 'api-credits-left': '0' },
      body: {
        code: 429,
        message:
          'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8. Wait for the next minute or consider switching to a higher tier plan at https://twelvedata.com/pricing',
        status: 'error',
      },
    };
  },
};
