import { describe, expect, it } from 'vitest';
import { freshnessDirectives, noneMatch, strongEtag } from '../../../src/cache/http-caching.js';

const storedAt = 1_000_000;
const ttlMs = 10_000;
const staleIfErrorMs = 60_000;

describe('Cache-Control freshness directives', () => {
  it.each([
    // [ms since stored, max-age, stale-while-revalidate, stale-if-error]
    [0, 10, 10, 50],
    [2_500, 7, 10, 50],
    [9_999, 0, 10, 50],
    [10_000, 0, 10, 50],
    [14_000, 0, 6, 46],
    [25_000, 0, 0, 35],
    [70_000, 0, 0, 0],
  ])('%i ms after storing: max-age %i, stale-while-revalidate %i, stale-if-error %i', (age, maxAge, swr, sie) => {
    expect(freshnessDirectives({ storedAt, ttlMs }, staleIfErrorMs, storedAt + age)).toBe(
      `max-age=${maxAge}, stale-while-revalidate=${swr}, stale-if-error=${sie}`,
    );
  });

  it('never tells more stale-if-error than configured, even when it is shorter than the TTL', () => {
    expect(freshnessDirectives({ storedAt, ttlMs }, 0, storedAt)).toBe(
      'max-age=10, stale-while-revalidate=10, stale-if-error=0',
    );
  });
});

describe('ETag and If-None-Match', () => {
  it('gives equal data one strong tag and different data another', () => {
    const tag = strongEtag('{"price":1}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag('{"price":1}')).toBe(tag);
    expect(strongEtag('{"price":2}')).not.toBe(tag);
  });

  it.each([
    ['the tag itself', '"abc"', true],
    ['the tag in a list', '"x", "abc" ,"y"', true],
    ['the weak form of the tag (weak comparison)', 'W/"abc"', true],
    ['a wildcard', '*', true],
    ['another tag', '"abd"', false],
    ['the tag unquoted', 'abc', false],
    ['no header', undefined, false],
  ])('matches %s: %s', (_name, header, expected) => {
    expect(noneMatch(header, '"abc"')).toBe(expected);
  });
});
