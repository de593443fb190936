import { describe, expect, it } from 'vitest';
import { fixedPeriod, rollingCounters, windowSlot, windowSpecs } from '../../../src/resilience/quota-windows.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('fixed calendar windows', () => {
  it('follow the UTC calendar by default, month ends and leap days included', () => {
    const month = fixedPeriod({ name: 'month', timeZone: 'UTC' }, at('2028-02-29T23:59:59.999Z'));
    expect({ label: month.label, start: iso(month.start), end: iso(month.end) }).toEqual({
      label: '2028-02',
      start: '2028-02-01T00:00:00.000Z',
      end: '2028-03-01T00:00:00.000Z',
    });
    const next = fixedPeriod({ name: 'month', timeZone: 'UTC' }, at('2028-03-01T00:00:00.000Z'));
    expect(next.label).toBe('2028-03');
    const december = fixedPeriod({ name: 'month', timeZone: 'UTC' }, at('2026-12-31T12:00:00Z'));
    expect(iso(december.end)).toBe('2027-01-01T00:00:00.000Z');
  });

  it("reset at midnight in the vendor's zone, not UTC", () => {
    // 03:30 UTC is still the previous evening in New York.
    const day = fixedPeriod({ name: 'day', timeZone: 'America/New_York' }, at('2026-01-15T03:30:00Z'));
    expect({ label: day.label, start: iso(day.start), end: iso(day.end) }).toEqual({
      label: '2026-01-14',
      start: '2026-01-14T05:00:00.000Z',
      end: '2026-01-15T05:00:00.000Z',
    });
    const month = fixedPeriod({ name: 'month', timeZone: 'Asia/Tokyo' }, at('2026-01-31T16:00:00Z'));
    expect(month.label).toBe('2026-02');
    expect(iso(month.start)).toBe('2026-01-31T15:00:00.000Z');
  });

  it('are 23 hours long on the spring DST day and 25 on the autumn one', () => {
    const spring = fixedPeriod({ name: 'day', timeZone: 'America/New_York' }, at('2026-03-08T12:00:00Z'));
    expect(spring.label).toBe('2026-03-08');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    const autumn = fixedPeriod({ name: 'day', timeZone: 'America/New_York' }, at('2026-11-01T12:00:00Z'));
    expect((autumn.end - autumn.start) / 3_600_000).toBe(25);
    expect(iso(autumn.end)).toBe('2026-11-02T05:00:00.000Z');
    const berlin = fixedPeriod({ name: 'day', timeZone: 'Europe/Berlin' }, at('2026-10-25T00:30:00Z'));
    expect((berlin.end - berlin.start) / 3_600_000).toBe(25);
  });

  it('align seconds and minutes to the clock', () => {
    const minute = fixedPeriod({ name: 'minute', timeZone: 'UTC' }, at('2026-01-15T10:20:30.500Z'));
    expect([iso(minute.start), iso(minute.end)]).toEqual(['2026-01-15T10:20:00.000Z', '2026-01-15T10:21:00.000Z']);
  });
});

describe('window slots', () => {
  it('count a fixed day in one counter that a lease must be spent within', () => {
    const [spec] = windowSpecs({ perDay: 100, maxConcurrent: 1, maxQueue: 1 });
    const slot = windowSlot(spec!, 'mdg:quota:acme', at('2026-01-15T10:00:00Z'));
    expect(slot.keys).toEqual(['mdg:quota:acme:day:2026-01-15']);
    expect(iso(slot.spendBy)).toBe('2026-01-16T00:00:00.000Z');
    expect(iso(slot.nextRoomAt)).toBe('2026-01-16T00:00:00.000Z');
  });

  it('count a rolling window over every counter it overlaps, the partly elapsed oldest included', () => {
    const [spec] = windowSpecs({ perMinute: 30, maxConcurrent: 1, maxQueue: 1 });
    expect(spec).toMatchObject({ name: 'minute', counting: 'rolling' });
    const now = at('2026-01-15T10:00:04Z');
    const slot = windowSlot(spec!, 'p', now);
    expect(slot.keys).toHaveLength(rollingCounters + 1);
    // Counters of 3 s: the lease ends with the current one, so no call is counted later than the vendor counts it.
    expect(slot.spendBy).toBe(at('2026-01-15T10:00:06Z'));
    expect(slot.forgetAt).toBe(at('2026-01-15T10:01:06Z'));
    expect(windowSlot(spec!, 'p', slot.spendBy).keys.slice(1)).toEqual(slot.keys.slice(0, -1));
  });

  it('take the counting and the zone from the config, longest window first', () => {
    const specs = windowSpecs({
      perSecond: 5,
      perMinute: 60,
      perDay: 800,
      perMonth: 10_000,
      counting: { day: 'rolling', minute: 'fixed' },
      timeZone: 'Europe/Paris',
      maxConcurrent: 1,
      maxQueue: 1,
    });
    expect(specs.map((spec) => [spec.name, spec.limit, spec.counting])).toEqual([
      ['month', 10_000, 'fixed'],
      ['day', 800, 'rolling'],
      ['minute', 60, 'fixed'],
      ['second', 5, 'rolling'],
    ]);
    expect(specs.every((spec) => spec.timeZone === 'Europe/Paris')).toBe(true);
  });
});
