import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { failureFromStatus, msUntilNextUtc, replyDateMs, retryAfterMs, withDefaultWait } from '../common/errors.js';

/**
 * cryptocompare's legacy API answers most errors with HTTP 200 and the envelope (docs/vendors.md#cryptocompare)
 * `{"Response":"Error","Message","HasWarning","Type","RateLimit":{…},"Data":{},"ParamWithError"?}` (the rate-limit
 * body is in CryptoCompareLTD/api-guides). `Type` 99 is the rate limit,
 * whatever the status. Other types say little by themselves (2 covers both "fsym is a required param" and "market does
 * not exist for this coin pair"), so `ParamWithError` names the culprit when there is one. Since the keyless tier ended
 * (May 2026) a missing or wrong key is a real HTTP 401 with the newer `{"Data":{},"Err":{"type",…}}` envelope, read
 * by its status like any other non-2xx.
 */
const cryptocompareErrorBodySchema = z.object({
  Response: z.string().nullish(),
  Type: z.number().nullish(),
  ParamWithError: z.string().nullish(),
});

// Parsed apart from the envelope, so an odd RateLimit object cannot hide a Type 99.
const cryptocompareRateLimitBodySchema = z.object({
  RateLimit: z.object({
    calls_made: z.record(z.string(), z.unknown()),
    max_calls: z.record(z.string(), z.unknown()),
  }),
});

const rateLimitType = 99;

/** The pair's own parameters: an error on them means this coin or currency has no market (our builders always send them). */
const pairParameters = new Set(['fsym', 'fsyms', 'tsym', 'tsyms']);

export function classifyCryptocompareFailure(reply: VendorReply): VendorFailure | null {
  const parsed = cryptocompareErrorBodySchema.safeParse(reply.body);
  const body = parsed.success ? parsed.data : undefined;
  if (body?.Type === rateLimitType) return rateLimited(reply);
  if (reply.status < 200 || reply.status >= 300) {
    return withDefaultWait(failureFromStatus(reply), defaultRateLimitWaitMs);
  }
  if (body?.Response !== 'Error') return null;
  const type = body.Type ?? 0;
  const param = body.ParamWithError ?? undefined;
  return failureFromStatus(reply, param ? `${type}:${param}` : String(type), kindOf(type, param));
}

function kindOf(type: number, param: string | undefined): VendorFailureKind {
  // histominute refuses a `toTs` older than the plan's minute history with ParamWithError "toTs".
  if (param === 'toTs') return 'plan';
  if (param !== undefined) return pairParameters.has(param) ? 'not-found' : 'bad-request';
  // Without a parameter, type 2 (and 1 in older answers) is "cccagg_or_exchange market does not exist for this coin pair".
  return type === 1 || type === 2 ? 'not-found' : 'bad-request';
}

// No reset header is sent. The body's RateLimit says which windows are spent (calls_made ≥ max_calls); we wait for the
// longest one to roll over, measured from the reply's Date header so no clock is read here, or a whole window without it.
// The windows look like calendar buckets (second, minute, hour, UTC day, month). A minute is the default wait.
const defaultRateLimitWaitMs = 60_000;

const windows = [
  { name: 'month', ms: 30 * 86_400_000 },
  { name: 'day', ms: 86_400_000 },
  { name: 'hour', ms: 3_600_000 },
  { name: 'minute', ms: 60_000 },
  { name: 'second', ms: 1_000 },
] as const;

function rateLimited(reply: VendorReply): VendorFailure {
  return {
    kind: 'rate-limited',
    vendorCode: String(rateLimitType),
    retryAfterMs:
      retryAfterMs(reply.headers, replyDateMs(reply.headers)) ?? waitForSpentWindow(reply) ?? defaultRateLimitWaitMs,
    detail: `HTTP ${reply.status} ${rateLimitType}`,
  };
}

function waitForSpentWindow(reply: VendorReply): number | undefined {
  const parsed = cryptocompareRateLimitBodySchema.safeParse(reply.body);
  if (!parsed.success) return undefined;
  const { calls_made: made, max_calls: max } = parsed.data.RateLimit;
  const spent = windows.find(({ name }) => {
    const calls = made[name];
    const cap = max[name];
    return typeof calls === 'number' && typeof cap === 'number' && calls >= cap;
  });
  return spent === undefined ? undefined : (msUntilNextUtc(spent.name, reply.headers) ?? spent.ms);
}
