// GET /exchange_rate?symbol=EUR/USD — https://twelvedata.com/docs#exchange-rate
// Answers {symbol, rate, timestamp}: unlike /quote, `rate` is a JSON number; `timestamp` is Unix seconds. One credit.
// An unknown pair is an error body (see errors.ts).
import { z } from 'zod';
import {
  defineCapability,
  type ForexRate,
  type ForexRateQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { numeric } from '../common/numbers.js';
import { secondsToIso } from '../common/time.js';

const twelvedataExchangeRateResponseSchema = z.object({
  rate: numeric,
  timestamp: z.number().nullish(),
});
type TwelvedataExchangeRateResponse = z.infer<typeof twelvedataExchangeRateResponseSchema>;

function buildForexRequest(query: ForexRateQuery): VendorRequest {
  return {
    method: 'GET',
    path: '/exchange_rate',
    query: { symbol: `${query.base.toUpperCase()}/${query.quote.toUpperCase()}` },
  };
}

function normalizeForex(raw: TwelvedataExchangeRateResponse, query: ForexRateQuery): ForexRate | NotFound {
  if (raw.rate <= 0) return { notFound: true, detail: `twelvedata has no ${query.base}/${query.quote} rate` };
  return {
    base: query.base,
    quote: query.quote,
    rate: raw.rate,
    asOf: raw.timestamp ? secondsToIso(raw.timestamp) : null,
  };
}

export const twelvedataForexRate = defineCapability({
  capability: 'forex-rate',
  responseSchema: twelvedataExchangeRateResponseSchema,
  buildRequest: buildForexRequest,
  normalize: normalizeForex,
});
