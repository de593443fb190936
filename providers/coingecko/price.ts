// GET /simple/price — https://docs.coingecko.com/v3.0.1/reference/simple-price
// The extras (market cap, volume, change, last_updated_at) appear only when asked for, keyed `<vs>_…`; an unknown id is
// simply absent and an unknown vs currency is missing from the coin's object (docs/vendors.md#coingecko, "Price").
import { z } from 'zod';
import {
  defineCapability,
  type CryptoPrice,
  type CryptoPriceQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { numberOrNull } from '../common/numbers.js';
import { secondsToIso } from '../common/time.js';
import { coinIdFor, unmappedSymbol } from './symbols.js';

// The answer has no envelope: it is a map keyed by coin id, and `{}` is the documented answer for an unknown id.
// What every coin entry does have is a fixed key vocabulary: the asked vs code (lower-case letters, "usd"), its
// `<vs>_market_cap`, `<vs>_24h_vol` and `<vs>_24h_change` extras, and `last_updated_at`. A key outside it is a changed
// payload, not a coin without a price.
const simplePriceKey = z
  .string()
  .regex(/^(?:[a-z]+(?:_market_cap|_24h_vol|_24h_change)?|last_updated_at)$/, 'not a /simple/price key');
export const coingeckoSimplePriceResponseSchema = z.record(z.string(), z.record(simplePriceKey, z.number().nullish()));
export type CoingeckoSimplePriceResponse = z.infer<typeof coingeckoSimplePriceResponseSchema>;

function buildPriceRequest(query: CryptoPriceQuery): VendorRequest | NotFound {
  const id = coinIdFor(query.symbol);
  if (id === undefined) return unmappedSymbol(query.symbol);
  return {
    method: 'GET',
    path: '/simple/price',
    query: {
      ids: id,
      vs_currencies: query.vs.toLowerCase(),
      include_market_cap: true,
      include_24hr_vol: true,
      include_24hr_change: true,
      include_last_updated_at: true,
    },
  };
}

function normalizePrice(raw: CoingeckoSimplePriceResponse, query: CryptoPriceQuery): CryptoPrice | NotFound {
  const id = coinIdFor(query.symbol);
  if (id === undefined) return unmappedSymbol(query.symbol);
  const coin = Object.hasOwn(raw, id) ? raw[id] : undefined;
  if (coin === undefined) return { notFound: true, detail: `coingecko returned no ${id}` };
  const vs = query.vs.toLowerCase();
  const price = coin[vs];
  // A zero price is no price: coingecko answers 0 for coins it no longer tracks.
  if (price === undefined || price === null || price === 0)
    return { notFound: true, detail: `no ${vs} price for ${id}` };
  const changePercent24h = numberOrNull(coin[`${vs}_24h_change`]);
  const lastUpdatedAt = coin['last_updated_at'];
  return {
    symbol: query.symbol,
    vs: query.vs.toUpperCase(),
    price,
    change24h: changeFromPercent(price, changePercent24h),
    changePercent24h,
    marketCap: numberOrNull(coin[`${vs}_market_cap`]),
    volume24h: numberOrNull(coin[`${vs}_24h_vol`]),
    asOf: lastUpdatedAt ? secondsToIso(lastUpdatedAt) : null,
  };
}

// The endpoint gives the 24 h change only in percent, but the absolute change follows from it exactly:
// percent = (price − price24hAgo) / price24hAgo × 100, so price24hAgo = price / (1 + percent / 100). Twelve significant
// digits drop the float noise of the division without losing anything the percent carried.
function changeFromPercent(price: number, percent: number | null): number | null {
  if (percent === null || percent <= -100) return null;
  return Number((price - price / (1 + percent / 100)).toPrecision(12));
}

export const coingeckoCryptoPrice = defineCapability({
  capability: 'crypto-price',
  responseSchema: coingeckoSimplePriceResponseSchema,
  buildRequest: buildPriceRequest,
  normalize: normalizePrice,
});
