import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../src/stream/backoff.js';

describe('reconnectDelayMs', () => {
  it('draws between 0 and base · 2^attempt', () => {
    expect(reconnectDelayMs(0, 250, 30_000, () => 0.999)).toBe(249);
    expect(reconnectDelayMs(3, 250, 30_000, () => 0.5)).toBe(1_000);
    expect(reconnectDelayMs(3, 250, 30_000, () => 0)).toBe(0);
  });

  it('never exceeds the cap, even after many attempts', () => {
    expect(reconnectDelayMs(10, 250, 30_000, () => 0.999)).toBe(29_970);
    expect(reconnectDelayMs(5_000, 250, 30_000, () => 0.999)).toBe(29_970);
  });
});
