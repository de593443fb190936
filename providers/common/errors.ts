import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/core/index.js';
import { toUtcIso } from './time.js';

/** The kind a bare HTTP status implies, for vendors whose bodies add nothing or for statuses a vendor leaves uncoded. */
export function kindForStatus(status: number): VendorFailureKind | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401) return 'auth';
  if (status === 402 || status === 403) return 'plan';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'bad-request';
}

/**
 * Retry-After as seconds or an HTTP date; also X-Ratelimit-Reset as Unix seconds or as an ISO instant (coinapi sends
 * '2026-01-31T09:30:00.1234567Z'). Returns ms from `now`.
 */
export function retryAfterMs(headers: VendorReply['headers'], now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers['x-ratelimit-reset'];
  if (reset === undefined) return undefined;
  const resetSeconds = Number(reset);
  if (Number.isFinite(resetSeconds)) return resetSeconds > 0 ? Math.max(0, resetSeconds * 1000 - now) : undefined;
  const resetIso = toUtcIso(reset);
  return resetIso === null ? undefined : Math.max(0, Date.parse(resetIso) - now);
}

/** When the vendor sent the reply, by its Date header: the clock a classifier counts from, having none of its own. */
export function replyDateMs(headers: VendorReply['headers']): number | undefined {
  const sentMs = Date.parse(headers['date'] ?? '');
  return Number.isNaN(sentMs) ? undefined : sentMs;
}

const fixedUnitMs = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type UtcUnit = keyof typeof fixedUnitMs | 'month';

/**
 * From the reply's Date header to the next UTC boundary of `unit` (the next minute, 00:00 UTC, the 1st of the month),
 * for quotas that refill on the clock; undefined when the reply carries no readable Date.
 */
export function msUntilNextUtc(unit: UtcUnit, headers: VendorReply['headers']): number | undefined {
  const sentMs = replyDateMs(headers);
  if (sentMs === undefined) return undefined;
  if (unit === 'month') {
    const sent = new Date(sentMs);
    return Date.UTC(sent.getUTCFullYear(), sent.getUTCMonth() + 1, 1) - sentMs;
  }
  const unitMs = fixedUnitMs[unit];
  return unitMs - (sentMs % unitMs);
}

/** What a vendor code may look like to be shown: a short identifier. Anything else is shown as `unrecognizedCode`. */
const safeVendorCode = /^[A-Za-z0-9_.:-]{1,40}$/;
export const unrecognizedCode = 'unrecognized';

/**
 * A vendor code as clients may see it (in `attempts[].detail` and `lastError`): the code itself when it is a short
 * identifier, else `unrecognized`. Codes come from vendor bodies, which may hold anything: a message, markup, a
 * megabyte, or our own request echoed back. Every failure built here passes through it.
 */
export function displayableCode(code: string | undefined): string | undefined {
  if (code === undefined || code === '') return undefined;
  return safeVendorCode.test(code) ? code : unrecognizedCode;
}

/** Builds a VendorFailure from a status and an optional vendor code, adding the reset hint for rate limits. */
export function failureFromStatus(
  reply: VendorReply,
  vendorCode?: string,
  kind = kindForStatus(reply.status),
): VendorFailure | null {
  if (kind === null) return null;
  const code = displayableCode(vendorCode);
  const failure: VendorFailure = {
    kind,
    detail: code ? `HTTP ${reply.status} ${code}` : `HTTP ${reply.status}`,
  };
  if (code) failure.vendorCode = code;
  if (kind === 'rate-limited') {
    const wait = retryAfterMs(reply.headers);
    if (wait !== undefined) failure.retryAfterMs = wait;
  }
  return failure;
}

/** A rate limit whose reply gave no reset hint rests for `waitMs`, the wait the vendor's quota rules imply. */
export function withDefaultWait(failure: VendorFailure | null, waitMs: number): VendorFailure | null {
  if (failure?.kind === 'rate-limited' && failure.retryAfterMs === undefined) failure.retryAfterMs = waitMs;
  return failure;
}

/**
 * For vendors whose error envelope names a code: the code's kind from `kindByCode`, else the status's, else
 * unavailable. `envelope` is null when the body is not the vendor's error envelope; a 2xx is then no failure, while a
 * 2xx carrying the envelope is one. A rate limit without a reset hint rests for `waitFor(code)`.
 */
export function failureFromCode(
  reply: VendorReply,
  envelope: { code?: string | null | undefined } | null,
  kindByCode: Readonly<Record<string, VendorFailureKind>>,
  waitFor: (code: string | undefined) => number,
): VendorFailure | null {
  if (envelope === null && reply.status >= 200 && reply.status < 300) return null;
  const code = envelope?.code ?? undefined;
  const kind =
    (code !== undefined && Object.hasOwn(kindByCode, code) ? kindByCode[code] : undefined) ??
    kindForStatus(reply.status) ??
    'unavailable';
  return withDefaultWait(failureFromStatus(reply, code, kind), waitFor(code));
}
