import { setTimeout as sleep } from 'node:timers/promises';
import type { RoutingConfig } from '../config/schema.js';

/**
 * Network errors worth one more try at the same vendor: a keep-alive connection the vendor (or a proxy) closed under
 * us. A refused connection or a timeout is not a blip; the next vendor is the better bet.
 */
const blipCodes = new Set(['ECONNRESET', 'EPIPE']);

export function isNetworkBlip(outcome: { outcome: string; detail?: string }): boolean {
  return outcome.outcome === 'network' && outcome.detail !== undefined && blipCodes.has(outcome.detail);
}

/** Jittered backoff: the base delay scaled by 0.5–1.5, so retries from many requests do not arrive together. */
export function backoffMs(baseDelayMs: number, random: () => number = Math.random): number {
  return Math.round(baseDelayMs * (0.5 + random()));
}

/**
 * Runs `call`, and again (up to `retry.attempts` more times, after a jittered backoff) while it ends in a network blip,
 * `signal` still has time and `mayCallAgain` allows one more call (the vendor's quota). Every call the vendor gets is
 * idempotent here: the gateway only sends GETs.
 */
export async function withRetry<T extends { outcome: string; detail?: string }>(
  call: () => Promise<T>,
  retry: RoutingConfig['retry'],
  signal: AbortSignal,
  mayCallAgain: () => boolean = () => true,
): Promise<T> {
  let result = await call();
  for (let retried = 0; retried < retry.attempts && isNetworkBlip(result) && !signal.aborted; retried += 1) {
    try {
      await sleep(backoffMs(retry.baseDelayMs), undefined, { signal });
    } catch {
      return result;
    }
    if (signal.aborted || !mayCallAgain()) return result;
    result = await call();
  }
  return result;
}
