/** Unit conversions for vendor timestamps. Each vendor's unit is named in docs/vendors.md#common-traps. */

export function msToIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function secondsToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** polygon stock snapshots stamp in nanoseconds; dividing keeps millisecond precision, which is all ISO carries. */
export function nanosToIso(nanos: number): string {
  return new Date(Math.floor(nanos / 1e6)).toISOString();
}

/** '2026-01-30' → '2026-01-30T00:00:00.000Z' */
export function dateToIso(date: string): string {
  return `${date.slice(0, 10)}T00:00:00.000Z`;
}

/**
 * Any ISO-8601 string with an offset or more than 3 fractional digits (coinapi sends 7) → UTC with milliseconds; null
 * for an unreadable, empty or absent time, as vendors send for "no time".
 */
export function toUtcIso(value: string | null | undefined): string | null {
  if (!value) return null;
  // Date.parse copes with '+0000' only in some engines; normalise the offset to '+00:00' first.
  const normalised = value
    .trim()
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const tradingDateFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of an instant in an exchange's time zone, as 'YYYY-MM-DD'. Daily bars are labelled with their
 * trading date: polygon stamps them at midnight New York time (05:00Z in winter, 04:00Z in summer).
 */
export function tradingDate(ms: number, timeZone = 'America/New_York'): string {
  let formatter = tradingDateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    tradingDateFormatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(ms));
}

/** Label of a daily-or-longer bar: its trading date at 00:00:00Z. */
export function dailyBarTime(ms: number, timeZone = 'America/New_York'): string {
  return dateToIso(tradingDate(ms, timeZone));
}

/** 'YYYY-MM-DD' → ms at 00:00:00Z of that day. */
export function dateToMs(date: string): number {
  return Date.parse(dateToIso(date));
}

/** 'YYYY-MM-DD' → Unix seconds at 00:00:00Z of that day. */
export function dateToUnixSeconds(date: string): number {
  return Math.floor(dateToMs(date) / 1000);
}

/** 'YYYY-MM-DD' moved by whole days, across months and years: addDays('2026-01-31', 1) → '2026-02-01'. */
export function addDays(date: string, days: number): string {
  return new Date(dateToMs(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → Unix seconds at the last second of that day, for vendors whose `to` is an instant. */
export function endOfDateUnixSeconds(date: string): number {
  return dateToUnixSeconds(date) + 86_399;
}
