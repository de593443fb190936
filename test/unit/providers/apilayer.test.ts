import { describe, expect, it } from 'vitest';
import { classifyApilayerFailure } from '../../../providers/common/apilayer.js';

const waits = { rateLimitMs: 1_000, usageLimitMs: 3_600_000 };
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body });
const errorBody = (code: string) => ({ error: { code, message: 'ignored text' } });

describe('classifyApilayerFailure', () => {
  it('returns null for a success body', () => {
    expect(classifyApilayerFailure(reply(200, { data: [] }), waits)).toBeNull();
  });

  it('reads the code even when the status is 200', () => {
    expect(classifyApilayerFailure(reply(200, errorBody('invalid_access_key')), waits)).toEqual({
      kind: 'auth',
      vendorCode: 'invalid_access_key',
      detail: 'HTTP 200 invalid_access_key',
    });
  });

  it('maps plan, not-found and validation codes', () => {
    expect(classifyApilayerFailure(reply(403, errorBody('function_access_restricted')), waits)?.kind).toBe('plan');
    expect(classifyApilayerFailure(reply(422, errorBody('no_valid_symbols_provided')), waits)?.kind).toBe('not-found');
    expect(classifyApilayerFailure(reply(422, errorBody('validation_error')), waits)?.kind).toBe('bad-request');
  });

  it('rests a per-second limit briefly and a usage limit long, unless Retry-After says otherwise', () => {
    expect(classifyApilayerFailure(reply(429, errorBody('rate_limit_reached')), waits)?.retryAfterMs).toBe(1_000);
    expect(classifyApilayerFailure(reply(429, errorBody('usage_limit_reached')), waits)?.retryAfterMs).toBe(3_600_000);
    expect(
      classifyApilayerFailure(reply(429, errorBody('rate_limit_reached'), { 'retry-after': '7' }), waits)?.retryAfterMs,
    ).toBe(7_000);
  });

  it('rests the long wait for every code a vendor names as its spent volume', () => {
    const marketstackWaits = { ...waits, usageLimitCodes: ['usage_limit_reached', 'too_many_requests'] };
    expect(classifyApilayerFailure(reply(429, errorBody('too_many_requests')), waits)?.retryAfterMs).toBe(1_000);
    expect(classifyApilayerFailure(reply(429, errorBody('too_many_requests')), marketstackWaits)?.retryAfterMs).toBe(
      3_600_000,
    );
    expect(classifyApilayerFailure(reply(429, errorBody('usage_limit_reached')), marketstackWaits)?.retryAfterMs).toBe(
      3_600_000,
    );
  });

  it('reads a numeric code by its text', () => {
    expect(classifyApilayerFailure(reply(500, { error: { code: 500 } }), waits)).toEqual({
      kind: 'unavailable',
      vendorCode: '500',
      detail: 'HTTP 500 500',
    });
  });

  it('falls back to the status for unknown codes and bodies', () => {
    expect(classifyApilayerFailure(reply(500, 'Internal Server Error'), waits)?.kind).toBe('unavailable');
    expect(classifyApilayerFailure(reply(404, errorBody('something_new')), waits)?.kind).toBe('not-found');
  });
});
