import type { VendorFailure, VendorReply } from '../../src/core/index.js';
import { failureFromStatus, kindForStatus, withDefaultWait } from '../common/errors.js';

// A 429 without a reset hint is most often the per-second or concurrency cap, which clears within a second.
const defaultRateLimitWaitMs = 1_000;

/**
 * coinapi errors are `{"error":"…"}` with a meaningful status and no code (docs/vendors.md#coinapi), so the status
 * alone decides: 400 bad request, 401 bad or missing key, 403 endpoint not in the plan or credits used up, 429 rate
 * limit, and its own **550 "no data"** for a pair it does not know, which is a not-found rather than an outage.
 * Its X-RateLimit-Reset is an ISO instant, which the shared reset reading understands.
 */
export function classifyCoinapiFailure(reply: VendorReply): VendorFailure | null {
  const kind = reply.status === 550 ? 'not-found' : kindForStatus(reply.status);
  return withDefaultWait(failureFromStatus(reply, undefined, kind), defaultRateLimitWaitMs);
}
