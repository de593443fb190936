import type { VendorFailure, VendorReply } from '../../src/contract/index.js';
import { failureFromStatus, kindForStatus, retryAfterMs } from '../shared/errors.js';
import { toUtcIso } from '../shared/time.js';

// A 429 without a reset hint is most often the per-second or concurrency cap, which clears within a second.
const defaultRateLimitWaitMs = 1_000;

/**
 * coinapi errors are `{"error":"…"}` with a meaningful status and no code (VENDORS.md coinapi "Errors"), so the status
 * alone decides: 400 bad request, 401 bad or missing key, 403 endpoint not in the plan or credits used up, 429 rate
 * limit, and its own **550 "no data"** for a pair it does not know, which is a not-found rather than an outage.
 */
export function classifyCoinapiFailure(reply: VendorReply): VendorFailure | null {
  const kind = reply.status === 550 ? 'not-found' : kindForStatus(reply.status);
  const failure = failureFromStatus(reply, undefined, kind);
  if (failure?.kind === 'rate-limited' && failure.retryAfterMs === undefined) {
    failure.retryAfterMs = isoResetWaitMs(reply.headers) ?? defaultRateLimitWaitMs;
  }
  return failure;
}

// coinapi's X-RateLimit-Reset is an ISO instant with 7 fractional digits ('2026-01-31T09:30:00.1234567Z'), not the
// Unix seconds the shared helper reads. Handed over as a Retry-After date, it is measured against the same clock.
function isoResetWaitMs(headers: VendorReply['headers']): number | undefined {
  const reset = headers['x-ratelimit-reset'];
  const resetIso = reset === undefined ? null : toUtcIso(reset);
  return resetIso === null ? undefined : retryAfterMs({ 'retry-after': resetIso });
}
