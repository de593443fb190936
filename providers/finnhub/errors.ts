import { failureFromStatus, withDefaultWait } from '../common/errors.js';
import type { VendorFailure, VendorReply } from '../../src/core/index.js';

/**
 * Free keys get 60 calls a minute (plus a 30 calls/s cap on every plan). A 429 does not say which cap was hit, so without
 * an X-Ratelimit-Reset header we assume the per-minute one: waiting less would spend the next minute's calls on 429s.
 */
const defaultRateLimitWaitMs = 60_000;

/**
 * finnhub errors are `{"error":"…"}` with a meaningful status and no error code, so the status alone decides: 401 bad or
 * missing key, 403 premium endpoint or non-US symbol ("no access to this resource"), 429 quota, 5xx outage.
 * An unknown symbol is not an error here: it is a 200 with zeros, caught by the normalizers.
 */
export function classifyFinnhubFailure(reply: VendorReply): VendorFailure | null {
  return withDefaultWait(failureFromStatus(reply), defaultRateLimitWaitMs);
}
