import { apilayerError, apilayerInternalError, apilayerMissingKey, apilayerRateLimited } from './apilayer.js';
import { barAt, barsBetween, isUnknownSymbol, type SimulatedBar } from './market.js';
import { keyFrom, okReply, type SimulatorDefinition, type SimulatorReply, type SimulatorRequest } from './simulator.js';

/**
 * A stand-in for marketstack v2 (paths relative to https://api.marketstack.com/v2): `{pagination, data}` pages, dates
 * as `2026-01-30T00:00:00+0000`, newest first unless sort=ASC, apilayer's `{"error":{"code","message"}}` bodies.
 * Unknown tickers (market.ts convention) are left out of `data`, and a request naming only unknown ones is a 422.
 * The key is `access_key=` in the query, the only placement marketstack accepts; the literal key 'invalid' is refused.
 */

const dayMs = 86_400_000;
/** The IEX-sourced intraday feed covers the regular session, 14:30–21:00 UTC in winter. */
const sessionOpenMs = 14.5 * 3_600_000;
const sessionCloseMs = 21 * 3_600_000;
/** A Basic-plan key: intervals below 15 minutes need the Professional plan. */
const intradayIntervals: Readonly<Record<string, number>> = { '15min': 15, '30min': 30, '1hour': 60 };
const professionalIntervals = new Set(['1min', '5min', '10min']);

function marketstackDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function isWeekday(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The asked symbols marketstack knows, or its 422 when none was asked or none is known. */
function knownSymbols(request: SimulatorRequest): string[] | SimulatorReply {
  const asked = (request.query.symbols ?? '')
    .split(',')
    .map((symbol) => symbol.trim().toUpperCase())
    .filter((symbol) => symbol !== '');
  if (asked.length === 0) {
    return apilayerError(422, 'validation_error', 'Request failed with validation error', {
      symbols: [{ key: 'missing_symbols', message: 'You did not specify any symbols.' }],
    });
  }
  const known = asked.filter((symbol) => !isUnknownSymbol(symbol));
  return known.length > 0
    ? known
    : apilayerError(422, 'no_valid_symbols_provided', 'At least one valid symbol must be provided');
}

/** The asked day range as [first UTC midnight, end of last day), capped at now; `days` back when no dates are given. */
function dayRange(request: SimulatorRequest, days: number): [number, number] {
  const today = Math.floor(request.nowMs / dayMs) * dayMs;
  const to = Date.parse(request.query.date_to ?? '');
  const from = Date.parse(request.query.date_from ?? '');
  const end = Math.min(Number.isNaN(to) ? today + dayMs : to + dayMs, request.nowMs);
  return [Number.isNaN(from) ? today - days * dayMs : from, end];
}

/** marketstack's order: newest first unless sort=ASC. */
function ordered<Row extends { date: string }>(request: SimulatorRequest, rows: Row[]): Row[] {
  const direction = request.query.sort?.toUpperCase() === 'ASC' ? 1 : -1;
  return rows.sort((a, b) => direction * a.date.localeCompare(b.date));
}

/** One page the way marketstack cuts it: limit ≤ 1000, default 100, and the total before paging. */
function page(request: SimulatorRequest, rows: unknown[]): SimulatorReply {
  const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 1_000);
  const offset = Math.max(Number(request.query.offset ?? 0) || 0, 0);
  const data = rows.slice(offset, offset + limit);
  return okReply({ pagination: { limit, offset, count: data.length, total: rows.length }, data });
}

function intradayRow(symbol: string, bar: SimulatedBar, dateMs: number) {
  const previousClose = barAt(symbol, Math.floor(dateMs / dayMs) * dayMs - dayMs, dayMs).close;
  return {
    open: bar.open,
    high: bar.high,
    low: bar.low,
    // Without an IEX agreement `last`, `mid`, bid and ask are null; `close` is the previous session's close.
    last: null,
    close: previousClose,
    volume: bar.volume,
    date: marketstackDate(dateMs),
    symbol,
    exchange: 'XNAS',
    mid: null,
    last_size: null,
    bid_size: null,
    bid_price: null,
    ask_price: null,
    ask_size: null,
    marketstack_last: bar.close,
  };
}

function latest(request: SimulatorRequest): SimulatorReply {
  const symbols = knownSymbols(request);
  if (!Array.isArray(symbols)) return symbols;
  const { nowMs } = request;
  const todayMs = Math.floor(nowMs / dayMs) * dayMs;
  const minuteMs = Math.floor(nowMs / 60_000) * 60_000;
  const rows = symbols.map((symbol) => intradayRow(symbol, barAt(symbol, todayMs, nowMs - todayMs + 1), minuteMs));
  return page(request, rows);
}

function intraday(request: SimulatorRequest): SimulatorReply {
  const interval = request.query.interval ?? '1hour';
  if (professionalIntervals.has(interval)) {
    return apilayerError(
      403,
      'function_access_restricted',
      'Your current subscription plan does not support this API function.',
    );
  }
  const minutes = intradayIntervals[interval];
  if (minutes === undefined) return apilayerError(422, 'validation_error', 'Request failed with validation error');
  const symbols = knownSymbols(request);
  if (!Array.isArray(symbols)) return symbols;
  const [from, end] = dayRange(request, 1);
  const rows = symbols.flatMap((symbol) => {
    const bars: SimulatedBar[] = [];
    for (let day = from; day < end; day += dayMs) {
      if (!isWeekday(day)) continue;
      bars.push(...barsBetween(symbol, day + sessionOpenMs, Math.min(day + sessionCloseMs, end), minutes * 60_000));
    }
    return bars.map((bar) => intradayRow(symbol, bar, bar.openMs));
  });
  return page(request, ordered(request, rows));
}

function eod(request: SimulatorRequest): SimulatorReply {
  const symbols = knownSymbols(request);
  if (!Array.isArray(symbols)) return symbols;
  const [from, end] = dayRange(request, 365);
  const rows = symbols.flatMap((symbol) =>
    barsBetween(symbol, from, end - dayMs + 1, dayMs, 10_000)
      .filter((bar) => isWeekday(bar.openMs))
      .map((bar) => ({
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        // No splits or dividends in the sandbox: adjusted prices equal the raw ones.
        adj_high: bar.high,
        adj_low: bar.low,
        adj_close: bar.close,
        adj_open: bar.open,
        adj_volume: bar.volume,
        split_factor: 1,
        dividend: 0,
        name: `${symbol} Sandbox Corp`,
        exchange_code: 'NASDAQ',
        asset_type: 'Stock',
        price_currency: 'usd',
        symbol,
        exchange: 'XNAS',
        date: marketstackDate(bar.openMs),
      })),
  );
  return page(request, ordered(request, rows));
}

const exchanges = [
  {
    name: 'NASDAQ Stock Exchange',
    acronym: 'NASDAQ',
    mic: 'XNAS',
    country: 'USA',
    country_code: 'US',
    city: 'New York',
    website: 'www.nasdaq.com',
  },
];

export const marketstackSimulator: SimulatorDefinition = {
  vendor: 'marketstack',
  routes: [
    { path: '/intraday/latest', handle: latest },
    { path: '/intraday', handle: intraday },
    { path: '/eod', handle: eod },
    { path: '/exchanges', handle: (request) => page(request, exchanges) },
  ],
  authorize(request) {
    const key = keyFrom(request, ['access_key'], []);
    if (!key) return apilayerMissingKey;
    return key === 'invalid'
      ? apilayerError(401, 'invalid_access_key', 'You have not supplied a valid API Access Key.')
      : null;
  },
  errorReply: () => apilayerInternalError,
  // marketstack documents no Retry-After or reset header on its 429s.
  rateLimitedReply: () => apilayerRateLimited,
};
