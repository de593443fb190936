import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyCoinapiFailure } from '../../../providers/coinapi/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyCoinapiFailure(loadReply('coinapi', name));

describe('classifyCoinapiFailure', () => {
  classifierConformance('coinapi', classifyCoinapiFailure);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-30T09:30:00.000Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('maps a 401 to auth', () => {
    expect(classify('error.bad-key')).toEqual({ kind: 'auth', detail: 'HTTP 401' });
  });

  it('maps a 403 for an endpoint outside the plan to plan', () => {
    expect(classify('error.plan')).toEqual({ kind: 'plan', detail: 'HTTP 403' });
  });

  it('maps a 403 for used-up credits to plan', () => {
    expect(classify('error.credits-exhausted')).toEqual({ kind: 'plan', detail: 'HTTP 403' });
  });

  it('maps a 429 with an ISO X-Ratelimit-Reset to rate-limited with retryAfterMs until that instant', () => {
    expect(classify('error.rate-limited')).toEqual({ kind: 'rate-limited', retryAfterMs: 60_500, detail: 'HTTP 429' });
  });

  it('maps a 429 with a Retry-After in seconds to rate-limited with retryAfterMs', () => {
    const reply = { status: 429, headers: { 'retry-after': '7' }, body: { error: 'Too many requests' } };
    expect(classifyCoinapiFailure(reply)).toEqual({ kind: 'rate-limited', retryAfterMs: 7_000, detail: 'HTTP 429' });
  });

  it('maps a 429 with a reset already past to rate-limited with no wait', () => {
    const reply = { status: 429, headers: { 'x-ratelimit-reset': '2026-01-30T09:29:00.0000000Z' }, body: {} };
    expect(classifyCoinapiFailure(reply)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 0 });
  });

  it('maps a 429 without a reset hint to rate-limited with a one-second wait', () => {
    expect(classify('error.rate-limited-no-reset')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 1_000,
      detail: 'HTTP 429',
    });
  });

  it('maps the 550 "no data" for an unknown pair to not-found, not unavailable', () => {
    expect(classify('error.unknown-pair')).toEqual({ kind: 'not-found', detail: 'HTTP 550' });
  });

  it('maps a 400 to bad-request', () => {
    expect(classify('error.bad-request')).toEqual({ kind: 'bad-request', detail: 'HTTP 400' });
  });

  it('maps a 500 to unavailable', () => {
    expect(classify('error.server')).toEqual({ kind: 'unavailable', detail: 'HTTP 500' });
  });

  it('maps a 503 with an HTML body to unavailable', () => {
    expect(classify('error.outage')).toEqual({ kind: 'unavailable', detail: 'HTTP 503' });
  });
});
