// GET /forex/rates?base=EUR — https://finnhub.io/docs/api/forex-rates
// One base against every quote currency, `{base, quote:{USD:1.08,…}}`, with no timestamp (asOf null).
import { z } from 'zod';
import {
  defineCapability,
  type ForexRate,
  type ForexRateQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';

// Both keys come on every answer; a base finnhub does not quote gets an empty `quote`, not a missing one.
const finnhubForexRatesResponseSchema = z.object({
  base: z.string(),
  quote: z.record(z.string(), z.number().nullable()),
});
type FinnhubForexRatesResponse = z.infer<typeof finnhubForexRatesResponseSchema>;

function buildForexRequest(query: ForexRateQuery): VendorRequest {
  return { method: 'GET', path: '/forex/rates', query: { base: query.base } };
}

function normalizeForex(raw: FinnhubForexRatesResponse, query: ForexRateQuery): ForexRate | NotFound {
  const rate = Object.hasOwn(raw.quote, query.quote) ? raw.quote[query.quote] : undefined;
  if (rate === undefined || rate === null || rate <= 0) {
    return { notFound: true, detail: `finnhub has no ${query.base}/${query.quote} rate` };
  }
  return { base: query.base, quote: query.quote, rate, asOf: null };
}

export const finnhubForexRate = defineCapability({
  capability: 'forex-rate',
  responseSchema: finnhubForexRatesResponseSchema,
  buildRequest: buildForexRequest,
  normalize: normalizeForex,
});
