import { LRUCache } from 'lru-cache';
import { GatewayError } from '../core/errors.js';
import { skippedOutcomes } from '../core/outcomes.js';

/**
 * Who may be answered from a remembered "unknown": `agreed` came from the 404 rule (two vendors, or every vendor
 * called, said not-found) and answers any request for the key; `watchlist` came from one vendor's batch answer leaving
 * the symbol out, which answers only watchlists (a single quote still asks a second vendor).
 */
export type NotFoundScope = 'agreed' | 'watchlist';

interface Remembered {
  detail: string;
  scope: NotFoundScope;
}

/** Most unknown keys kept: a typo costs a key and a short detail, so this bounds the memory to a few MB. */
const maxRemembered = 10_000;

/**
 * A GW_NOT_FOUND the vendors agreed on: two not-found answers, or not-found from every vendor called. The router also
 * answers 404 when one vendor said not-found and the others failed (docs/decisions.md#404-needs-two-vendors-to-agree);
 * such a 404 may be an outage's, so it is not remembered.
 */
export function isAgreedNotFound(error: unknown): error is GatewayError {
  if (!(error instanceof GatewayError) || error.code !== 'GW_NOT_FOUND') return false;
  // Vendors passed over without a call neither agree nor disagree that the subject exists.
  const called = error.attempts.filter((attempt) => !skippedOutcomes.has(attempt.outcome));
  const notFound = called.filter((attempt) => attempt.outcome === 'not-found').length;
  return notFound >= 2 || (notFound >= 1 && notFound === called.length);
}

/**
 * Unknown symbols remembered for `cache.notFoundTtlMs` (docs/configuration.md#caching), in this process only: a
 * watchlist of typos asked again and again answers 404 (or `missing`) without spending vendor quota on each ask.
 */
export class NotFoundMemory {
  private readonly entries: LRUCache<string, Remembered> | undefined;

  constructor(ttlMs: number, maxEntries: number, now: () => number) {
    this.entries =
      ttlMs > 0
        ? new LRUCache<string, Remembered>({
            max: Math.max(1, Math.min(maxEntries, maxRemembered)),
            ttl: ttlMs,
            ttlResolution: 0,
            perf: { now },
          })
        : undefined;
  }

  remember(key: string, detail: string, scope: NotFoundScope): void {
    // An agreed 404 is never narrowed to a watchlist's.
    if (scope === 'watchlist' && this.entries?.get(key)?.scope === 'agreed') return;
    this.entries?.set(key, { detail, scope });
  }

  /** The remembered 404 for a request of `scope` (`watchlist` also takes `agreed` ones), as the error to answer. */
  recall(key: string, scope: NotFoundScope): GatewayError | undefined {
    const entry = this.entries?.get(key);
    if (!entry || (scope === 'agreed' && entry.scope !== 'agreed')) return undefined;
    return new GatewayError('GW_NOT_FOUND', `${entry.detail} (remembered)`);
  }

  forget(key: string): void {
    this.entries?.delete(key);
  }
}
