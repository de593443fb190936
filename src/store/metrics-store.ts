import type { Capability } from '../core/index.js';
import { reachedVendor, skippedOutcomes, type AttemptOutcome } from '../core/outcomes.js';

/** Upper bounds (ms) of the latency histogram buckets; the last bucket is everything slower. */
export const latencyBoundsMs = [5, 10, 25, 50, 75, 100, 150, 250, 500, 1_000, 2_500, 5_000] as const;
/** Buckets per window: the window slides in steps of a tenth of its length. */
export const bucketsPerWindow = 10;

/** One finished call at a vendor, as the store counts it. */
export interface CallRecord {
  vendor: string;
  capability: Capability;
  outcome: AttemptOutcome;
  ms: number;
  /** The vendor's own fault (timeout, network, 5xx, schema): counts in its error rate. */
  failed: boolean;
  /** The vendor's costPerCall; counted only for calls that reached the vendor (isBilled). */
  cost: number;
}

/** What the store knows of one vendor over the window: the inputs of its health score and of /v1/providers. */
export interface VendorWindow {
  calls: number;
  successes: number;
  failures: number;
  failuresByOutcome: Partial<Record<AttemptOutcome, number>>;
  errorRate: number | null;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null };
  checks: { total: number; passed: number };
  /** Calls and cost per capability, today (UTC). */
  usageToday: Partial<Record<Capability, { calls: number; cost: number }>>;
}

/** What a vendor's calls have cost, in the currency of costPerCall: today and this month (UTC), all instances. */
export interface VendorSpend {
  day: number;
  month: number;
}

export interface StoreStatus {
  kind: 'memory' | 'redis';
  state: 'ok' | 'degraded';
  /** Why it is degraded; null when ok. */
  reason: string | null;
}

/**
 * Rolling, time-bucketed windows per vendor and capability: calls, outcomes, a latency histogram and health-check
 * results, plus today's calls and cost. Writes never wait; `window()` is synchronous and reads the last known state,
 * so the router can score vendors on the request path. The Redis implementation shares the windows between instances.
 */
export interface MetricsStore {
  recordCall(record: CallRecord): void;
  recordProbe(vendor: string, outcome: AttemptOutcome): void;
  window(vendor: string): VendorWindow;
  /** Synchronous, like window(): the budget check runs on the request path (routing/budget.ts). */
  spend(vendor: string): VendorSpend;
  status(): StoreStatus;
  /** Pushes local counts and reads the shared windows now (a no-op in memory). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** One bucket's counts, as plain fields so a Redis hash can hold the same thing. */
export type BucketCounts = Record<string, number>;

/** Field names inside a bucket: `<capability>|<what>`, or `probe|<what>` for health checks. */
export const fields = {
  calls: (capability: string) => `${capability}|calls`,
  ok: (capability: string) => `${capability}|ok`,
  failed: (capability: string) => `${capability}|failed`,
  outcome: (capability: string, outcome: string) => `${capability}|o:${outcome}`,
  latencySum: (capability: string) => `${capability}|lat_sum`,
  latencyCount: (capability: string) => `${capability}|lat_n`,
  latencyBucket: (capability: string, index: number) => `${capability}|lat_b${index}`,
  probes: 'probe|n',
  probesPassed: 'probe|ok',
} as const;

/** The increments one call or one probe adds to its bucket. */
export function callIncrements(record: CallRecord): BucketCounts {
  const { capability } = record;
  // A breaker or queue refusal is no call: counting it would dilute the vendor's error rate.
  if (!reachedVendor(record.outcome)) return {};
  const increments: BucketCounts = {
    [fields.calls(capability)]: 1,
    [fields.outcome(capability, record.outcome)]: 1,
  };
  if (record.outcome === 'ok') {
    increments[fields.ok(capability)] = 1;
    increments[fields.latencySum(capability)] = Math.round(record.ms);
    increments[fields.latencyCount(capability)] = 1;
    increments[fields.latencyBucket(capability, latencyBucketIndex(record.ms))] = 1;
  }
  if (record.failed) increments[fields.failed(capability)] = 1;
  return increments;
}

export function probeIncrements(outcome: AttemptOutcome): BucketCounts {
  return outcome === 'ok' ? { [fields.probes]: 1, [fields.probesPassed]: 1 } : { [fields.probes]: 1 };
}

export function latencyBucketIndex(ms: number): number {
  const index = latencyBoundsMs.findIndex((bound) => ms <= bound);
  return index === -1 ? latencyBoundsMs.length : index;
}

export function addCounts(into: BucketCounts, from: BucketCounts): void {
  for (const field in from) into[field] = (into[field] ?? 0) + (from[field] as number);
}

/** Adds a bucket's counts to a window's running totals; `sign` -1 takes them out again. */
export function addToTotals(totals: Map<string, number>, counts: BucketCounts, sign: 1 | -1 = 1): void {
  for (const field in counts) totals.set(field, (totals.get(field) ?? 0) + sign * (counts[field] as number));
}

/** Usage hash fields: `<capability>|calls` and `<capability>|cost_micros` (cost in millionths, to add as integers). */
export function usageIncrements(record: CallRecord): BucketCounts {
  if (!isBilled(record.outcome)) return {};
  return { [`${record.capability}|calls`]: 1, [`${record.capability}|cost_micros`]: Math.round(record.cost * 1e6) };
}

/** Outcomes of calls that reached the vendor and count against its quota (and bill). */
export function isBilled(outcome: AttemptOutcome): boolean {
  return !skippedOutcomes.has(outcome) && outcome !== 'aborted' && outcome !== 'network';
}

/** The window a list of bucket counts and today's usage make. */
export function toWindow(buckets: readonly BucketCounts[], usage: BucketCounts): VendorWindow {
  const totals = new Map<string, number>();
  for (const bucket of buckets) addToTotals(totals, bucket);
  return windowOf(totals, usage);
}

/** The window that the totals of its buckets, per field, and today's usage make; a zero total counts nothing. */
export function windowOf(totals: ReadonlyMap<string, number>, usage: BucketCounts): VendorWindow {
  let calls = 0;
  let successes = 0;
  let failures = 0;
  let latencySum = 0;
  let latencyCount = 0;
  const histogram = new Array<number>(latencyBoundsMs.length + 1).fill(0);
  const failuresByOutcome: Partial<Record<AttemptOutcome, number>> = {};
  for (const [field, value] of totals) {
    if (value === 0) continue;
    const what = fieldMeaning(field);
    if (what === 'calls') calls += value;
    else if (what === 'ok') successes += value;
    else if (what === 'failed') failures += value;
    else if (what === 'lat_sum') latencySum += value;
    else if (what === 'lat_n') latencyCount += value;
    else if (typeof what === 'number') histogram[what] = (histogram[what] ?? 0) + value;
    else if (what !== null) failuresByOutcome[what.outcome] = (failuresByOutcome[what.outcome] ?? 0) + value;
  }
  const usageToday: VendorWindow['usageToday'] = {};
  for (const field in usage) {
    const value = usage[field] as number;
    const { capability, what } = usageField(field);
    const entry = (usageToday[capability] ??= { calls: 0, cost: 0 });
    if (what === 'calls') entry.calls += value;
    if (what === 'cost_micros') entry.cost = Math.round((entry.cost + value / 1e6) * 1e6) / 1e6;
  }
  return {
    calls,
    successes,
    failures,
    failuresByOutcome,
    errorRate: calls === 0 ? null : failures / calls,
    latencyMs: {
      mean: latencyCount === 0 ? null : Math.round((latencySum / latencyCount) * 10) / 10,
      p50: histogramQuantile(histogram, 0.5),
      p95: histogramQuantile(histogram, 0.95),
    },
    checks: { total: totals.get(fields.probes) ?? 0, passed: totals.get(fields.probesPassed) ?? 0 },
    usageToday,
  };
}

/** What a bucket field counts towards a window: a total, a histogram bucket's index, a failed outcome, or nothing. */
type FieldMeaning = 'calls' | 'ok' | 'failed' | 'lat_sum' | 'lat_n' | number | { outcome: AttemptOutcome } | null;

/**
 * Field names are few (capabilities × what is counted), and the router reads a window after every call: each name is
 * parsed once. The bound only guards against a shared store full of foreign fields.
 */
const maxRememberedFields = 4_096;

function parsedOnce<T>(parse: (field: string) => T): (field: string) => T {
  const parsed = new Map<string, T>();
  return (field) => {
    let value = parsed.get(field);
    if (value === undefined) {
      value = parse(field);
      if (parsed.size < maxRememberedFields) parsed.set(field, value);
    }
    return value;
  };
}

const fieldMeaning = parsedOnce(parseField);

/** A usage field: `<capability>|calls` or `<capability>|cost_micros`. */
const usageField = parsedOnce((field) => {
  const [capability = '', what = ''] = field.split('|');
  return { capability: capability as Capability, what };
});

function parseField(field: string): FieldMeaning {
  if (field.startsWith('probe|')) return null;
  const [, what = ''] = field.split('|');
  if (what === 'calls' || what === 'ok' || what === 'failed' || what === 'lat_sum' || what === 'lat_n') return what;
  if (what.startsWith('lat_b')) return Number(what.slice(5));
  if (what.startsWith('o:') && what !== 'o:ok') return { outcome: what.slice(2) as AttemptOutcome };
  return null;
}

/**
 * A quantile from the histogram, interpolated linearly inside its bucket (as Prometheus' histogram_quantile does);
 * the open last bucket reports its lower bound.
 */
export function histogramQuantile(histogram: readonly number[], fraction: number): number | null {
  const count = histogram.reduce((sum, value) => sum + value, 0);
  if (count === 0) return null;
  const rank = fraction * count;
  let seen = 0;
  for (const [index, inBucket] of histogram.entries()) {
    if (inBucket === 0 || seen + inBucket < rank) {
      seen += inBucket;
      continue;
    }
    const lower = index === 0 ? 0 : (latencyBoundsMs[index - 1] ?? 0);
    const upper = latencyBoundsMs[index];
    if (upper === undefined) return lower;
    return Math.round((lower + ((upper - lower) * (rank - seen)) / inBucket) * 10) / 10;
  }
  return latencyBoundsMs.at(-1) ?? null;
}

/** The start of the bucket `now` falls in. */
export function bucketStart(now: number, windowMs: number): number {
  const bucketMs = Math.max(1, Math.floor(windowMs / bucketsPerWindow));
  return now - (now % bucketMs);
}

/** The cost, in millionths, in a usage hash (`<capability>|cost_micros` fields). */
export function costMicros(usage: BucketCounts): number {
  let micros = 0;
  for (const [field, value] of Object.entries(usage)) if (field.endsWith('|cost_micros')) micros += value;
  return micros;
}

/** 'YYYY-MM' in UTC, the key of a month's spend. */
export function utcMonth(now: number): string {
  return utcDay(now).slice(0, 7);
}

const dayMs = 86_400_000;
/** The UTC day utcDay last formatted: its first instant and its name. */
let lastDay = { from: -Infinity, day: '' };

/** 'YYYY-MM-DD' in UTC, the key of a day's usage. */
export function utcDay(now: number): string {
  // Asked several times per vendor call: the date is formatted once a day (UTC days are 86 400 000 ms in JS time).
  if (now < lastDay.from || now >= lastDay.from + dayMs) {
    lastDay = { from: Math.floor(now / dayMs) * dayMs, day: new Date(now).toISOString().slice(0, 10) };
  }
  return lastDay.day;
}
