import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { BreakerConfig } from '../config/schema.js';

export const breakerStates = ['closed', 'open', 'half-open'] as const;
export type BreakerState = (typeof breakerStates)[number];

// One bucket-rotation timer per bucket length, shared by every breaker using it (docs/libraries.md#bucket-rotation-and-rollingpercentiles).
const rotations = new Map<number, EventEmitter>();
function rotationFor(bucketMs: number): EventEmitter {
  let rotation = rotations.get(bucketMs);
  if (!rotation) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    setInterval(() => emitter.emit('rotate'), bucketMs).unref();
    rotations.set(bucketMs, emitter);
    rotation = emitter;
  }
  return rotation;
}

export type VendorBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/**
 * One opossum breaker per vendor; it runs whatever call it is given. It opens on the failure percentage; a run of
 * gateway failures opens it sooner (routing/attempt.ts, breaker.consecutiveFailures). Its timeout is only a backstop: the real deadline
 * is each call's own AbortSignal, because opossum's shared abortController poisons later calls (docs/libraries.md#shared-abortcontroller).
 */
export function createVendorBreaker(
  vendor: string,
  config: Omit<BreakerConfig, 'consecutiveFailures'>,
  backstopTimeoutMs: number,
  /** A breaker this one replaces (a reload changed its settings): its state carries over, so an open one stays open. */
  replacing?: VendorBreaker,
): VendorBreaker {
  const buckets = 10;
  const bucketMs = Math.max(100, Math.round(config.rollingWindowMs / buckets));
  return new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: vendor,
    timeout: backstopTimeoutMs,
    volumeThreshold: config.volumeThreshold,
    errorThresholdPercentage: config.errorThresholdPercentage,
    rollingCountTimeout: bucketMs * buckets,
    rollingCountBuckets: buckets,
    rotateBucketController: rotationFor(bucketMs),
    resetTimeout: config.resetTimeoutMs,
    // Percentiles sort every latency in the window on each failure: quadratic CPU during an outage (docs/libraries.md#bucket-rotation-and-rollingpercentiles).
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    ...(replacing ? { state: replacing.toJSON().state } : {}),
  });
}

/** How a call through the breaker ended, as a value. */
export type BreakerRun<T> =
  { status: 'done'; value: T } | { status: 'rejected' } | { status: 'timed-out' } | { status: 'threw'; error: unknown };

/** Carries a counted result through opossum, which counts a call as failed only when it rejects. */
class CountedResult<T> extends Error {
  constructor(readonly value: T) {
    super('counted against the vendor');
  }
}

/**
 * Runs `call` through the vendor's breaker and returns how it ended, never throwing.
 *
 * What counts against the vendor (towards opening the breaker, or re-opening a half-open one): a result for which
 * `countsAgainst` is true (the engine's rule: timeouts, network errors, schema failures, 5xx — see
 * core/outcomes.ts), opossum's backstop timeout, and any exception the call throws, because an adapter or
 * transport bug is this vendor's path failing and must never close a half-open breaker as if the probe succeeded.
 * Everything else (an answer, a 404, a bad key, a 429) counts as a success: the vendor is up and answering.
 */
export async function runThroughBreaker<T>(
  breaker: VendorBreaker,
  call: () => Promise<T>,
  countsAgainst: (value: T) => boolean,
): Promise<BreakerRun<T>> {
  try {
    const value = await breaker.fire(async () => {
      const result = await call();
      if (countsAgainst(result)) throw new CountedResult(result);
      return result;
    });
    return { status: 'done', value: value as T };
  } catch (error) {
    if (error instanceof CountedResult) return { status: 'done', value: error.value as T };
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EOPENBREAKER') return { status: 'rejected' };
    if (code === 'ETIMEDOUT') return { status: 'timed-out' };
    return { status: 'threw', error };
  }
}

export function breakerState(breaker: VendorBreaker): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half-open';
  return 'closed';
}
