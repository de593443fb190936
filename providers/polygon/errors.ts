import { z } from 'zod';
import { failureFromStatus, kindForStatus, withDefaultWait } from '../common/errors.js';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';

// Error bodies (docs/vendors.md#polygon, "Errors"): {"status":"ERROR","request_id","error"} for 401 and 429;
// {"status":"NOT_AUTHORIZED","request_id","message"} (403) for a plan restriction; {"status":"NOT_FOUND",…} (404).
// Only `status` is read: the message is free text and may echo the request.
const polygonStatusSchema = z.object({ status: z.string().regex(/^[A-Z_]{1,32}$/) });

/**
 * polygon sends no Retry-After or reset header on 429 (unverified). The free plan allows 5 calls per
 * minute, so a full minute is the wait that certainly clears its window.
 */
const defaultRateLimitWaitMs = 60_000;

const kindForCode: Readonly<Record<string, VendorFailureKind>> = {
  NOT_AUTHORIZED: 'plan',
  NOT_FOUND: 'not-found',
};

export function classifyPolygonFailure(reply: VendorReply): VendorFailure | null {
  const parsed = polygonStatusSchema.safeParse(reply.body);
  const code = parsed.success ? parsed.data.status : undefined;
  const isErrorCode = code === 'ERROR' || (code !== undefined && Object.hasOwn(kindForCode, code));
  const statusKind = kindForStatus(reply.status);
  if (statusKind === null && !isErrorCode) return null;

  // A coded body decides the kind; "ERROR" follows the HTTP status (401 auth, 429 rate-limited, 5xx unavailable),
  // and an "ERROR" inside a 200 is a vendor fault we cannot read more into.
  const kind = (code !== undefined && kindForCode[code]) || statusKind || 'unavailable';
  return withDefaultWait(failureFromStatus(reply, isErrorCode ? code : undefined, kind), defaultRateLimitWaitMs);
}
