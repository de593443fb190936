import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  breakerState,
  CountedFailure,
  createVendorBreaker,
  isBreakerRejection,
} from '../../../src/resilience/breaker.js';

const settings = { volumeThreshold: 4, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 5_000 };
afterEach(() => {
  vi.useRealTimers();
});

describe('createVendorBreaker', () => {
  it('opens once the volume is reached and failures pass the threshold', async () => {
    const breaker = createVendorBreaker('acme', settings, 1_000);
    for (let index = 0; index < 3; index += 1) {
      await breaker.fire(async () => Promise.reject(new CountedFailure('unavailable'))).catch(() => undefined);
      expect(breakerState(breaker)).toBe('closed');
    }
    await breaker.fire(async () => Promise.reject(new CountedFailure('unavailable'))).catch(() => undefined);
    expect(breakerState(breaker)).toBe('open');
    const rejection = await breaker.fire(async () => 'ok').catch((error: unknown) => error);
    expect(isBreakerRejection(rejection)).toBe(true);
    breaker.shutdown();
  });

  it('does not count errors that are not the vendor failing', async () => {
    const breaker = createVendorBreaker('acme', settings, 1_000);
    for (let index = 0; index < 10; index += 1) {
      await breaker.fire(async () => Promise.reject(new Error('a programming error'))).catch(() => undefined);
    }
    expect(breakerState(breaker)).toBe('closed');
    breaker.shutdown();
  });

  it('lets one probe through after the reset timeout and closes on its success', async () => {
    vi.useFakeTimers();
    const breaker = createVendorBreaker('acme', { ...settings, volumeThreshold: 1 }, 1_000);
    await breaker.fire(async () => Promise.reject(new CountedFailure('timeout'))).catch(() => undefined);
    expect(breakerState(breaker)).toBe('open');
    await vi.advanceTimersByTimeAsync(5_001);
    expect(breakerState(breaker)).toBe('half-open');
    await breaker.fire(async () => 'ok');
    expect(breakerState(breaker)).toBe('closed');
    breaker.shutdown();
  });
});
