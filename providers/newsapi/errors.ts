import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/contract/index.js';
import { failureFromStatus, kindForStatus } from '../shared/errors.js';

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

function kindOf(status: number, code: string | undefined): VendorFailureKind {
  // 426 is newsapi's "upgrade your plan" status (maximumResultsReached, and dates beyond the plan's history), whatever the code.
  if (status === 426) return 'plan';
  if (code !== undefined && Object.hasOwn(kindByCode, code)) return kindByCode[code] ?? 'unavailable';
  return kindForStatus(status) ?? 'unavailable';
}

export function classifyNewsapiFailure(reply: VendorReply): VendorFailure | null {
  const parsed = newsapiErrorBodySchema.safeParse(reply.body);
  // A 200 whose body says "error" is still a failure.
  if (!parsed.success && reply.status >= 200 && reply.status < 300) return null;
  const code = parsed.success ? (parsed.data.code ?? undefined) : undefined;
  const failure = failureFromStatus(reply, code, kindOf(reply.status, code));
  if (failure?.kind === 'rate-limited' && failure.retryAfterMs === undefined) {
    failure.retryAfterMs = defaultRateLimitWaitMs;
  }
  return failure;
}
