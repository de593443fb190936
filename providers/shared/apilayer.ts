import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/contract/index.js';
import { failureFromStatus, kindForStatus } from './errors.js';

/**
 * apilayer's APIs (marketstack, mediastack) share one error envelope, `{"error":{"code","message","context"?}}`, and
 * one code list. Some of them send it with HTTP 200, so the body decides, not only the status.
 * https://marketstack.com/documentation_v2 (Error Codes), https://mediastack.com/documentation (Error Codes)
 */
const apilayerErrorBodySchema = z.object({ error: z.object({ code: z.union([z.string(), z.number()]).nullish() }) });

const kindByCode: Readonly<Record<string, VendorFailureKind>> = {
  missing_access_key: 'auth',
  invalid_access_key: 'auth',
  inactive_user: 'auth',
  https_access_restricted: 'plan',
  function_access_restricted: 'plan',
  invalid_api_function: 'bad-request',
  validation_error: 'bad-request',
  no_valid_symbols_provided: 'not-found',
  rate_limit_reached: 'rate-limited',
  too_many_requests: 'rate-limited',
  usage_limit_reached: 'rate-limited',
  internal_error: 'unavailable',
};

/** How long to rest a vendor that sent no Retry-After: `rate_limit_reached` is per second, usage limits per month. */
export interface ApilayerWaits {
  rateLimitMs: number;
  usageLimitMs: number;
}

export function classifyApilayerFailure(reply: VendorReply, waits: ApilayerWaits): VendorFailure | null {
  const parsed = apilayerErrorBodySchema.safeParse(reply.body);
  if (!parsed.success && reply.status >= 200 && reply.status < 300) return null;
  const rawCode = parsed.success ? parsed.data.error.code : undefined;
  const code = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
  const kind =
    (code !== undefined && Object.hasOwn(kindByCode, code) ? kindByCode[code] : undefined) ??
    kindForStatus(reply.status) ??
    'unavailable';
  const failure = failureFromStatus(reply, code, kind);
  if (failure?.kind === 'rate-limited' && failure.retryAfterMs === undefined) {
    failure.retryAfterMs = code === 'usage_limit_reached' ? waits.usageLimitMs : waits.rateLimitMs;
  }
  return failure;
}
