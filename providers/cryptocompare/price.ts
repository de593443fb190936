// GET /data/pricemultifull?fsyms=BTC&tsyms=USD — https://min-api.cryptocompare.com/documentation?key=Price&cat=multipleSymbolsFullPriceEndpoint
// The answer is `RAW.<FSYM>.<TSYM>` with numbers (and `DISPLAY`, the same as formatted strings, which we ignore).
// CHANGEPCT24HOUR is already percent; VOLUME24HOURTO is the pair's 24 h volume in the quote currency; LASTUPDATE is Unix
// seconds. MKTCAP is 0 for coins whose supply cryptocompare does not know. An unknown coin is not an empty RAW but an
// HTTP 200 error envelope (docs/vendors.md#cryptocompare, "Errors"), caught by classifyCryptocompareFailure.
import { z } from 'zod';
import {
  defineCapability,
  type CryptoPrice,
  type CryptoPriceQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { nonZeroOrNull, numberOrNull } from '../common/numbers.js';
import { secondsToIso } from '../common/time.js';

// `RAW` comes on every answer (an unknown pair is the error envelope instead), and every quote in it has a PRICE: a
// quote without one is a changed payload, not a pair without a price.
const cryptocompareRawQuoteSchema = z.object({
  PRICE: z.number(),
  CHANGE24HOUR: z.number().nullish(),
  CHANGEPCT24HOUR: z.number().nullish(),
  MKTCAP: z.number().nullish(),
  VOLUME24HOURTO: z.number().nullish(),
  LASTUPDATE: z.number().nullish(),
});

const cryptocomparePriceResponseSchema = z.object({
  RAW: z.record(z.string(), z.record(z.string(), cryptocompareRawQuoteSchema)),
});
export type CryptocomparePriceResponse = z.infer<typeof cryptocomparePriceResponseSchema>;

function buildPriceRequest(query: CryptoPriceQuery): VendorRequest {
  return {
    method: 'GET',
    path: '/data/pricemultifull',
    query: { fsyms: query.symbol.toUpperCase(), tsyms: query.vs.toUpperCase() },
  };
}

function normalizePrice(raw: CryptocomparePriceResponse, query: CryptoPriceQuery): CryptoPrice | NotFound {
  const fsym = query.symbol.toUpperCase();
  const tsym = query.vs.toUpperCase();
  const pairs = Object.hasOwn(raw.RAW, fsym) ? raw.RAW[fsym] : undefined;
  const quote = pairs !== undefined && Object.hasOwn(pairs, tsym) ? pairs[tsym] : undefined;
  const price = nonZeroOrNull(quote?.PRICE);
  if (quote === undefined || price === null) return { notFound: true, detail: `no ${fsym}-${tsym} price` };
  const lastUpdate = nonZeroOrNull(quote.LASTUPDATE);
  return {
    symbol: query.symbol,
    vs: tsym,
    price,
    change24h: numberOrNull(quote.CHANGE24HOUR),
    changePercent24h: numberOrNull(quote.CHANGEPCT24HOUR),
    marketCap: nonZeroOrNull(quote.MKTCAP),
    volume24h: numberOrNull(quote.VOLUME24HOURTO),
    asOf: lastUpdate === null ? null : secondsToIso(lastUpdate),
  };
}

export const cryptocompareCryptoPrice = defineCapability({
  capability: 'crypto-price',
  responseSchema: cryptocomparePriceResponseSchema,
  buildRequest: buildPriceRequest,
  normalize: normalizePrice,
});
