import { afterEach, describe, expect, it, vi } from 'vitest';
import { breakerState, createVendorBreaker, runThroughBreaker } from '../../../src/resilience/breaker.js';

const settings = { volumeThreshold: 4, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 5_000 };
type Result = { outcome: 'ok' | 'not-found' | 'unavailable' | 'timeout' };
const countsAgainst = (result: Result) => result.outcome === 'unavailable' || result.outcome === 'timeout';
const returning = (outcome: Result['outcome']) => async (): Promise<Result> => ({ outcome });

afterEach(() => {
  vi.useRealTimers();
});

describe('runThroughBreaker', () => {
  it('opens once the volume is reached and counted results pass the threshold, returning each result as a value', async () => {
    const breaker = createVendorBreaker('acme', settings, 1_000);
    for (let index = 0; index < 3; index += 1) {
      const run = await runThroughBreaker(breaker, returning('unavailable'), countsAgainst);
      expect(run).toEqual({ status: 'done', value: { outcome: 'unavailable' } });
      expect(breakerState(breaker)).toBe('closed');
    }
    await runThroughBreaker(breaker, returning('unavailable'), countsAgainst);
    expect(breakerState(breaker)).toBe('open');
    expect(await runThroughBreaker(breaker, returning('ok'), countsAgainst)).toEqual({ status: 'rejected' });
    breaker.shutdown();
  });

  it('counts a result the rule does not count (a 404) as a success', async () => {
    const breaker = createVendorBreaker('acme', settings, 1_000);
    for (let index = 0; index < 10; index += 1) {
      await runThroughBreaker(breaker, returning('not-found'), countsAgainst);
    }
    expect(breakerState(breaker)).toBe('closed');
    breaker.shutdown();
  });

  it('counts an exception thrown by the call against the vendor and returns it as a value', async () => {
    const breaker = createVendorBreaker('acme', settings, 1_000);
    const bug = new RangeError('Invalid time value');
    for (let index = 0; index < 4; index += 1) {
      const run = await runThroughBreaker(breaker, () => Promise.reject(bug), countsAgainst);
      expect(run).toEqual({ status: 'threw', error: bug });
    }
    expect(breakerState(breaker)).toBe('open');
    breaker.shutdown();
  });

  it('keeps a half-open breaker open when its probe throws', async () => {
    vi.useFakeTimers();
    const breaker = createVendorBreaker('acme', { ...settings, volumeThreshold: 1 }, 1_000);
    await runThroughBreaker(breaker, returning('timeout'), countsAgainst);
    expect(breakerState(breaker)).toBe('open');
    await vi.advanceTimersByTimeAsync(5_001);
    expect(breakerState(breaker)).toBe('half-open');
    await runThroughBreaker(breaker, () => Promise.reject(new TypeError('adapter bug')), countsAgainst);
    expect(breakerState(breaker)).toBe('open');
    breaker.shutdown();
  });

  it('lets one probe through after the reset timeout and closes on its success', async () => {
    vi.useFakeTimers();
    const breaker = createVendorBreaker('acme', { ...settings, volumeThreshold: 1 }, 1_000);
    await runThroughBreaker(breaker, returning('timeout'), countsAgainst);
    expect(breakerState(breaker)).toBe('open');
    await vi.advanceTimersByTimeAsync(5_001);
    expect(breakerState(breaker)).toBe('half-open');
    expect(await runThroughBreaker(breaker, returning('ok'), countsAgainst)).toEqual({
      status: 'done',
      value: { outcome: 'ok' },
    });
    expect(breakerState(breaker)).toBe('closed');
    breaker.shutdown();
  });

  it('reports the backstop timeout as timed-out and counts it', async () => {
    vi.useFakeTimers();
    const breaker = createVendorBreaker('acme', { ...settings, volumeThreshold: 1 }, 1_000);
    const run = runThroughBreaker(breaker, () => new Promise<Result>(() => undefined), countsAgainst);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(await run).toEqual({ status: 'timed-out' });
    expect(breakerState(breaker)).toBe('open');
    breaker.shutdown();
  });
});
