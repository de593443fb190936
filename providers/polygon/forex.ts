// GET /v1/conversion/{FROM}/{TO}?amount=1000&precision=4 — https://massive.com/docs/rest/forex/currency-conversion
// Quirk (docs/vendors.md#polygon): `converted` is rounded to 2 decimals unless `precision` is sent, and the spec
// allows at most 4 (enum 0–4). 4 decimals leave JPY→USD (0.0067) with two significant digits, so we convert 1000 units
// at precision 4 and divide: 7 decimals of rate. Only `last.timestamp` (ms) is read from the quote.
import { z } from 'zod';
import {
  defineCapability,
  type ForexRate,
  type ForexRateQuery,
  type NotFound,
  type VendorRequest,
} from '../../src/core/index.js';
import { nonZeroOrNull, numeric } from '../common/numbers.js';
import { msToIso } from '../common/time.js';

// `status` and `converted` come on every answer (required in the vendor's spec, link above).
const polygonConversionResponseSchema = z.object({
  status: z.string(),
  converted: numeric,
  last: z.object({ timestamp: z.number().nullish() }).nullish(),
});
export type PolygonConversionResponse = z.infer<typeof polygonConversionResponseSchema>;

const conversionAmount = 1_000;

function buildForexRateRequest(query: ForexRateQuery): VendorRequest {
  return {
    method: 'GET',
    path: `/v1/conversion/${encodeURIComponent(query.base.toUpperCase())}/${encodeURIComponent(query.quote.toUpperCase())}`,
    query: { amount: conversionAmount, precision: 4 },
  };
}

function normalizeForexRate(raw: PolygonConversionResponse, query: ForexRateQuery): ForexRate | NotFound {
  if (raw.converted <= 0) return { notFound: true, detail: 'conversion gave no rate' };
  const timestampMs = nonZeroOrNull(raw.last?.timestamp);
  return {
    base: query.base,
    quote: query.quote,
    // toFixed(7) drops the binary noise of the division (1084.2123 / 1000 → 1.0842123, not 1.0842123000000001).
    rate: Number((raw.converted / conversionAmount).toFixed(7)),
    asOf: timestampMs === null ? null : msToIso(timestampMs),
  };
}

export const polygonForexRate = defineCapability({
  capability: 'forex-rate',
  responseSchema: polygonConversionResponseSchema,
  buildRequest: buildForexRateRequest,
  normalize: normalizeForexRate,
});
