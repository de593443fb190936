import type { VendorFailure, VendorReply } from '../../src/core/index.js';
import { classifyApilayerFailure, type ApilayerWaits } from '../common/apilayer.js';

const waits: ApilayerWaits = {
  /** `rate_limit_reached` is marketstack's hard cap of 5 requests a second (docs/vendors.md#marketstack, "Quota"). */
  rateLimitMs: 1_000,
  /**
   * A spent monthly quota lasts until the account's billing day, which no reply tells us. An hour's rest keeps the
   * router from hammering a dead key while costing nothing (a rejected call is not counted), and picks the vendor up
   * again within the hour of a reset or an upgrade. The engine caps any rest at 24 h anyway.
   */
  usageLimitMs: 3_600_000,
  /** marketstack's own error table names `too_many_requests` (429) as "reached its monthly allowed request volume". */
  usageLimitCodes: ['usage_limit_reached', 'too_many_requests'],
};

/** apilayer's `{"error":{"code"}}` envelope, sometimes with HTTP 200; 422 `no_valid_symbols_provided` is an unknown symbol. */
export function classifyMarketstackFailure(reply: VendorReply): VendorFailure | null {
  return classifyApilayerFailure(reply, waits);
}
