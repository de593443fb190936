import type { VendorFailure, VendorFailureKind, VendorReply } from '../../src/contract/index.js';

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

/** Retry-After as seconds or an HTTP date; also X-Ratelimit-Reset as Unix seconds. Returns ms from `now`. */
export function retryAfterMs(headers: VendorReply['headers'], now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

/** Builds a VendorFailure from a status and an optional vendor code, adding the reset hint for rate limits. */
export function failureFromStatus(
  reply: VendorReply,
  vendorCode?: string,
  kind = kindForStatus(reply.status),
): VendorFailure | null {
  if (kind === null) return null;
  const failure: VendorFailure = {
    kind,
    detail: vendorCode ? `HTTP ${reply.status} ${vendorCode}` : `HTTP ${reply.status}`,
  };
  if (vendorCode) failure.vendorCode = vendorCode;
  if (kind === 'rate-limited') {
    const wait = retryAfterMs(reply.headers);
    if (wait !== undefined) failure.retryAfterMs = wait;
  }
  return failure;
}
