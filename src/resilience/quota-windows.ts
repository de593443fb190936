import type { RateLimitConfig } from '../config/schema.js';

export const quotaWindowNames = ['second', 'minute', 'day', 'month'] as const;
export type QuotaWindowName = (typeof quotaWindowNames)[number];
export type WindowCounting = 'rolling' | 'fixed';

/** One quota window of a vendor, as configured. */
export interface QuotaWindowSpec {
  name: QuotaWindowName;
  limit: number;
  counting: WindowCounting;
  /** IANA zone whose calendar a fixed day or month follows. */
  timeZone: string;
}

/**
 * Where a window stands at one instant: the counter keys whose sum is the window's count (the current one first), and
 * the times that bound a lease taken now.
 */
export interface WindowSlot {
  spec: QuotaWindowSpec;
  /** The counter a call made now is added to. */
  currentKey: string;
  /** Every counter the window sums, `currentKey` first. */
  keys: string[];
  /** A token counted now must be spent before this, or the vendor could count the call in a window we did not. */
  spendBy: number;
  /** When `currentKey` may be forgotten (no later window reads it). */
  forgetAt: number;
  /** When a spent window next gets room: the next period (fixed) or the oldest counter leaving (rolling). */
  nextRoomAt: number;
}

const windowMs: Record<QuotaWindowName, number> = {
  second: 1_000,
  minute: 60_000,
  day: 86_400_000,
  // A rolling month is 30 days; a fixed one is the calendar month.
  month: 30 * 86_400_000,
};

/**
 * A rolling window is the sum of counters of 1/20 of its length, the partly elapsed oldest one included: it may count a
 * call up to one counter's length longer than the vendor does, never shorter, so it never lets more through.
 */
export const rollingCounters = 20;

/** Defaults where the vendor's documentation says nothing: short windows roll, day and month follow the calendar. */
const defaultCounting: Record<QuotaWindowName, WindowCounting> = {
  second: 'rolling',
  minute: 'rolling',
  day: 'fixed',
  month: 'fixed',
};

const limitOf: Record<QuotaWindowName, keyof RateLimitConfig> = {
  second: 'perSecond',
  minute: 'perMinute',
  day: 'perDay',
  month: 'perMonth',
};

/** The configured windows, longest first. */
export function windowSpecs(config: RateLimitConfig): QuotaWindowSpec[] {
  const specs: QuotaWindowSpec[] = [];
  for (const name of [...quotaWindowNames].reverse()) {
    const limit = config[limitOf[name]];
    if (typeof limit !== 'number') continue;
    specs.push({
      name,
      limit,
      counting: config.counting?.[name] ?? defaultCounting[name],
      timeZone: config.timeZone ?? 'UTC',
    });
  }
  return specs;
}

/** How long the window is: a fixed day or month may differ (DST, calendar), this is the rolling length. */
export function windowLengthMs(name: QuotaWindowName): number {
  return windowMs[name];
}

/** Where `spec` stands at `now`; counter keys start with `prefix`. */
export function windowSlot(spec: QuotaWindowSpec, prefix: string, now: number): WindowSlot {
  const base = `${prefix}:${spec.name}`;
  const length = windowMs[spec.name];
  if (spec.counting === 'rolling') {
    const counterMs = length / rollingCounters;
    const current = Math.floor(now / counterMs);
    const keys = Array.from({ length: rollingCounters + 1 }, (_, back) => `${base}:r${current - back}`);
    const currentEnds = (current + 1) * counterMs;
    return {
      spec,
      currentKey: keys[0] ?? base,
      keys,
      spendBy: currentEnds,
      forgetAt: currentEnds + length,
      nextRoomAt: currentEnds,
    };
  }
  const period = fixedPeriod(spec, now);
  const key = `${base}:${period.label}`;
  return { spec, currentKey: key, keys: [key], spendBy: period.end, forgetAt: period.end, nextRoomAt: period.end };
}

/** The fixed period `now` falls in: clock-aligned seconds and minutes, calendar days and months in the vendor's zone. */
export function fixedPeriod(
  spec: Pick<QuotaWindowSpec, 'name' | 'timeZone'>,
  now: number,
): { label: string; start: number; end: number } {
  if (spec.name === 'second' || spec.name === 'minute') {
    const length = windowMs[spec.name];
    const start = now - (now % length);
    return { label: String(start / length), start, end: start + length };
  }
  const { year, month, day } = zonedDate(now, spec.timeZone);
  if (spec.name === 'day') {
    return {
      label: `${year}-${pad(month)}-${pad(day)}`,
      start: zonedMidnight(year, month, day, spec.timeZone),
      end: zonedMidnight(year, month, day + 1, spec.timeZone),
    };
  }
  return {
    label: `${year}-${pad(month)}`,
    start: zonedMidnight(year, month, 1, spec.timeZone),
    end: zonedMidnight(year, month + 1, 1, spec.timeZone),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function zonedParts(instant: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

function zonedDate(instant: number, timeZone: string): { year: number; month: number; day: number } {
  const parts = zonedParts(instant, timeZone);
  return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1 };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (instant - (instant % 1_000));
}

/**
 * The instant local midnight starts `year-month-day` in the zone (month and day may overflow: Date.UTC normalises
 * them). Two passes settle the offset on DST days; a zone whose midnight is skipped starts the day at 01:00.
 */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wallClock = Date.UTC(year, month - 1, day);
  let instant = wallClock - offsetMs(wallClock, timeZone);
  instant = wallClock - offsetMs(instant, timeZone);
  return instant;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
