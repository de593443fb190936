import { resultSchemas, type Capability } from '../core/index.js';
import type { AttemptRecord } from '../core/outcomes.js';
import { strongEtag } from './http-caching.js';

/**
 * One cached answer. It keeps only the answer's JSON, which is what a response carries: the decoded object would
 * double what each entry holds, and so the heap `cache.maxBytes` needs (docs/operations.md#memory).
 */
export interface CacheEntry {
  /** The answer as its capability's model encodes it, as JSON; the in-process bound counts its length. */
  json: string;
  /** The strong ETag of `json`, made once as the entry is stored, for every response that sends it. */
  etag: string;
  /** The vendor that gave it. */
  provider: string;
  /** When the answer arrived, on the cache's clock (epoch ms, so instances sharing Redis agree on ages). */
  storedAt: number;
  /** How long it is fresh from `storedAt`. */
  ttlMs: number;
  /** A vendor call by this instance, a copy from Redis, or a copy another instance fetched while this one waited. */
  source: 'vendor' | 'redis' | 'peer';
  /** How the vendor call went (empty for a copy from Redis); told to the requests that waited for it. */
  attempts: AttemptRecord[];
  /** Fresh for longer than the usual TTL because its market was closed when it arrived (meta.marketClosed). */
  marketClosed: boolean;
}

/**
 * The largest answer one entry may hold, in JSON characters: an eighth of `cache.maxBytes`, so no answer can crowd out
 * most of the cache. lru-cache applies it in process, the Redis layer on write and on read.
 */
export function maxEntryChars(maxBytes: number): number {
  return Math.max(1, Math.floor(maxBytes / 8));
}

/** An answer that breaks its capability's model: an adapter bug, answered 500 (as the response serializer would). */
export class InvalidAnswerError extends Error {
  override readonly name = 'InvalidAnswerError';
}

/**
 * Checks an answer against its model once, as it enters the cache, and keeps its JSON: every response served from the
 * entry reuses it instead of validating and serializing the same data again. The models are plain JSON shapes (no
 * codecs), so parsing is the check, and it keeps only the model's fields; zod compiles an object's parse, not its
 * encode: on Node 20 a quote checks in 0.2 µs instead of 2.2, 500 candles in 53 instead of 197 (docs/libraries.md#zod).
 */
export function entryFrom(
  capability: Capability,
  answer: { data: unknown; provider: string; attempts: AttemptRecord[] },
  ttlMs: number,
  storedAt: number,
  source: CacheEntry['source'] = 'vendor',
  marketClosed = false,
): CacheEntry {
  const checked = resultSchemas[capability].safeParse(answer.data);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InvalidAnswerError(`${capability} answer breaks its model at ${issue?.path.join('.') ?? '(root)'}`);
  }
  const json = JSON.stringify(checked.data);
  return {
    json,
    etag: strongEtag(json),
    provider: answer.provider,
    storedAt,
    ttlMs,
    source,
    attempts: answer.attempts,
    marketClosed,
  };
}

/** The newer of two copies, for the last good answer to fall back on. */
export function newer(a: CacheEntry | undefined, b: CacheEntry | undefined): CacheEntry | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.storedAt > a.storedAt ? b : a;
}
