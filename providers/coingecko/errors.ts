import { z } from 'zod';
import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { failureFromStatus, kindForStatus, withDefaultWait } from '../common/errors.js';

// Error bodies come in three shapes (docs/vendors.md#coingecko, "Errors"): {"status":{"error_code"}},
// {"error":{"status":{"error_code"}}} and {"error":"coin not found"}. Only the first two carry a code; the third is
// read by its HTTP status (404 → not-found).
const errorCodeSchema = z.union([z.number(), z.string()]);
const coingeckoErrorBodySchema = z.union([
  z.object({ status: z.object({ error_code: errorCodeSchema }) }),
  z.object({ error: z.object({ status: z.object({ error_code: errorCodeSchema }) }) }),
]);

const kindByCode: Readonly<Record<string, VendorFailureKind>> = {
  '10002': 'auth',
  // A Pro key on the public host (10010) or a Demo key on the Pro host (10011): the key is wrong for this base URL.
  '10010': 'auth',
  '10011': 'auth',
  '10005': 'plan',
  '429': 'rate-limited',
};

// The Demo quota is counted per minute and the 429 carries no documented reset hint, so a full minute is the safe wait.
const defaultRateLimitWaitMs = 60_000;

export function classifyCoingeckoFailure(reply: VendorReply): VendorFailure | null {
  const code = errorCodeOf(reply.body);
  const kind =
    (code !== undefined && Object.hasOwn(kindByCode, code) ? kindByCode[code] : undefined) ?? kindOf(reply.status);
  return withDefaultWait(failureFromStatus(reply, code, kind), defaultRateLimitWaitMs);
}

function errorCodeOf(body: unknown): string | undefined {
  const parsed = coingeckoErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const status = 'status' in parsed.data ? parsed.data.status : parsed.data.error.status;
  return String(status.error_code);
}

// coingecko's 403 is its CDN blocking the caller (docs: "access blocked by the server", 1020), not a plan limit.
function kindOf(status: number): VendorFailureKind | null {
  return status === 403 ? 'unavailable' : kindForStatus(status);
}
