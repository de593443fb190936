import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { failureFromCode, msUntilNextUtc } from '../common/errors.js';

// {"error":{"code","message"}} — https://www.marketaux.com/documentation (Errors)
const marketauxErrorBodySchema = z.object({ error: z.object({ code: z.string().nullish() }) });

const kindByCode: Readonly<Record<string, VendorFailureKind>> = {
  malformed_parameters: 'bad-request',
  invalid_api_token: 'auth',
  usage_limit_reached: 'rate-limited',
  endpoint_access_restricted: 'plan',
  resource_not_found: 'not-found',
  // A route that does not exist is a wrong base URL on our side, not an unknown symbol.
  invalid_api_endpoint: 'unavailable',
  rate_limit_reached: 'rate-limited',
  server_error: 'unavailable',
  maintenance_mode: 'unavailable',
};

/** rate_limit_reached counts "requests in the past 60 seconds"; marketaux sends no reset header with it. */
const rateLimitWaitMs = 60_000;
/** usage_limit_reached without a Date header to count from: an hour, then the next call finds out. */
const usageLimitFallbackMs = 3_600_000;

/**
 * The rest after a rate limit that carried no reset hint. usage_limit_reached (HTTP 402) is the plan's daily quota
 * (100 requests on the free plan), counted per UTC day ([unverified]: the docs say only "all dates are in UTC"): the
 * wait runs to the next 00:00 UTC, measured from the reply's own Date header so the classifier needs no clock.
 */
function waitFor(reply: VendorReply, code: string | undefined): number {
  if (code !== 'usage_limit_reached') return rateLimitWaitMs;
  return msUntilNextUtc('day', reply.headers) ?? usageLimitFallbackMs;
}

export function classifyMarketauxFailure(reply: VendorReply): VendorFailure | null {
  const parsed = marketauxErrorBodySchema.safeParse(reply.body);
  return failureFromCode(reply, parsed.success ? parsed.data.error : null, kindByCode, (code) => waitFor(reply, code));
}
