import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { BreakerConfig } from '../config/schema.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Thrown inside the breaker so opossum counts the call as a failure; carries what the call came to. */
export class CountedFailure<T> extends Error {
  constructor(readonly outcome: T) {
    super('vendor call failed');
  }
}

// One bucket-rotation timer per bucket length, shared by every breaker using it (LIBRARIES.md §1).
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
 * One opossum breaker per vendor; it runs whatever call it is given. Its timeout is only a backstop: the real deadline
 * is each call's own AbortSignal, because opossum's shared abortController poisons later calls (LIBRARIES.md §1).
 */
export function createVendorBreaker(vendor: string, config: BreakerConfig, backstopTimeoutMs: number): VendorBreaker {
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
    // Percentiles sort every latency in the window on each failure: quadratic CPU during an outage (LIBRARIES.md §1).
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    errorFilter: (error: unknown) => !(error instanceof CountedFailure) && !isOpossumTimeout(error),
  });
}

function isOpossumTimeout(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ETIMEDOUT';
}

export function breakerState(breaker: VendorBreaker): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half-open';
  return 'closed';
}

export function isBreakerRejection(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'EOPENBREAKER';
}
