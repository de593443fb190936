import { z } from 'zod';
import type { VendorFailure, VendorReply } from '../../src/core/index.js';
import { failureFromStatus, msUntilNextUtc, retryAfterMs, withDefaultWait } from '../common/errors.js';

/**
 * gnews errors carry no codes, only messages: `{"errors":["…"]}`, or per parameter `{"errors":{"q":"…"}}`
 * (https://docs.gnews.io/error-handling). So the status decides, and a parameter-level 400 names the parameter.
 */
const gnewsErrorBodySchema = z.object({ errors: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]) });

/** 429 means "too fast" against the free plan's 1 request a second; a second is the shortest useful wait. */
const tooFastWaitMs = 1_000;

/**
 * 403 means the daily quota is used; it resets at 00:00 UTC. The classifier has no clock, so "now" is the reply's
 * Date header. Without one, rest an hour: long enough not to burn requests, short enough to notice the reset.
 */
const quotaWaitWithoutDateMs = 3_600_000;

/** The parameter gnews rejected, when its 400 names one; only a plain identifier, never the vendor's message. */
function rejectedParameter(body: unknown): string | undefined {
  const parsed = gnewsErrorBodySchema.safeParse(body);
  if (!parsed.success || Array.isArray(parsed.data.errors)) return undefined;
  return Object.keys(parsed.data.errors).find((name) => /^[a-z_]{1,20}$/.test(name));
}

export function classifyGnewsFailure(reply: VendorReply): VendorFailure | null {
  if (reply.status === 403) {
    const wait = retryAfterMs(reply.headers) ?? msUntilNextUtc('day', reply.headers) ?? quotaWaitWithoutDateMs;
    return { kind: 'rate-limited', retryAfterMs: wait, detail: 'HTTP 403 daily quota used' };
  }
  const failure = withDefaultWait(failureFromStatus(reply), tooFastWaitMs);
  if (failure?.kind === 'bad-request') {
    const parameter = rejectedParameter(reply.body);
    if (parameter !== undefined) failure.detail = `HTTP ${reply.status} invalid ${parameter}`;
  }
  return failure;
}
