import { describe, expect, it } from 'vitest';
import { addDays, dateToMs, dateToUnixSeconds } from '../../../providers/common/time.js';

describe('dates', () => {
  it('reads a date as its 00:00:00Z', () => {
    expect(dateToMs('2026-01-30')).toBe(Date.UTC(2026, 0, 30));
    expect(dateToUnixSeconds('2026-01-30')).toBe(Date.UTC(2026, 0, 30) / 1000);
  });

  it('moves a date by whole days across months and years', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-01-03', -7)).toBe('2025-12-27');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
