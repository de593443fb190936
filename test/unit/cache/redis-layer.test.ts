import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../src/cache/entry.js';
import { parseEntry, RedisCacheLayer } from '../../../src/cache/redis-layer.js';
import { ResponseCache, type CacheSource } from '../../../src/cache/response-cache.js';
import { cacheSchema } from '../../../src/config/schema.js';
import type { RedisConnections } from '../../../src/store/redis.js';
import { usdQuote } from '../../helpers/quotes.js';

const now = Date.parse('2026-11-25T15:00:00Z');

const quote = usdQuote;

/** A copy as some writer put it in Redis: any provider, storedAt and ttlMs, any data. */
const stored = (
  fields: { storedAt?: unknown; ttlMs?: unknown; data?: unknown; provider?: unknown; marketClosed?: unknown } = {},
) => JSON.stringify({ provider: 'polygon', storedAt: now - 1_000, ttlMs: 5_000, data: quote('AAPL'), ...fields });

/** An entry as this instance stores it after a vendor call, holding `json`. */
const vendorEntry = (json: string): CacheEntry => ({
  json,
  etag: '"e"',
  provider: 'polygon',
  storedAt: now,
  ttlMs: 5_000,
  source: 'vendor',
  attempts: [],
  marketClosed: false,
});

/** Just enough of the ioredis client for the cache layer: GET, MGET and SET on a Map; pub/sub that never fires. */
function fakeRedis() {
  const values = new Map<string, string>();
  const writes: { key: string; value: string; retainMs: number }[] = [];
  const command = {
    get: async (key: string) => values.get(key) ?? null,
    mget: async (keys: string[]) => keys.map((key) => values.get(key) ?? null),
    set: async (key: string, value: string, _px: 'PX', retainMs: number, nx?: 'NX') => {
      // SET NX is the cross-instance fetch lock, not a cached copy.
      if (nx) return values.has(key) ? null : (values.set(key, value), 'OK');
      writes.push({ key, value, retainMs });
      values.set(key, value);
      return 'OK';
    },
    eval: async () => 1,
    publish: async () => 0,
  };
  const subscriber = { on: () => subscriber, subscribe: async () => 1 };
  const connections = { command, subscriber, cluster: false, isReady: () => true } as unknown as RedisConnections;
  return { connections, values, writes };
}

const bounds = { now, maxTtlMs: 5_000, maxEntryChars: 10_000 };

describe('copies read back from Redis (parseEntry)', () => {
  it('keeps whether the copy was fresh because its market was closed, and nothing else for it', () => {
    expect(parseEntry('stock-quote', stored({ marketClosed: true }), bounds)?.marketClosed).toBe(true);
    expect(parseEntry('stock-quote', stored({ marketClosed: 'yes' }), bounds)?.marketClosed).toBe(false);
    expect(parseEntry('stock-quote', stored(), bounds)?.marketClosed).toBe(false);
  });

  it('writes marketClosed only for a copy that has it', () => {
    const redis = fakeRedis();
    const layer = new RedisCacheLayer(redis.connections, 'mdg', { maxEntryChars: 10_000, now: () => now });
    const json = JSON.stringify(quote('AAPL'));
    layer.write('open', vendorEntry(json), 10_000);
    layer.write('closed', { ...vendorEntry(json), marketClosed: true }, 10_000);
    const [open, closed] = redis.writes.map((write) => JSON.parse(write.value) as { marketClosed?: boolean });
    expect(open?.marketClosed).toBeUndefined();
    expect(closed?.marketClosed).toBe(true);
  });

  it('takes a well-formed copy as it was stored', () => {
    expect(parseEntry('stock-quote', stored(), bounds)).toMatchObject({
      provider: 'polygon',
      storedAt: now - 1_000,
      ttlMs: 5_000,
      source: 'redis',
      json: JSON.stringify(quote('AAPL')),
    });
  });

  it('drops a copy stored in the future, by a clock that runs ahead or by a forger, however little', () => {
    expect(parseEntry('stock-quote', stored({ storedAt: now + 1 }), bounds)).toBeUndefined();
    expect(parseEntry('stock-quote', stored({ storedAt: now + 86_400_000 * 365 }), bounds)).toBeUndefined();
    expect(parseEntry('stock-quote', stored({ storedAt: now }), bounds)).toBeDefined();
  });

  it("cuts a copy's TTL to this instance's TTL for the key", () => {
    expect(parseEntry('stock-quote', stored({ ttlMs: 86_400_000 }), bounds)?.ttlMs).toBe(5_000);
    expect(parseEntry('stock-quote', stored({ ttlMs: 2_000 }), bounds)?.ttlMs).toBe(2_000);
  });

  it('drops copies whose times are not durations or instants', () => {
    for (const fields of [
      { ttlMs: -1 },
      { ttlMs: '5000' },
      { ttlMs: null },
      { storedAt: '2026-11-25' },
      { storedAt: null },
      { provider: 7 },
    ]) {
      expect(parseEntry('stock-quote', stored(fields), bounds), JSON.stringify(fields)).toBeUndefined();
    }
    expect(parseEntry('stock-quote', 'not json', bounds)).toBeUndefined();
    // JSON numbers too large for a double parse as Infinity.
    const infinite = stored({ ttlMs: 5_000 }).replace('"ttlMs":5000', '"ttlMs":1e400');
    expect(parseEntry('stock-quote', infinite, bounds)).toBeUndefined();
    expect(parseEntry('stock-quote', stored({ data: { symbol: 'AAPL' } }), bounds)).toBeUndefined();
  });

  it('drops a copy larger than the per-entry bound, before parsing it when the text alone is too long', () => {
    const json = JSON.stringify(quote('AAPL'));
    expect(parseEntry('stock-quote', stored(), { ...bounds, maxEntryChars: json.length })).toBeDefined();
    expect(parseEntry('stock-quote', stored(), { ...bounds, maxEntryChars: json.length - 1 })).toBeUndefined();
    const huge = stored({ data: { ...quote('AAPL'), padding: 'x'.repeat(100_000) } });
    expect(parseEntry('stock-quote', huge, bounds)).toBeUndefined();
  });
});

describe('RedisCacheLayer', () => {
  it('reads every key in one MGET and applies the bounds to each', async () => {
    const redis = fakeRedis();
    const layer = new RedisCacheLayer(redis.connections, 'mdg', { maxEntryChars: 10_000, now: () => now });
    redis.values.set('mdg:cache:a', stored());
    redis.values.set('mdg:cache:b', stored({ storedAt: now + 60_000 }));
    redis.values.set('mdg:cache:c', stored({ ttlMs: 600_000 }));
    const [a, b, c, d] = await layer.read('stock-quote', ['a', 'b', 'c', 'd'], 5_000);
    expect(a?.ttlMs).toBe(5_000);
    expect(b).toBeUndefined();
    expect(c?.ttlMs).toBe(5_000);
    expect(d).toBeUndefined();
  });

  it('does not write an answer over the per-entry bound', () => {
    const redis = fakeRedis();
    const json = JSON.stringify(quote('AAPL'));
    const layer = new RedisCacheLayer(redis.connections, 'mdg', { maxEntryChars: json.length, now: () => now });
    layer.write('small', vendorEntry(json), 10_000);
    layer.write('large', vendorEntry(`${json} `), 10_000);
    expect(redis.writes.map((write) => write.key)).toEqual(['mdg:cache:small']);
  });
});

describe('the response cache over a Redis it cannot trust', () => {
  // Through the schema, so whatever the cache block gains has its default here too.
  const configWith = (maxBytes: number) =>
    cacheSchema.parse({ maxEntries: 100, maxBytes, ttlMs: { 'stock-quote': 5_000 }, staleIfErrorMs: 60_000 });

  function setup(maxBytes = 8_000) {
    const redis = fakeRedis();
    const clock = { now };
    let vendorCalls = 0;
    const source: CacheSource<null> = {
      load: async (_capability, query) => {
        vendorCalls += 1;
        return { data: quote((query as { symbol: string }).symbol, 200) as never, provider: 'finnhub', attempts: [] };
      },
      loadQuotes: async () => {
        throw new Error('not used');
      },
      backgroundRoute: () => null,
      batches: () => false,
    };
    const cache = new ResponseCache(configWith(maxBytes), source, {
      redis: redis.connections,
      keyPrefix: 'mdg',
      now: () => clock.now,
    });
    const ask = () =>
      cache.serve(
        'stock-quote',
        { symbol: 'AAPL' },
        { route: null, noCache: false, clientSignal: () => new AbortController().signal },
      );
    return { redis, clock, ask, vendorCalls: () => vendorCalls };
  }

  it('calls the vendors rather than serve a copy dated in the future as a hit', async () => {
    const { redis, ask, vendorCalls } = setup();
    redis.values.set('mdg:cache:stock-quote?symbol=AAPL', stored({ storedAt: now + 3_600_000, ttlMs: 3_600_000 }));
    const answer = await ask();
    expect(answer.cache).toBe('miss');
    expect(answer.provider).toBe('finnhub');
    expect(vendorCalls()).toBe(1);
  });

  it('serves a copy with a day-long TTL as fresh for the configured 5 s only', async () => {
    const { redis, clock, ask, vendorCalls } = setup();
    redis.values.set('mdg:cache:stock-quote?symbol=AAPL', stored({ storedAt: now, ttlMs: 86_400_000 }));
    expect((await ask()).cache).toBe('hit');
    expect(vendorCalls()).toBe(0);
    clock.now += 5_001;
    // Stale in process now; stale-while-revalidate serves it once and refreshes it from the vendor.
    expect((await ask()).cache).toBe('stale');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(vendorCalls()).toBe(1);
  });

  it('writes to Redis only answers the in-process cache would keep (an eighth of cache.maxBytes)', async () => {
    const roomy = setup(8_000);
    await roomy.ask();
    expect(roomy.redis.writes).toHaveLength(1);
    expect(JSON.parse(roomy.redis.writes[0]!.value)).toMatchObject({
      provider: 'finnhub',
      storedAt: now,
      ttlMs: 5_000,
    });
    // A quote is about 200 characters of JSON; 128 is the bound with 1 KiB of cache.
    const tight = setup(1_024);
    const answer = await tight.ask();
    expect(answer.cache).toBe('miss');
    expect(JSON.stringify(answer.data).length).toBeGreaterThan(128);
    expect(tight.redis.writes).toEqual([]);
  });
});
