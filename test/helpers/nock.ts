import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

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
