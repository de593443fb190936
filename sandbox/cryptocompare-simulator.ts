import { barAt, barsBetween, isUnknownSymbol, priceAt, round } from './market.js';
import { keyFrom, okReply, type SimulatorDefinition, type SimulatorReply, type SimulatorRequest } from './simulator.js';

/**
 * cryptocompare's legacy min-api (https://min-api.cryptocompare.com): /data/pricemultifull, /data/v2/histo* and
 * /stats/rate/limit with the real envelopes. Like the real API it answers errors with HTTP 200 and
 * `{"Response":"Error",…}` (an unknown coin, a rate limit), and a missing or wrong key with a 401 in the newer
 * `{"Data":{},"Err":{…}}` envelope. Prices are seeded by ticker, so every crypto simulator agrees.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** Circulating supply for the coins this stand-in gives a market cap; others get SUPPLY 0 and MKTCAP 0, as at the vendor. */
const supplies: Readonly<Record<string, number>> = {
  BTC: 19_900_000,
  ETH: 120_700_000,
  SOL: 540_000_000,
  XRP: 59_000_000_000,
  ADA: 36_000_000_000,
  DOGE: 150_000_000_000,
  LTC: 76_000_000,
  USDT: 160_000_000_000,
};

/** market.ts prices are in USD; other quote currencies have no market here. */
const quoted = new Set(['USD']);

/** The legacy envelope: Type 100 on success; errors are HTTP 200 too, with their own Type. */
function envelope(response: 'Success' | 'Error', message: string, type: number, extra: Record<string, unknown> = {}) {
  return okReply({
    Response: response,
    Message: message,
    HasWarning: false,
    Type: type,
    RateLimit: {},
    Data: {},
    ...extra,
  });
}

const errorEnvelope = (message: string, type: number, extra: Record<string, unknown> = {}) =>
  envelope('Error', message, type, extra);

const missingParam = (name: string) => errorEnvelope(`${name} is a required param.`, 2, { ParamWithError: name });
const noMarket = (fsym: string, tsym: string) =>
  errorEnvelope(`cccagg_or_exchange market does not exist for this coin pair (${fsym}-${tsym})`, 2, { Cooldown: 0 });

function rawQuote(fsym: string, tsym: string, nowMs: number) {
  const price = priceAt(fsym, nowMs);
  const day = barAt(fsym, nowMs - dayMs, dayMs);
  const supply = supplies[fsym] ?? 0;
  return {
    TYPE: '5',
    MARKET: 'CCCAGG',
    FROMSYMBOL: fsym,
    TOSYMBOL: tsym,
    FLAGS: '2049',
    PRICE: price,
    LASTUPDATE: Math.floor(nowMs / 1000) - 3,
    VOLUME24HOUR: day.volume,
    VOLUME24HOURTO: round(day.volume * price, 2),
    OPEN24HOUR: day.open,
    HIGH24HOUR: Math.max(day.high, price),
    LOW24HOUR: Math.min(day.low, price),
    CHANGE24HOUR: round(price - day.open, 6),
    CHANGEPCT24HOUR: ((price - day.open) / day.open) * 100,
    SUPPLY: supply,
    MKTCAP: round(supply * price, 2),
  };
}

function priceMultiFull(request: SimulatorRequest): SimulatorReply {
  const list = (name: string) =>
    (request.query[name] ?? '')
      .split(',')
      .map((item) => item.trim().toUpperCase())
      .filter((item) => item !== '');
  const fsyms = list('fsyms');
  const tsyms = list('tsyms');
  if (fsyms.length === 0) return missingParam('fsyms');
  if (tsyms.length === 0) return missingParam('tsyms');
  const raw: Record<string, Record<string, ReturnType<typeof rawQuote>>> = {};
  const display: Record<string, Record<string, Record<string, string>>> = {};
  for (const fsym of fsyms.filter((symbol) => !isUnknownSymbol(symbol))) {
    for (const tsym of tsyms.filter((currency) => quoted.has(currency))) {
      const quote = rawQuote(fsym, tsym, request.nowMs);
      (raw[fsym] ??= {})[tsym] = quote;
      (display[fsym] ??= {})[tsym] = {
        PRICE: `$ ${quote.PRICE.toLocaleString('en-US')}`,
        CHANGEPCT24HOUR: quote.CHANGEPCT24HOUR.toFixed(2),
        MKTCAP: `$ ${(quote.MKTCAP / 1e9).toFixed(2)} B`,
      };
    }
  }
  // Only when no pair at all has a market does the vendor answer with an error.
  if (Object.keys(raw).length === 0) return noMarket(fsyms[0] ?? '', tsyms[0] ?? '');
  return okReply({ RAW: raw, DISPLAY: display });
}

function histo(unitMs: number, defaultLimit: number) {
  return (request: SimulatorRequest): SimulatorReply => {
    const fsym = (request.query.fsym ?? '').toUpperCase();
    const tsym = (request.query.tsym ?? '').toUpperCase();
    if (!fsym) return missingParam('fsym');
    if (!tsym) return missingParam('tsym');
    const limit = Number(request.query.limit ?? defaultLimit);
    const aggregate = Number(request.query.aggregate ?? 1);
    if (!Number.isInteger(limit) || limit < 1 || limit > 2000) {
      return errorEnvelope('limit param is not an integer or outside allowed range.', 2, { ParamWithError: 'limit' });
    }
    if (!Number.isInteger(aggregate) || aggregate < 1) {
      return errorEnvelope('aggregate param is not valid.', 2, { ParamWithError: 'aggregate' });
    }
    if (isUnknownSymbol(fsym) || !quoted.has(tsym)) return noMarket(fsym, tsym);
    // Aggregated bars fall on multiples of their length since the epoch; the last one holds toTs (capped at now).
    const periodMs = unitMs * aggregate;
    const toTs = Number(request.query.toTs);
    const toMs = Number.isFinite(toTs) ? Math.min(toTs * 1000, request.nowMs) : request.nowMs;
    const lastOpen = Math.floor(toMs / periodMs) * periodMs;
    const firstOpen = lastOpen - limit * periodMs;
    // Free keys see a week of minute bars.
    if (unitMs === minuteMs && firstOpen < request.nowMs - 7 * dayMs) {
      return errorEnvelope('Your subscription only allows 7 days of minute data.', 2, { ParamWithError: 'toTs' });
    }
    const bars = barsBetween(fsym, firstOpen, lastOpen + periodMs, periodMs).map((bar) => ({
      time: bar.openMs / 1000,
      high: bar.high,
      low: bar.low,
      open: bar.open,
      volumefrom: bar.volume,
      volumeto: round(bar.volume * bar.close, 2),
      close: bar.close,
      conversionType: 'direct',
      conversionSymbol: '',
    }));
    return envelope('Success', '', 100, {
      Data: { Aggregated: aggregate > 1, TimeFrom: firstOpen / 1000, TimeTo: lastOpen / 1000, Data: bars },
    });
  };
}

const freeLimits = { second: 20, minute: 300, hour: 3_000, day: 7_500, month: 50_000 };

function rateLimit(): SimulatorReply {
  const made = { second: 1, minute: 12, hour: 140, day: 1_210, month: 11_627 };
  const left = Object.fromEntries(
    Object.entries(freeLimits).map(([window, max]) => [window, max - made[window as keyof typeof made]]),
  );
  return envelope('Success', '', 100, { Data: { calls_made: made, calls_left: left } });
}

const keyRequiredReply: SimulatorReply = {
  status: 401,
  body: {
    Data: {},
    Err: {
      type: 2,
      message: 'API key required, please refer to the documentation at https://developers.coindesk.com/',
      http_status_code: 401,
    },
  },
};

/** The key as sent: `?api_key=KEY` or `Authorization: Apikey KEY`. */
function keyOf(request: SimulatorRequest): string | undefined {
  return keyFrom(request, ['api_key'], ['authorization'])?.replace(/^Apikey\s+/i, '');
}

export const cryptocompareSimulator: SimulatorDefinition = {
  vendor: 'cryptocompare',
  routes: [
    { path: '/data/pricemultifull', handle: priceMultiFull },
    { path: '/data/v2/histominute', handle: histo(minuteMs, 1_440) },
    { path: '/data/v2/histohour', handle: histo(60 * minuteMs, 168) },
    { path: '/data/v2/histoday', handle: histo(dayMs, 30) },
    { path: '/stats/rate/limit', handle: rateLimit },
  ],
  // No keyless tier any more; the literal key 'invalid' stands in for a revoked one.
  authorize(request) {
    const key = keyOf(request);
    return key && key !== 'invalid' ? null : keyRequiredReply;
  },
  errorReply: () => ({
    status: 500,
    body: { Data: {}, Err: { type: 1, message: 'Internal server error', http_status_code: 500 } },
  }),
  // The real rate limit is an HTTP 200 with Type 99 and no reset header; the RateLimit object shows the spent window.
  rateLimitedReply: () =>
    errorEnvelope('You are over your rate limit please upgrade your account!', 99, {
      RateLimit: {
        calls_made: { second: 1, minute: 300, hour: 1_210, day: 2_100, month: 11_627, total_calls: 52_622 },
        max_calls: freeLimits,
      },
    }),
};
