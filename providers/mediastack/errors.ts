import type { VendorFailure, VendorReply } from '../../src/core/index.js';
import { classifyApilayerFailure } from '../common/apilayer.js';

/**
 * mediastack sends no reset hint. apilayer documents no window for `rate_limit_reached`, so a minute: short, and it
 * spends none of the 100 monthly calls on retries that would fail anyway. `usage_limit_reached` means the monthly
 * volume is gone until the plan's renewal day, which the reply does not say: rest a day (the engine's cooldown cap),
 * so the vendor is tried again once a day instead of failing on every request until the month turns.
 */
const waits = { rateLimitMs: 60_000, usageLimitMs: 86_400_000 };

// {"error":{"code","message","context"?}} — https://mediastack.com/documentation (API Errors)
export function classifyMediastackFailure(reply: VendorReply): VendorFailure | null {
  return classifyApilayerFailure(reply, waits);
}
