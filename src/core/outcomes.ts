import { z } from 'zod';
import { vendorFailureKinds } from './index.js';

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

/** Outcomes that mean the vendor is unwell; they count against its breaker. A 404 or a bad key does not. */
export function countsAgainstVendor(outcome: AttemptOutcome): boolean {
  return outcome === 'timeout' || outcome === 'network' || outcome === 'malformed' || outcome === 'unavailable';
}
