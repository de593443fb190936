import type { SimulatorReply } from './simulator.js';

/** apilayer's error envelope, which marketstack and mediastack share: `{"error":{"code","message","context"?}}`. */
export function apilayerError(status: number, code: string, message: string, context?: unknown): SimulatorReply {
  return { status, body: { error: { code, message, ...(context === undefined ? {} : { context }) } } };
}

/** The answers every apilayer API gives alike; its 429 carries no reset hint. */
export const apilayerMissingKey = apilayerError(
  401,
  'missing_access_key',
  'You have not supplied an API Access Key. [Required format: access_key=YOUR_ACCESS_KEY]',
);
export const apilayerInternalError = apilayerError(500, 'internal_error', 'An internal error occurred.');
export const apilayerRateLimited = apilayerError(
  429,
  'rate_limit_reached',
  'You have exceeded the maximum rate limitation allowed on your subscription plan.',
);
