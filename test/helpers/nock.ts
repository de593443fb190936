import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadReply } from './fixtures.js';

const loopback = (host: string) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);

/** No real network in tests: only loopback passes, and every interceptor a test sets up must be used. */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(loopback);
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'unused nock interceptors').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
    nock.activate();
  });
}

/** Answers `interceptor` with a recorded fixture: its status, its headers (with `headers` on top) and its body. */
export function replyWithFixture(
  interceptor: nock.Interceptor,
  vendor: string,
  fixture: string,
  headers: Record<string, string> = {},
): nock.Scope {
  const reply = loadReply(vendor, fixture);
  const recorded = Object.fromEntries(
    Object.entries(reply.headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return interceptor.reply(reply.status, reply.body as nock.Body, { ...recorded, ...headers });
}
