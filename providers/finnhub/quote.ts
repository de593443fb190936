// GET /quote?symbol=AAPL — https://finnhub.io/docs/api/quote
// No volume and no currency in the payload. An unknown symbol is a 200 with c,h,l,o,pc,t = 0 and d,dp = null.
// dp is already in percent. US share classes use the dot form (BRK.B), so the canonical ticker goes through unchanged.
import { z } from 'zod';
import {
  defineCapability,
  type NotFound,
  type StockQuote,
  type StockQuoteQuery,
  type VendorRequest,
} from '../../src/core/index.js';
import { nonZeroOrNull, numberOrNull } from '../common/numbers.js';
import { secondsToIso } from '../common/time.js';

// Every answer carries c, d, dp and t, an unknown symbol's included (zeros, with d and dp null): a body without them is
// a changed payload, never that unknown symbol.
const finnhubQuoteResponseSchema = z.object({
  c: z.number(),
  d: z.number().nullable(),
  dp: z.number().nullable(),
  h: z.number().nullish(),
  l: z.number().nullish(),
  o: z.number().nullish(),
  pc: z.number().nullish(),
  t: z.number(),
});
type FinnhubQuoteResponse = z.infer<typeof finnhubQuoteResponseSchema>;

function buildQuoteRequest(query: StockQuoteQuery): VendorRequest {
  return { method: 'GET', path: '/quote', query: { symbol: query.symbol } };
}

function normalizeQuote(raw: FinnhubQuoteResponse, query: StockQuoteQuery): StockQuote | NotFound {
  if (raw.c === 0) return { notFound: true, detail: 'finnhub answered zeros for the symbol' };
  return {
    symbol: query.symbol,
    price: raw.c,
    change: numberOrNull(raw.d),
    changePercent: numberOrNull(raw.dp),
    // 0 is finnhub's "no value" in these fields; no listed stock trades at 0.
    open: nonZeroOrNull(raw.o),
    high: nonZeroOrNull(raw.h),
    low: nonZeroOrNull(raw.l),
    previousClose: nonZeroOrNull(raw.pc),
    volume: null,
    currency: null,
    asOf: raw.t ? secondsToIso(raw.t) : null,
  };
}

export const finnhubStockQuote = defineCapability({
  capability: 'stock-quote',
  responseSchema: finnhubQuoteResponseSchema,
  buildRequest: buildQuoteRequest,
  normalize: normalizeQuote,
});
