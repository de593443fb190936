import { describe, expect, it } from 'vitest';
import { classifyGnewsFailure } from '../../../providers/gnews/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyGnewsFailure(loadReply('gnews', name));

describe('classifyGnewsFailure', () => {
  classifierConformance('gnews', classifyGnewsFailure);

  it('maps an invalid key to auth', () => {
    expect(classify('error.bad-key')).toEqual({ kind: 'auth', detail: 'HTTP 401' });
  });

  it('maps a missing key to auth', () => {
    expect(classify('error.missing-key')).toEqual({ kind: 'auth', detail: 'HTTP 401' });
  });

  it('maps a 403 to rate-limited until the next 00:00 UTC, read from the Date header', () => {
    expect(classify('error.daily-quota')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 43_200_000,
      detail: 'HTTP 403 daily quota used',
    });
  });

  it('maps a 403 to rate-limited rather than plan, since gnews sends 403 only for the used daily quota', () => {
    expect(classify('error.daily-quota')?.kind).toBe('rate-limited');
  });

  it('rests an hour after a 403 without a Date header', () => {
    expect(classify('error.daily-quota-no-date')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 3_600_000,
      detail: 'HTTP 403 daily quota used',
    });
  });

  it('counts to midnight from the Date header at any hour', () => {
    const reply = { status: 403, headers: { date: 'Tue, 24 Nov 2026 23:59:30 GMT' }, body: { errors: ['quota'] } };
    expect(classifyGnewsFailure(reply)?.retryAfterMs).toBe(30_000);
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.too-many-requests-retry-after')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 2_000,
      detail: 'HTTP 429',
    });
  });

  it('maps a 429 without a reset hint to rate-limited for one second', () => {
    expect(classify('error.too-many-requests')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 1_000,
      detail: 'HTTP 429',
    });
  });

  it('names the rejected parameter of a per-parameter 400', () => {
    expect(classify('error.query-required')).toEqual({ kind: 'bad-request', detail: 'HTTP 400 invalid q' });
    expect(classify('error.query-syntax')).toEqual({ kind: 'bad-request', detail: 'HTTP 400 invalid q' });
  });

  it('maps a general 400 to bad-request', () => {
    expect(classify('error.bad-language')).toEqual({ kind: 'bad-request', detail: 'HTTP 400' });
  });

  it('maps a 500 and a 503 to unavailable', () => {
    expect(classify('error.server')).toEqual({ kind: 'unavailable', detail: 'HTTP 500' });
    expect(classify('error.maintenance')).toEqual({ kind: 'unavailable', detail: 'HTTP 503' });
  });

  it('maps a non-JSON 502 from a proxy to unavailable', () => {
    expect(classify('error.bad-gateway')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('ignores a parameter name that is not a plain identifier', () => {
    const reply = { status: 400, headers: {}, body: { errors: { 'see https://x': 'bad' } } };
    expect(classifyGnewsFailure(reply)).toEqual({ kind: 'bad-request', detail: 'HTTP 400' });
  });
});
