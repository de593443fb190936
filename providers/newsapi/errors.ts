import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { failureFromCode, failureFromStatus } from '../common/errors.js';

// {"status":"error","code","message"} — https://newsapi.org/docs/errors
const newsapiErrorBodySchema = z.object({ status: z.literal('error'), code: z.string().nullish() });

const kindByCode: Readonly<Record<string, VendorFailureKind>> = {
  apiKeyMissing: 'auth',
  apiKeyInvalid: 'auth',
  apiKeyDisabled: 'auth',
  apiKeyExhausted: 'rate-limited',
  rateLimited: 'rate-limited',
  parameterInvalid: 'bad-request',
  parametersMissing: 'bad-request',
  sourcesTooMany: 'bad-request',
  sourceDoesNotExist: 'bad-request',
  maximumResultsReached: 'plan',
  unexpectedError: 'unavailable',
};

/**
 * newsapi sends no reset hint, and the developer plan is a rolling 100 requests per 24 h (50 per 12 h). Without a
 * Retry-After the vendor cools down for an hour: retrying sooner only burns what is left of the window, and an hour is
 * short enough to notice when the window frees requests again.
 */
const defaultRateLimitWaitMs = 3_600_000;

export function classifyNewsapiFailure(reply: VendorReply): VendorFailure | null {
  const parsed = newsapiErrorBodySchema.safeParse(reply.body);
  const envelope = parsed.success ? parsed.data : null;
  // 426 is newsapi's "upgrade your plan" status (maximumResultsReached, and dates beyond the plan's history), whatever the code.
  if (reply.status === 426) return failureFromStatus(reply, envelope?.code ?? undefined, 'plan');
  // A 200 whose body says "error" is still a failure.
  return failureFromCode(reply, envelope, kindByCode, () => defaultRateLimitWaitMs);
}
