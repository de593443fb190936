import { getHeapStatistics } from 'node:v8';

const mebibyte = 2 ** 20;

/**
 * The heap the gateway needs besides its cache: about 40 MiB live after a collection under `npm run bench` (schemas,
 * windows, request state), with room to spare.
 */
export const heapBesidesCacheBytes = 64 * mebibyte;

/**
 * Why `cache.maxBytes` may not fit this process's heap, or undefined when it fits. V8 keeps a JSON string in one byte a
 * character, two when it holds any character beyond Latin-1 (news in Greek or Japanese), so a full cache may take
 * twice its bound. A heap too small for it would end the process when the cache fills, long after start-up.
 */
export function cacheHeapShortfall(
  maxBytes: number,
  heapLimitBytes: number = getHeapStatistics().heap_size_limit,
): string | undefined {
  const neededBytes = heapBesidesCacheBytes + 2 * maxBytes;
  if (neededBytes <= heapLimitBytes) return undefined;
  const mib = (bytes: number) => Math.ceil(bytes / mebibyte);
  return (
    `cache.maxBytes (${mib(maxBytes)} MiB) does not fit the heap: a full cache needs up to ${mib(neededBytes)} MiB ` +
    `and node allows ${mib(heapLimitBytes)} MiB; raise --max-old-space-size (e.g. in NODE_OPTIONS) or lower ` +
    'cache.maxBytes'
  );
}
