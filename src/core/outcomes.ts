import { z } from 'zod';
import { vendorFailureKinds } from './adapter.js';

/** Every way one try can end; also the `outcome` label in logs and metrics. */
export const attemptOutcomes = [
  'ok',
  ...vendorFailureKinds,
  'unsupported',
  'malformed',
  'timeout',
  'network',
  'aborted',
  'breaker-open',
  'cooling-down',
  'quota-skip',
  'budget-skip',
] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

export const attemptRecordSchema = z
  .object({
    provider: z.string(),
    outcome: z.enum(attemptOutcomes),
    ms: z.number().describe('Time spent on this try, queueing included; 0 for vendors skipped without a call.'),
    detail: z
      .string()
      .optional()
      .describe('Why it failed, in our words or the vendor error code; never a vendor message.'),
  })
  .meta({ id: 'Attempt' });
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** Outcomes of an attempt passed over without a call: its breaker, quota, spend cap or cooldown, or unservable. */
export const skippedOutcomes: ReadonlySet<AttemptOutcome> = new Set([
  'breaker-open',
  'quota-skip',
  'budget-skip',
  'cooling-down',
  'unsupported',
]);

/**
 * Outcomes of an attempt that reached the vendor. The others count as no call in the vendor's statistics (call
 * counts, latency, error rate).
 */
export function reachedVendor(outcome: AttemptOutcome): boolean {
  return !skippedOutcomes.has(outcome);
}

/** Outcomes that mean the vendor is unwell; they count against its breaker. A 404 or a bad key does not. */
export function countsAgainstVendor(outcome: AttemptOutcome): boolean {
  return outcome === 'timeout' || outcome === 'network' || outcome === 'malformed' || outcome === 'unavailable';
}

/**
 * A hang, a refused connection or a 5xx: the vendor's front door is failing. A run of these ejects the vendor at once
 * (breaker.consecutiveFailures), as Envoy's consecutive_gateway_failure does; a malformed answer is left to the
 * percentage breaker, since the vendor is up and answering.
 */
export function isGatewayFailure(outcome: AttemptOutcome): boolean {
  return outcome === 'timeout' || outcome === 'network' || outcome === 'unavailable';
}

/** How the cache answered a request: `meta.cache`, the X-Cache header and the cache metric's label. */
export const cacheStatuses = ['hit', 'miss', 'stale', 'coalesced'] as const;
export type CacheStatus = (typeof cacheStatuses)[number];

/** down: the vendor's breaker is open. degraded: it answers but something is wrong (said in `reasons`). */
export const vendorHealthStatuses = ['healthy', 'degraded', 'down'] as const;
export type VendorHealthStatus = (typeof vendorHealthStatuses)[number];
