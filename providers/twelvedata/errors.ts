import { z } from 'zod';
import { failureFromStatus, kindForStatus, msUntilNextUtc, withDefaultWait } from '../common/errors.js';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';

// Error bodies (https://twelvedata.com/docs#errors, docs/vendors.md#twelvedata): {"code","message","status":"error"},
// often with HTTP 200, so the body's `code` decides before the HTTP status. Only `code` is read: the message is free
// text.
const twelvedataErrorSchema = z.object({ status: z.literal('error'), code: z.number().int().nullish() });

/**
 * API credits refill at the start of every minute (https://support.twelvedata.com/en/articles/5615854-credits) and a
 * 429 carries no Retry-After, so the wait runs to the next minute boundary by the reply's own Date header (no clock
 * here), or a whole minute without one. The daily cap (800 credits on the free plan) answers the same 429; the
 * gateway's perDay limit is what keeps us from reaching it.
 */
const minuteMs = 60_000;

/**
 * twelvedata answers 400 both for an unknown symbol ("symbol or figi parameter is missing or invalid") and for a range
 * without bars ("No data is available on the specified dates"), as well as 404 for data it cannot find. The builders send
 * only documented parameter values (their tests pin them), so a 400 here means "nothing for this symbol or range".
 * 401 bad or missing key, 403 a higher plan needed, 414 too many symbols, 429 out of credits, 500 its own fault.
 */
function kindForCode(code: number): VendorFailureKind {
  if (code === 400) return 'not-found';
  return kindForStatus(code) ?? 'unavailable';
}

export function classifyTwelvedataFailure(reply: VendorReply): VendorFailure | null {
  const parsed = twelvedataErrorSchema.safeParse(reply.body);
  const statusKind = kindForStatus(reply.status);
  if (!parsed.success && statusKind === null) return null;
  const code = parsed.success ? (parsed.data.code ?? undefined) : undefined;
  // An error body without a code inside a 200 is a vendor fault we cannot read more into.
  const kind = code === undefined ? (statusKind ?? 'unavailable') : kindForCode(code);
  const failure = failureFromStatus(reply, code === undefined ? undefined : String(code), kind);
  return withDefaultWait(failure, msUntilNextUtc('minute', reply.headers) ?? minuteMs);
}
