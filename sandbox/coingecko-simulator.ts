import { barAt, barsBetween, priceAt, round } from './market.js';
import { keyFrom, type SimulatorDefinition, type SimulatorReply, type SimulatorRequest } from './simulator.js';

const dayMs = 86_400_000;

/** The coins this stand-in knows, by coingecko id. Prices are seeded by ticker so every crypto simulator agrees. */
const coins = new Map<string, { ticker: string; supply: number }>([
  ['bitcoin', { ticker: 'BTC', supply: 19_900_000 }],
  ['ethereum', { ticker: 'ETH', supply: 120_700_000 }],
  ['solana', { ticker: 'SOL', supply: 540_000_000 }],
  ['ripple', { ticker: 'XRP', supply: 59_000_000_000 }],
  ['cardano', { ticker: 'ADA', supply: 36_000_000_000 }],
  ['dogecoin', { ticker: 'DOGE', supply: 150_000_000_000 }],
  ['litecoin', { ticker: 'LTC', supply: 76_000_000 }],
  ['tether', { ticker: 'USDT', supply: 160_000_000_000 }],
]);

/** market.ts prices are in USD; other vs currencies are left out, as coingecko leaves out ones it does not quote. */
const quoted = new Set(['usd']);

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

function simplePrice(request: SimulatorRequest): SimulatorReply {
  const ids = list(request.query['ids']);
  const currencies = list(request.query['vs_currencies']);
  if (ids.length === 0) return { status: 400, body: { error: 'Missing parameter ids' } };
  if (currencies.length === 0) return { status: 400, body: { error: 'Missing parameter vs_currencies' } };
  const asked = (flag: string) => request.query[flag] === 'true';
  const now = request.nowMs;
  const body: Record<string, Record<string, number>> = {};
  for (const id of ids) {
    const coin = coins.get(id);
    if (!coin) continue; // unknown ids are simply absent
    const entry: Record<string, number> = {};
    const usd = priceAt(coin.ticker, now);
    const usdDayAgo = priceAt(coin.ticker, now - dayMs);
    const usdVolume = barAt(coin.ticker, Math.floor(now / dayMs) * dayMs, dayMs).volume * usd;
    for (const vs of currencies.filter((currency) => quoted.has(currency))) {
      entry[vs] = usd;
      if (asked('include_market_cap')) entry[`${vs}_market_cap`] = round(usd * coin.supply, 2);
      if (asked('include_24hr_vol')) entry[`${vs}_24h_vol`] = round(usdVolume, 2);
      if (asked('include_24hr_change')) entry[`${vs}_24h_change`] = ((usd - usdDayAgo) / usdDayAgo) * 100;
    }
    if (asked('include_last_updated_at')) entry['last_updated_at'] = Math.floor(now / 60_000) * 60;
    body[id] = entry;
  }
  return { status: 200, body };
}

function ohlc(request: SimulatorRequest): SimulatorReply {
  const coin = coins.get(request.params['id'] ?? '');
  if (!coin) return { status: 404, body: { error: 'coin not found' } };
  const vs = (request.query['vs_currency'] ?? '').toLowerCase();
  if (!quoted.has(vs)) return { status: 400, body: { error: 'invalid vs_currency' } };
  const daysParam = request.query['days'];
  const days = daysParam === 'max' ? Infinity : Number(daysParam);
  if (!(days > 0)) return { status: 400, body: { error: 'invalid days' } };
  // Granularity follows `days`: 1–2 → 30 minutes, 3–30 → 4 hours, longer → 4 days; Demo history stops at 365 days.
  const barMs = days <= 2 ? 30 * 60_000 : days <= 30 ? 4 * 3_600_000 : 4 * dayMs;
  const bars = barsBetween(coin.ticker, request.nowMs - Math.min(days, 365) * dayMs, request.nowMs, barMs);
  // Each row is stamped with the bar's close time.
  return { status: 200, body: bars.map((bar) => [bar.openMs + barMs, bar.open, bar.high, bar.low, bar.close]) };
}

const wrongHostReply: SimulatorReply = {
  status: 400,
  body: {
    status: {
      error_code: 10010,
      error_message:
        'If you are using Pro API key, please change your root URL from api.coingecko.com to pro-api.coingecko.com',
    },
  },
};

const badKeyReply: SimulatorReply = {
  status: 401,
  body: {
    status: {
      error_code: 10002,
      error_message:
        'You have provided incorrect API key credentials. Please check your keys in developer dashboard and ensure that your request is authorized',
    },
  },
};

export const coingeckoSimulator: SimulatorDefinition = {
  vendor: 'coingecko',
  routes: [
    { path: '/simple/price', handle: simplePrice },
    { path: '/coins/:id/ohlc', handle: ohlc },
    { path: '/ping', handle: () => ({ status: 200, body: { gecko_says: '(V3) To the Moon!' } }) },
  ],
  // The public host also answers keyless; the literal key 'invalid' stands in for a wrong Demo key.
  authorize(request) {
    if (keyFrom(request, ['x_cg_pro_api_key'], ['x-cg-pro-api-key'])) return wrongHostReply;
    return keyFrom(request, ['x_cg_demo_api_key'], ['x-cg-demo-api-key']) === 'invalid' ? badKeyReply : null;
  },
  errorReply: () => ({ status: 500, body: { status: { error_code: 500, error_message: 'Internal Server Error' } } }),
  rateLimitedReply: () => ({
    status: 429,
    body: {
      status: {
        error_code: 429,
        error_message:
          "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
      },
    },
  }),
};
