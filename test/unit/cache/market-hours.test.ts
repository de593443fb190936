import { describe, expect, it } from 'vitest';
import { marketPhase, usCalendarYears, usEarlyCloses, usHolidays } from '../../../src/cache/market-hours.js';

/** An instant written in New York time with its offset: -05:00 in winter (EST), -04:00 in summer (EDT). */
const at = (iso: string) => Date.parse(iso);
const phase = (iso: string) => marketPhase('us-stocks', at(iso));
const closedUntil = (iso: string) => ({ open: false, opensAt: at(iso) });

describe('US stock market hours (NYSE and Nasdaq calendar)', () => {
  it('trades 09:30 to 16:00 New York time on a regular weekday', () => {
    expect(phase('2026-12-09T09:29:59-05:00')).toEqual(closedUntil('2026-12-09T09:30:00-05:00'));
    expect(phase('2026-12-09T09:30:00-05:00')).toEqual({ open: true });
    expect(phase('2026-12-09T15:59:59-05:00')).toEqual({ open: true });
    expect(phase('2026-12-09T16:00:00-05:00')).toEqual(closedUntil('2026-12-10T09:30:00-05:00'));
    expect(phase('2026-12-09T23:59:00-05:00')).toEqual(closedUntil('2026-12-10T09:30:00-05:00'));
  });

  it('is closed from Friday 16:00 to Monday 09:30', () => {
    for (const instant of ['2026-12-11T16:00:00-05:00', '2026-12-12T12:00:00-05:00', '2026-12-14T09:29:00-05:00']) {
      expect(phase(instant)).toEqual(closedUntil('2026-12-14T09:30:00-05:00'));
    }
  });

  it('opens at 09:30 New York time across daylight-saving changes (13:30Z in summer, 14:30Z in winter)', () => {
    // 2026: EDT from Sunday 8 March to Sunday 1 November.
    expect(phase('2026-03-06T17:00:00-05:00')).toEqual(closedUntil('2026-03-09T13:30:00Z'));
    expect(phase('2026-10-30T17:00:00-04:00')).toEqual(closedUntil('2026-11-02T14:30:00Z'));
    expect(phase('2026-03-09T13:30:00Z')).toEqual({ open: true });
    expect(phase('2026-11-02T14:29:00Z').open).toBe(false);
  });

  // Every 2026 and 2027 holiday in NYSE's calendar, and the session that follows it.
  const holidays: [holiday: string, nextOpen: string][] = [
    ['2026-01-01', '2026-01-02T09:30:00-05:00'],
    ['2026-01-19', '2026-01-20T09:30:00-05:00'],
    ['2026-02-16', '2026-02-17T09:30:00-05:00'],
    ['2026-04-03', '2026-04-06T09:30:00-04:00'],
    ['2026-05-25', '2026-05-26T09:30:00-04:00'],
    ['2026-06-19', '2026-06-22T09:30:00-04:00'],
    ['2026-07-03', '2026-07-06T09:30:00-04:00'],
    ['2026-09-07', '2026-09-08T09:30:00-04:00'],
    ['2026-11-26', '2026-11-27T09:30:00-05:00'],
    ['2026-12-25', '2026-12-28T09:30:00-05:00'],
    ['2027-01-01', '2027-01-04T09:30:00-05:00'],
    ['2027-01-18', '2027-01-19T09:30:00-05:00'],
    ['2027-02-15', '2027-02-16T09:30:00-05:00'],
    ['2027-03-26', '2027-03-29T09:30:00-04:00'],
    ['2027-05-31', '2027-06-01T09:30:00-04:00'],
    ['2027-06-18', '2027-06-21T09:30:00-04:00'],
    ['2027-07-05', '2027-07-06T09:30:00-04:00'],
    ['2027-09-06', '2027-09-07T09:30:00-04:00'],
    ['2027-11-25', '2027-11-26T09:30:00-05:00'],
    ['2027-12-24', '2027-12-27T09:30:00-05:00'],
  ];

  it('lists exactly these holidays', () => {
    expect([...usHolidays.keys()]).toEqual(holidays.map(([holiday]) => holiday));
  });

  it.each(holidays)('is closed all of %s, until %s', (holiday, nextOpen) => {
    const offset = nextOpen.slice(-6);
    for (const time of ['00:00:00', '09:30:00', '12:00:00', '15:59:00']) {
      expect(phase(`${holiday}T${time}${offset}`)).toEqual(closedUntil(nextOpen));
    }
    // The evening before a holiday (a weekday inside the table) already waits for the session after it.
    const dayBefore = new Date(Date.parse(`${holiday}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const weekday = new Date(`${dayBefore}T12:00:00Z`).getUTCDay();
    const known = usCalendarYears.includes(Number(dayBefore.slice(0, 4)));
    if (known && weekday >= 1 && weekday <= 5)
      expect(phase(`${dayBefore}T16:00:00${offset}`)).toEqual(closedUntil(nextOpen));
  });

  const earlyCloses: [day: string, nextOpen: string][] = [
    ['2026-11-27', '2026-11-30T09:30:00-05:00'],
    ['2026-12-24', '2026-12-28T09:30:00-05:00'],
    ['2027-11-26', '2027-11-29T09:30:00-05:00'],
  ];

  it('lists exactly these early closes', () => {
    expect([...usEarlyCloses.keys()]).toEqual(earlyCloses.map(([day]) => day));
  });

  it.each(earlyCloses)('closes at 13:00 on %s, until %s', (day, nextOpen) => {
    expect(phase(`${day}T09:29:00-05:00`).open).toBe(false);
    expect(phase(`${day}T09:30:00-05:00`)).toEqual({ open: true });
    expect(phase(`${day}T12:59:59-05:00`)).toEqual({ open: true });
    expect(phase(`${day}T13:00:00-05:00`)).toEqual(closedUntil(nextOpen));
  });

  it('trades on 31 December 2027: New Year’s Day 2028 falls on a Saturday and is not observed', () => {
    expect(phase('2027-12-31T12:00:00-05:00')).toEqual({ open: true });
  });

  it('counts years outside the calendar table as open: their holidays are unknown', () => {
    expect(usCalendarYears).toEqual([2026, 2027]);
    expect(phase('2028-01-08T12:00:00-05:00')).toEqual({ open: true });
    expect(phase('2025-12-25T12:00:00-05:00')).toEqual({ open: true });
  });
});

describe('forex hours', () => {
  const forex = (iso: string) => marketPhase('forex', at(iso));
  const sundayOpen = closedUntil('2026-12-13T17:00:00-05:00');

  it('closes Friday 17:00 and opens Sunday 17:00 New York time', () => {
    expect(forex('2026-12-11T16:59:59-05:00')).toEqual({ open: true });
    expect(forex('2026-12-11T17:00:00-05:00')).toEqual(sundayOpen);
    expect(forex('2026-12-12T12:00:00-05:00')).toEqual(sundayOpen);
    expect(forex('2026-12-13T16:59:00-05:00')).toEqual(sundayOpen);
    expect(forex('2026-12-13T17:00:00-05:00')).toEqual({ open: true });
  });

  it('trades around the clock on weekdays, exchange holidays included', () => {
    for (const instant of ['2026-12-09T03:00:00-05:00', '2026-12-09T22:00:00-05:00', '2026-12-25T12:00:00-05:00']) {
      expect(forex(instant)).toEqual({ open: true });
    }
  });
});
