import { describe, expect, it } from 'vitest';
import { hedgeDelayMs } from '../../../src/resilience/hedging.js';

describe('hedgeDelayMs', () => {
  const hedging = { enabled: true, minAfterMs: 150, maxAfterMs: 1_000 };

  it("uses the vendor's observed p95 within the bounds, and the upper bound before any is known", () => {
    expect(hedgeDelayMs(hedging, 320.2)).toBe(321);
    expect(hedgeDelayMs(hedging, 20)).toBe(150);
    expect(hedgeDelayMs(hedging, 5_000)).toBe(1_000);
    expect(hedgeDelayMs(hedging, null)).toBe(1_000);
  });

  it('uses a fixed afterMs when configured', () => {
    expect(hedgeDelayMs({ ...hedging, afterMs: 75 }, 320)).toBe(75);
  });
});
