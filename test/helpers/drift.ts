import type nock from 'nock';
import type { VendorReply } from '../../src/core/index.js';
import { loadReply } from './fixtures.js';

/**
 * A vendor's schema change as a test payload: the same body with every object key renamed at every depth
 * (`{"results":[{"c":1}]}` → `{"x_results":[{"x_c":1}]}`). Values, array order and nesting stay as they were, so
 * nothing but the field names tells it from the recorded answer.
 */
export function renameKeys(body: unknown, rename: (key: string) => string = (key) => `x_${key}`): unknown {
  if (Array.isArray(body)) return body.map((item) => renameKeys(item, rename));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [rename(key), renameKeys(value, rename)]));
  }
  return body;
}

/** How many object keys a body holds at any depth: 0 for `{}`, `[]` or rows of bare numbers (coingecko's /ohlc). */
export function keyCount(body: unknown): number {
  if (Array.isArray(body)) return body.reduce((sum: number, item) => sum + keyCount(item), 0);
  if (typeof body === 'object' && body !== null) {
    return Object.values(body).reduce((sum: number, value) => sum + 1 + keyCount(value), 0);
  }
  return 0;
}

/** A recorded reply whose body drifted (every key renamed); its status and headers stay as recorded. */
export function driftedReply(vendor: string, fixture: string): VendorReply {
  const reply = loadReply(vendor, fixture);
  return { ...reply, body: renameKeys(reply.body) };
}

/** Answers `interceptor` with a recorded fixture whose keys all drifted (see renameKeys), status and headers as is. */
export function replyWithDrift(interceptor: nock.Interceptor, vendor: string, fixture: string): nock.Scope {
  const reply = driftedReply(vendor, fixture);
  const headers = Object.fromEntries(
    Object.entries(reply.headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return interceptor.reply(reply.status, reply.body as nock.Body, headers);
}
