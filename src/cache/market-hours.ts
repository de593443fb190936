/**
 * When the markets a cached answer describes are closed, so that its price cannot move (docs/decisions.md#market-hours-come-from-a-table).
 *
 * US stocks (NYSE and Nasdaq share one calendar): regular session 09:30–16:00 America/New_York, Monday to Friday,
 * except exchange holidays; early closes end it at 13:00. Dates from NYSE's published calendar,
 * https://www.nyse.com/markets/hours-calendars (announced 2025-12-23 for 2026–2028). Years outside `usCalendarYears`
 * count as always open: without their holidays the gateway cannot know, and an open market only means the usual TTL.
 * Forex trades around the clock from Sunday 17:00 to Friday 17:00 New York time. Crypto never closes.
 */

export type Market = 'us-stocks' | 'forex';

/** Whether the market is open at an instant and, when it is closed, when it opens next (epoch ms). */
export type MarketPhase = { open: true } | { open: false; opensAt: number };

/** Years whose holidays and early closes are in the tables below. */
export const usCalendarYears: readonly number[] = [2026, 2027];

/** Weekdays the US exchanges are closed all day. */
export const usHolidays: ReadonlyMap<string, string> = new Map([
  ['2026-01-01', "New Year's Day"],
  ['2026-01-19', 'Martin Luther King, Jr. Day'],
  ['2026-02-16', "Washington's Birthday"],
  ['2026-04-03', 'Good Friday'],
  ['2026-05-25', 'Memorial Day'],
  ['2026-06-19', 'Juneteenth National Independence Day'],
  ['2026-07-03', 'Independence Day (observed)'],
  ['2026-09-07', 'Labor Day'],
  ['2026-11-26', 'Thanksgiving Day'],
  ['2026-12-25', 'Christmas Day'],
  ['2027-01-01', "New Year's Day"],
  ['2027-01-18', 'Martin Luther King, Jr. Day'],
  ['2027-02-15', "Washington's Birthday"],
  ['2027-03-26', 'Good Friday'],
  ['2027-05-31', 'Memorial Day'],
  ['2027-06-18', 'Juneteenth National Independence Day (observed)'],
  ['2027-07-05', 'Independence Day (observed)'],
  ['2027-09-06', 'Labor Day'],
  ['2027-11-25', 'Thanksgiving Day'],
  ['2027-12-24', 'Christmas Day (observed)'],
]);

/** Sessions that end at 13:00 New York time. (New Year's Day 2028 falls on a Saturday and is not observed.) */
export const usEarlyCloses: ReadonlyMap<string, string> = new Map([
  ['2026-11-27', 'the day after Thanksgiving'],
  ['2026-12-24', 'Christmas Eve'],
  ['2027-11-26', 'the day after Thanksgiving'],
]);

const minutes = (hours: number, minutesPast = 0) => hours * 60 + minutesPast;
const usOpen = minutes(9, 30);
const usClose = minutes(16);
const usEarlyClose = minutes(13);
const forexTurn = minutes(17);
const dayMs = 86_400_000;

const newYork = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalTime {
  /** YYYY-MM-DD in New York. */
  date: string;
  /** Minutes since New York midnight. */
  minute: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

function inNewYork(ms: number): LocalTime & { offsetMs: number } {
  const part: Record<string, number> = {};
  for (const { type, value } of newYork.formatToParts(ms)) part[type] = Number(value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return {
    date: isoDate(Date.UTC(year, month - 1, day)),
    minute: hour * 60 + minute,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    offsetMs: wallMs - (ms - (ms % 1_000)),
  };
}

/** The instant of `minute` past New York midnight on `date` (the offset read at that instant, so DST is right). */
function newYorkInstant(date: string, minute: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  const guess = wall - inNewYork(wall).offsetMs;
  return wall - inNewYork(guess).offsetMs;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextDate(date: string): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + dayMs);
}

function isUsTradingDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !usHolidays.has(date);
}

function usStocksPhase(ms: number): MarketPhase {
  const local = inNewYork(ms);
  if (!usCalendarYears.includes(Number(local.date.slice(0, 4)))) return { open: true };
  const close = usEarlyCloses.has(local.date) ? usEarlyClose : usClose;
  if (isUsTradingDay(local.date) && local.minute >= usOpen && local.minute < close) return { open: true };
  let date = isUsTradingDay(local.date) && local.minute < usOpen ? local.date : nextDate(local.date);
  while (!isUsTradingDay(date)) date = nextDate(date);
  return { open: false, opensAt: newYorkInstant(date, usOpen) };
}

function forexPhase(ms: number): MarketPhase {
  const { date, minute, weekday } = inNewYork(ms);
  const closed = (weekday === 5 && minute >= forexTurn) || weekday === 6 || (weekday === 0 && minute < forexTurn);
  if (!closed) return { open: true };
  const daysToSunday = (7 - weekday) % 7;
  return {
    open: false,
    opensAt: newYorkInstant(isoDate(Date.parse(`${date}T00:00:00Z`) + daysToSunday * dayMs), forexTurn),
  };
}

/** Every session opens and closes on a whole minute: a phase holds for the minute it was read in. */
const lastRead = new Map<Market, { minute: number; phase: MarketPhase }>();

export function marketPhase(market: Market, ms: number): MarketPhase {
  const minute = Math.floor(ms / 60_000);
  const known = lastRead.get(market);
  if (known?.minute === minute) return known.phase;
  const phase = market === 'us-stocks' ? usStocksPhase(ms) : forexPhase(ms);
  lastRead.set(market, { minute, phase });
  return phase;
}
