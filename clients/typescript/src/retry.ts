import { retryAfterSeconds } from './problem.js';

/** The one retry the client makes by itself: a 503 whose Retry-After says a vendor is back soon. */
export interface RetryOptions {
  /** Retries after the first call; 0 turns retrying off. */
  attempts: number;
  /** A Retry-After longer than this is returned to the caller instead of waited for. */
  maxWaitSeconds: number;
}

/** fetch as openapi-fetch calls it: with a Request. */
export type RequestFetch = (request: Request) => Promise<Response>;

export const defaultRetry: RetryOptions = { attempts: 1, maxWaitSeconds: 5 };

/**
 * Wraps fetch so a 503 with Retry-After is asked again after the wait, at most `attempts` times. Nothing else is
 * retried: a 502 or 504 already had the gateway fail over between vendors, a 429 is this client's own limit, and a
 * 503 without Retry-After (no vendor enabled) will not change by waiting.
 */
export function fetchRetrying503(fetchImpl: RequestFetch, retry: RetryOptions): RequestFetch {
  return async (request) => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetchImpl(request.clone());
      const waitSeconds = response.status === 503 ? retryAfterSeconds(response) : undefined;
      if (waitSeconds === undefined || attempt >= retry.attempts || waitSeconds > retry.maxWaitSeconds) return response;
      await response.body?.cancel();
      await sleep(waitSeconds * 1000, request.signal);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}
