import { describe, expect, it } from 'vitest';
import { backoffMs, isNetworkBlip, withRetry } from '../../../src/resilience/retry.js';

type Outcome = { outcome: string; detail?: string };

function scripted(...outcomes: Outcome[]) {
  let calls = 0;
  const call = () => Promise.resolve(outcomes[Math.min(calls++, outcomes.length - 1)] as Outcome);
  return { call, calls: () => calls };
}

describe('withRetry', () => {
  const retry = { attempts: 1, baseDelayMs: 1 };

  it('tries once more after a connection reset and returns the second answer', async () => {
    const vendor = scripted({ outcome: 'network', detail: 'ECONNRESET' }, { outcome: 'ok' });
    await expect(withRetry(vendor.call, retry, new AbortController().signal)).resolves.toEqual({ outcome: 'ok' });
    expect(vendor.calls()).toBe(2);
  });

  it('does not retry a refused connection, a timeout or a vendor error', async () => {
    for (const outcome of [
      { outcome: 'network', detail: 'ECONNREFUSED' },
      { outcome: 'timeout', detail: 'no answer in time' },
      { outcome: 'unavailable', detail: 'HTTP 500' },
    ]) {
      const vendor = scripted(outcome, { outcome: 'ok' });
      await expect(withRetry(vendor.call, retry, new AbortController().signal)).resolves.toEqual(outcome);
      expect(vendor.calls()).toBe(1);
    }
  });

  it('stops at the configured number of retries', async () => {
    const vendor = scripted({ outcome: 'network', detail: 'EPIPE' });
    await withRetry(vendor.call, { attempts: 2, baseDelayMs: 1 }, new AbortController().signal);
    expect(vendor.calls()).toBe(3);
  });

  it('does not retry once the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const vendor = scripted({ outcome: 'network', detail: 'ECONNRESET' }, { outcome: 'ok' });
    await withRetry(vendor.call, retry, controller.signal);
    expect(vendor.calls()).toBe(1);
  });
});

describe('backoffMs', () => {
  it('jitters the base delay between 50 % and 150 %', () => {
    expect(backoffMs(100, () => 0)).toBe(50);
    expect(backoffMs(100, () => 0.999)).toBe(150);
  });
});

describe('isNetworkBlip', () => {
  it('is true only for resets and broken pipes', () => {
    expect(isNetworkBlip({ outcome: 'network', detail: 'ECONNRESET' })).toBe(true);
    expect(isNetworkBlip({ outcome: 'network', detail: 'ENOTFOUND' })).toBe(false);
  });
});
