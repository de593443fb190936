import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { failureFromCode } from './errors.js';

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
  /** The codes by which this API says its plan's volume is spent; apilayer's common one is `usage_limit_reached`. */
  usageLimitCodes?: readonly string[];
}

export function classifyApilayerFailure(reply: VendorReply, waits: ApilayerWaits): VendorFailure | null {
  const parsed = apilayerErrorBodySchema.safeParse(reply.body);
  // A code may come as a number; the table is keyed by its text.
  const envelope = parsed.success ? { code: parsed.data.error.code?.toString() } : null;
  const usageLimitCodes = waits.usageLimitCodes ?? ['usage_limit_reached'];
  return failureFromCode(reply, envelope, kindByCode, (code) =>
    code !== undefined && usageLimitCodes.includes(code) ? waits.usageLimitMs : waits.rateLimitMs,
  );
}
