// GET /v2/snapshot/locale/global/markets/crypto/tickers/X:{SYM}{VS} — https://massive.com/docs/rest/crypto/snapshots/single-ticker-snapshot
// Quirks (docs/vendors.md#polygon): unlike the stock snapshot, `updated` and `lastTrade.t` are milliseconds here.
// `day.v` is volume in the base coin, not in the quote currency, so volume24h stays null. Unknown pair → 404 NOT_FOUND.
import { z } from 'zod';
import {
  defineCapability,
  type CryptoPrice,
  type CryptoPriceQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { nonZeroOrNull, numberOrNull, numeric } from '../common/numbers.js';
import { msToIso } from '../common/time.js';
import { cryptoTicker } from './symbols.js';

// `status` and `ticker` come on every answer (required in the vendor's spec, link above).
const polygonCryptoSnapshotResponseSchema = z.object({
  status: z.string(),
  ticker: z.object({
    todaysChange: numeric.nullish(),
    todaysChangePerc: numeric.nullish(),
    updated: z.number().nullish(),
    day: z.object({ c: numeric.nullish() }).nullish(),
    lastTrade: z.object({ p: numeric.nullish(), t: z.number().nullish() }).nullish(),
  }),
});
export type PolygonCryptoSnapshotResponse = z.infer<typeof polygonCryptoSnapshotResponseSchema>;

function buildCryptoPriceRequest(query: CryptoPriceQuery): VendorRequest {
  return {
    method: 'GET',
    path: `/v2/snapshot/locale/global/markets/crypto/tickers/${cryptoTicker(query.symbol, query.vs)}`,
  };
}

function normalizeCryptoPrice(raw: PolygonCryptoSnapshotResponse, query: CryptoPriceQuery): CryptoPrice | NotFound {
  const snapshot = raw.ticker;
  const price = nonZeroOrNull(snapshot.lastTrade?.p) ?? nonZeroOrNull(snapshot.day?.c);
  if (price === null) return { notFound: true, detail: 'snapshot has no price' };
  const updatedMs = nonZeroOrNull(snapshot.updated) ?? nonZeroOrNull(snapshot.lastTrade?.t);
  return {
    symbol: query.symbol,
    vs: query.vs,
    price,
    change24h: numberOrNull(snapshot.todaysChange),
    changePercent24h: numberOrNull(snapshot.todaysChangePerc),
    marketCap: null,
    volume24h: null,
    asOf: updatedMs === null ? null : msToIso(updatedMs),
  };
}

export const polygonCryptoPrice = defineCapability({
  capability: 'crypto-price',
  responseSchema: polygonCryptoSnapshotResponseSchema,
  buildRequest: buildCryptoPriceRequest,
  normalize: normalizeCryptoPrice,
});
