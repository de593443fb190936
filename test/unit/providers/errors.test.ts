import { describe, expect, it } from 'vitest';
import type { VendorFailureKind } from '../../../src/core/index.js';
import { providers } from '../../../providers/index.js';
import {
  displayableCode,
  failureFromCode,
  failureFromStatus,
  msUntilNextUtc,
  replyDateMs,
  retryAfterMs,
  withDefaultWait,
} from '../../../providers/common/errors.js';

const now = Date.parse('2026-01-30T09:30:00.000Z');
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body });

describe('retryAfterMs', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7_000);
    expect(retryAfterMs({ 'retry-after': 'Fri, 30 Jan 2026 09:31:00 GMT' }, now)).toBe(60_000);
  });

  it('reads X-Ratelimit-Reset as Unix seconds', () => {
    expect(retryAfterMs({ 'x-ratelimit-reset': String(now / 1000 + 30) }, now)).toBe(30_000);
  });

  it('reads X-Ratelimit-Reset as an ISO instant with more than three fractional digits', () => {
    expect(retryAfterMs({ 'x-ratelimit-reset': '2026-01-30T09:31:00.5000000Z' }, now)).toBe(60_500);
    expect(retryAfterMs({ 'x-ratelimit-reset': '2026-01-30T09:29:00.0000000Z' }, now)).toBe(0);
  });

  it('gives no wait for a missing, zero or unreadable hint', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'x-ratelimit-reset': '0' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'x-ratelimit-reset': 'soon' }, now)).toBeUndefined();
  });
});

describe('msUntilNextUtc', () => {
  const sentAt = { date: 'Tue, 24 Nov 2026 23:59:30 GMT' };

  it('counts from the reply Date to the next boundary of each unit', () => {
    expect(msUntilNextUtc('second', sentAt)).toBe(1_000);
    expect(msUntilNextUtc('minute', sentAt)).toBe(30_000);
    expect(msUntilNextUtc('hour', sentAt)).toBe(30_000);
    expect(msUntilNextUtc('day', sentAt)).toBe(30_000);
    expect(msUntilNextUtc('day', { date: 'Tue, 24 Nov 2026 18:00:00 GMT' })).toBe(6 * 3_600_000);
  });

  it('runs to the 1st of the next calendar month', () => {
    expect(msUntilNextUtc('month', { date: 'Sat, 31 Jan 2026 12:00:00 GMT' })).toBe(12 * 3_600_000);
    expect(msUntilNextUtc('month', { date: 'Tue, 01 Dec 2026 00:00:00 GMT' })).toBe(31 * 86_400_000);
  });

  it('is undefined without a readable Date header', () => {
    expect(msUntilNextUtc('minute', {})).toBeUndefined();
    expect(replyDateMs({ date: 'yesterday' })).toBeUndefined();
  });
});

describe('withDefaultWait', () => {
  it('fills the wait of a rate limit the reply gave no hint for, and leaves everything else alone', () => {
    expect(withDefaultWait({ kind: 'rate-limited', detail: 'HTTP 429' }, 5_000)).toEqual({
      kind: 'rate-limited',
      detail: 'HTTP 429',
      retryAfterMs: 5_000,
    });
    expect(withDefaultWait({ kind: 'rate-limited', detail: 'HTTP 429', retryAfterMs: 7 }, 5_000)?.retryAfterMs).toBe(7);
    expect(withDefaultWait({ kind: 'auth', detail: 'HTTP 401' }, 5_000)).toEqual({ kind: 'auth', detail: 'HTTP 401' });
    expect(withDefaultWait(null, 5_000)).toBeNull();
  });
});

describe('failureFromCode', () => {
  const kindByCode: Record<string, VendorFailureKind> = { bad_key: 'auth', slow_down: 'rate-limited' };
  const waitFor = (code: string | undefined) => (code === 'slow_down' ? 1_000 : 60_000);

  it('is no failure for a 2xx without the error envelope, but is one for a 2xx carrying it', () => {
    expect(failureFromCode(reply(200, { data: [] }), null, kindByCode, waitFor)).toBeNull();
    expect(failureFromCode(reply(200, {}), { code: 'bad_key' }, kindByCode, waitFor)).toEqual({
      kind: 'auth',
      vendorCode: 'bad_key',
      detail: 'HTTP 200 bad_key',
    });
    expect(failureFromCode(reply(200, {}), { code: null }, kindByCode, waitFor)).toEqual({
      kind: 'unavailable',
      detail: 'HTTP 200',
    });
  });

  it('falls back to the status for an unknown code or no envelope', () => {
    expect(failureFromCode(reply(404, {}), { code: 'new_code' }, kindByCode, waitFor)?.kind).toBe('not-found');
    expect(failureFromCode(reply(502, '<html>'), null, kindByCode, waitFor)).toEqual({
      kind: 'unavailable',
      detail: 'HTTP 502',
    });
  });

  it("rests a rate limit for the code's wait unless the reply names one", () => {
    expect(failureFromCode(reply(429, {}), { code: 'slow_down' }, kindByCode, waitFor)?.retryAfterMs).toBe(1_000);
    expect(failureFromCode(reply(429, {}), null, kindByCode, waitFor)?.retryAfterMs).toBe(60_000);
    const withHint = reply(429, {}, { 'retry-after': '3' });
    expect(failureFromCode(withHint, { code: 'slow_down' }, kindByCode, waitFor)?.retryAfterMs).toBe(3_000);
  });
});

/** Codes no client should see: long, multi-line, markup, a key echoed back, non-ASCII, spaces, path-like. */
const hostileCodes = [
  'x'.repeat(10_000),
  'a'.repeat(41),
  'bad_key\nX-Injected: yes',
  '<script>alert(1)</script>',
  'apikey=SECRET-123',
  'invalid api key SECRET-123',
  'ungültig',
  '../../etc',
  '\u0000',
];

describe('displayableCode', () => {
  it('keeps a short identifier and turns anything else into "unrecognized"', () => {
    for (const code of [
      'bad_key',
      'invalid_access_key',
      '10005',
      '2:fsym',
      'NOT_AUTHORIZED',
      'a.b-c',
      'a'.repeat(40),
    ]) {
      expect(displayableCode(code)).toBe(code);
    }
    for (const code of hostileCodes) expect(displayableCode(code)).toBe('unrecognized');
    expect(displayableCode('')).toBeUndefined();
    expect(displayableCode(undefined)).toBeUndefined();
  });

  it('is what failureFromStatus and failureFromCode put in detail and vendorCode', () => {
    expect(failureFromStatus(reply(400, {}), 'x'.repeat(500))).toEqual({
      kind: 'bad-request',
      vendorCode: 'unrecognized',
      detail: 'HTTP 400 unrecognized',
    });
    const failure = failureFromCode(reply(401, {}), { code: '<b>bad key</b>' }, {}, () => 1_000);
    expect(failure).toEqual({ kind: 'auth', vendorCode: 'unrecognized', detail: 'HTTP 401 unrecognized' });
  });
});

describe('every adapter, on error bodies carrying hostile codes', () => {
  /** Each vendor's error envelope shapes (docs/vendors.md, "Errors"), with `code` where the vendor puts its code. */
  const envelopes = (code: string): unknown[] => [
    { status: { error_code: code } },
    { error: { status: { error_code: code } } },
    { Response: 'Error', Type: 2, ParamWithError: code },
    { error: { code } },
    { error: { code, message: code } },
    { status: 'error', code, message: code },
    { status: code, error: code, message: code },
    { errors: { [code]: code } },
    { errors: [code] },
    { error: code },
    code,
  ];
  const statuses = [200, 400, 401, 402, 403, 404, 422, 426, 429, 500, 550];

  it('puts only HTTP status and short identifiers in detail and vendorCode', () => {
    let failures = 0;
    for (const adapter of providers) {
      for (const code of hostileCodes) {
        for (const body of envelopes(code)) {
          for (const status of statuses) {
            const failure = adapter.classifyFailure(reply(status, body));
            if (!failure) continue;
            failures += 1;
            const where = `${adapter.name} ${status} ${JSON.stringify(body).slice(0, 80)}`;
            expect(failure.detail, where).toMatch(/^HTTP \d{3}( [A-Za-z0-9_.:-]{1,40})*$|^HTTP \d{3} [a-z ]{1,40}$/);
            expect(failure.detail.length, where).toBeLessThanOrEqual(60);
            if (failure.vendorCode !== undefined) expect(failure.vendorCode, where).toMatch(/^[A-Za-z0-9_.:-]{1,40}$/);
          }
        }
      }
    }
    // Every adapter classified many of these as failures: the loop checked something.
    expect(failures).toBeGreaterThan(providers.length * hostileCodes.length * 20);
  });
});
