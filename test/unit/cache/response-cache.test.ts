import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  ResponseCache,
  type Answer,
  type CacheRequest,
  type CacheSource,
  type QuotesAnswer,
  type ResponseCacheOptions,
} from '../../../src/cache/response-cache.js';
import type { CacheConfig } from '../../../src/config/schema.js';
import type { Capability, News, QueryOf, StockQuote } from '../../../src/core/index.js';
import { GatewayError } from '../../../src/core/errors.js';
import type { AttemptRecord } from '../../../src/core/outcomes.js';
import { testCacheConfig } from '../../helpers/cache-config.js';
import { usdQuote } from '../../helpers/quotes.js';

/** What the scripted vendor sees of a request: the signal is set only on a fetch the request makes alone. */
interface RouteOptions {
  requestId: string;
  signal?: AbortSignal | undefined;
}
type Load = (options: RouteOptions) => Promise<Answer<unknown>>;
type LoadQuotes = (symbols: string[], options: RouteOptions) => Promise<QuotesAnswer>;
interface ScriptedRoute {
  requestId: string;
  load?: Load;
  loadQuotes?: LoadQuotes;
}
type TestRequest = Omit<CacheRequest<ScriptedRoute>, 'route'> & { requestId: string };

/**
 * A source that asks whatever vendor the request carries, so each test scripts its vendor per request; a refresh no
 * request waits for (refresh-ahead) asks `refreshVendor`.
 */
const scriptedSource = (refreshVendor?: Load): CacheSource<ScriptedRoute> => ({
  load: async (_capability, _query, route, signal) =>
    (await route.load!({ requestId: route.requestId, signal })) as never,
  loadQuotes: (symbols, route, signal) => route.loadQuotes!(symbols, { requestId: route.requestId, signal }),
  backgroundRoute: () => ({ requestId: 'refresh-ahead', ...(refreshVendor ? { load: refreshVendor } : {}) }),
  batches: (capability) => capability === 'stock-quote',
});

/** The cache under test, called the way the tests read best: a request and the vendor that would answer it. */
class TestCache {
  readonly cache: ResponseCache<ScriptedRoute>;
  constructor(config: CacheConfig, options: ResponseCacheOptions, refreshVendor?: Load) {
    this.cache = new ResponseCache(config, scriptedSource(refreshVendor), options);
  }
  serve<C extends Capability>(capability: C, query: QueryOf<C>, request: TestRequest, load: Load) {
    return this.cache.serve(capability, query, { ...request, route: { requestId: request.requestId, load } });
  }
  watchlist(symbols: string[], request: TestRequest, loadQuotes: LoadQuotes) {
    return this.cache.watchlist(symbols, { ...request, route: { requestId: request.requestId, loadQuotes } });
  }
  hit<C extends Capability>(capability: C, query: QueryOf<C>) {
    return this.cache.hit(capability, query);
  }
  onResult(...args: Parameters<ResponseCache<ScriptedRoute>['onResult']>) {
    this.cache.onResult(...args);
  }
}

const start = Date.parse('2026-11-25T15:00:00Z');

function setup(overrides: Partial<CacheConfig> = {}) {
  const clock = { now: start };
  const config = testCacheConfig(overrides);
  const cache = new TestCache(config, { now: () => clock.now });
  return { cache, clock, advance: (ms: number) => (clock.now += ms) };
}

const options = (extra: Partial<TestRequest> = {}): TestRequest => {
  const client = new AbortController();
  return { requestId: 'request-1', noCache: false, clientSignal: () => client.signal, ...extra };
};

const okAttempts = [{ provider: 'polygon', outcome: 'ok' as const, ms: 12 }];
const failedAttempts = [{ provider: 'polygon', outcome: 'unavailable' as const, ms: 3, detail: 'HTTP 500' }];
const allFailed = () =>
  new GatewayError('GW_ALL_FAILED', 'every vendor for stock-quote failed', { attempts: failedAttempts });
const notFoundAttempts = [
  { provider: 'polygon', outcome: 'not-found' as const, ms: 4, detail: 'HTTP 404 NOT_FOUND' },
  { provider: 'finnhub', outcome: 'not-found' as const, ms: 5, detail: 'zero price' },
];
/** The router's 404: two vendors agreed, unless `attempts` says otherwise. */
const unknownSymbol = (symbol = 'AAPL', attempts: AttemptRecord[] = notFoundAttempts) =>
  new GatewayError('GW_NOT_FOUND', `no vendor knows the symbol ${symbol}`, { attempts });

const quote = usdQuote;

function news(title = 'Apple shares rise after earnings'): News {
  return {
    articles: [
      {
        id: '5f1c9a0e3b7d2c41',
        title,
        summary: null,
        url: 'https://example.com/apple-earnings',
        source: null,
        publishedAt: '2026-11-25T08:00:00.000Z',
        symbols: ['AAPL'],
        imageUrl: null,
      },
    ],
  };
}
const newsQuery = { symbols: [], q: null, from: null, to: null, limit: 20, language: 'en' };

/** A vendor whose answers the test releases one by one. */
function controlledVendor() {
  const pending: { resolve(answer: Answer<StockQuote>): void; reject(error: unknown): void; options: RouteOptions }[] =
    [];
  const load = vi.fn(
    (routeOptions: RouteOptions) =>
      new Promise<Answer<StockQuote>>((resolve, reject) => pending.push({ resolve, reject, options: routeOptions })),
  );
  return {
    load,
    pending,
    answer(price: number) {
      pending.shift()?.resolve({ data: quote('AAPL', price), provider: 'polygon', attempts: okAttempts });
    },
    fail(error: unknown) {
      pending.shift()?.reject(error);
    },
  };
}

/** An instant vendor: each call answers with the next price. */
function instantVendor() {
  let price = 100;
  return vi.fn(async (): Promise<Answer<StockQuote>> => {
    price += 1;
    return { data: quote('AAPL', price), provider: 'polygon', attempts: okAttempts };
  });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const serveQuote = (cache: TestCache, load: (options: RouteOptions) => Promise<Answer<StockQuote>>, extra = {}) =>
  cache.serve('stock-quote', { symbol: 'AAPL' }, options(extra), load);

describe('ResponseCache', () => {
  it('answers a repeated request from the cache with its age, without calling the vendor', async () => {
    const { cache, advance } = setup();
    const load = instantVendor();
    const first = await serveQuote(cache, load);
    expect(first).toMatchObject({ cache: 'miss', provider: 'polygon', attempts: okAttempts });
    expect(first.ageMs).toBeUndefined();
    advance(2_000);
    const second = await serveQuote(cache, load);
    expect(second).toMatchObject({ cache: 'hit', provider: 'polygon', attempts: [], ageMs: 2_000 });
    expect(second.data).toEqual(first.data);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one entry between equivalent queries and keeps pinned vendors apart', async () => {
    const { cache } = setup();
    const load = vi.fn(async () => ({ data: news(), provider: 'gnews', attempts: okAttempts }));
    const { q, from, to, limit, language } = newsQuery;
    await cache.serve('news-by-symbol', { ...newsQuery, symbols: ['MSFT', 'AAPL'] }, options(), load);
    const same = await cache.serve(
      'news-by-symbol',
      { language, limit, to, from, q, symbols: ['aapl', 'msft'] },
      options(),
      load,
    );
    expect(same.cache).toBe('hit');
    const pinned = await cache.serve(
      'news-by-symbol',
      { ...newsQuery, symbols: ['AAPL', 'MSFT'] },
      options({ provider: 'gnews' }),
      load,
    );
    expect(pinned.cache).toBe('miss');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('tells every result to onResult listeners, by capability', async () => {
    const { cache } = setup();
    const results: string[] = [];
    cache.onResult((capability, status) => results.push(`${capability}:${status}`));
    const load = instantVendor();
    await serveQuote(cache, load);
    await serveQuote(cache, load);
    expect(results).toEqual(['stock-quote:miss', 'stock-quote:hit']);
  });

  describe('stale-while-revalidate', () => {
    it('serves an answer past its TTL at once, marked stale, while one background call refreshes it', async () => {
      const { cache, advance } = setup();
      const vendor = controlledVendor();
      const first = serveQuote(cache, vendor.load);
      vendor.answer(101);
      await first;
      advance(6_000);
      const [a, b] = await Promise.all([serveQuote(cache, vendor.load), serveQuote(cache, vendor.load)]);
      expect([a.cache, b.cache]).toEqual(['stale', 'stale']);
      expect(a.ageMs).toBe(6_000);
      expect(a.data.price).toBe(101);
      expect(vendor.load).toHaveBeenCalledTimes(2);
      vendor.answer(102);
      await flush();
      const refreshed = await serveQuote(cache, vendor.load);
      expect(refreshed).toMatchObject({ cache: 'hit', ageMs: 0 });
      expect(refreshed.data.price).toBe(102);
      expect(vendor.load).toHaveBeenCalledTimes(2);
    });

    it('waits for the vendor once the answer is older than twice its TTL', async () => {
      const { cache, advance } = setup();
      const load = instantVendor();
      await serveQuote(cache, load);
      advance(10_001);
      const answer = await serveQuote(cache, load);
      expect(answer.cache).toBe('miss');
      expect(answer.data.price).toBe(102);
    });

    it('keeps serving the stale answer when the background refresh fails', async () => {
      const { cache, advance } = setup();
      const vendor = controlledVendor();
      const first = serveQuote(cache, vendor.load);
      vendor.answer(101);
      await first;
      advance(6_000);
      expect((await serveQuote(cache, vendor.load)).cache).toBe('stale');
      vendor.fail(allFailed());
      await flush();
      advance(1_000);
      const again = await serveQuote(cache, vendor.load);
      expect(again).toMatchObject({ cache: 'stale', ageMs: 7_000 });
      expect(again.data.price).toBe(101);
    });
  });

  describe('stale-if-error', () => {
    it('serves the last good answer, stale with its age and the failed attempts, when every vendor fails', async () => {
      const { cache, advance } = setup();
      const vendor = controlledVendor();
      const first = serveQuote(cache, vendor.load);
      vendor.answer(101);
      await first;
      advance(20_000);
      const answer = serveQuote(cache, vendor.load);
      await flush();
      vendor.fail(allFailed());
      expect(await answer).toMatchObject({
        cache: 'stale',
        ageMs: 20_000,
        attempts: failedAttempts,
        provider: 'polygon',
      });
    });

    it('answers with the error once the last good answer is older than staleIfErrorMs', async () => {
      const { cache, advance } = setup();
      const load = vi.fn(instantVendor());
      await serveQuote(cache, load);
      advance(60_001);
      load.mockRejectedValueOnce(allFailed());
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_ALL_FAILED' });
    });

    it('stands in for unavailable vendors, not for an unknown symbol or a bad request', async () => {
      const { cache, advance } = setup();
      const load = vi.fn(instantVendor());
      await serveQuote(cache, load);
      advance(20_000);
      load.mockRejectedValueOnce(new GatewayError('GW_NOT_FOUND', 'no vendor knows the symbol AAPL'));
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      load.mockRejectedValueOnce(new GatewayError('GW_NO_PROVIDER', 'every vendor is resting'));
      expect((await serveQuote(cache, load)).cache).toBe('stale');
    });

    it('is off with staleIfErrorMs 0', async () => {
      const { cache, advance } = setup({ staleIfErrorMs: 0 });
      const load = vi.fn(instantVendor());
      await serveQuote(cache, load);
      advance(20_000);
      load.mockRejectedValueOnce(allFailed());
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_ALL_FAILED' });
    });
  });

  describe('coalescing', () => {
    it('makes one vendor call for identical concurrent requests; the others are coalesced', async () => {
      const { cache } = setup();
      const vendor = controlledVendor();
      const answers = Promise.all(Array.from({ length: 10 }, () => serveQuote(cache, vendor.load)));
      await flush();
      vendor.answer(101);
      const results = await answers;
      expect(vendor.load).toHaveBeenCalledTimes(1);
      expect(results.map((result) => result.cache)).toEqual(['miss', ...Array<string>(9).fill('coalesced')]);
      for (const result of results) {
        expect(result.data.price).toBe(101);
        expect(result.attempts).toEqual(okAttempts);
      }
    });

    it("gives every waiter the leader's error, and caches no failure", async () => {
      const { cache } = setup();
      const vendor = controlledVendor();
      const failure = allFailed();
      const answers = Array.from({ length: 5 }, () => serveQuote(cache, vendor.load));
      await flush();
      vendor.fail(failure);
      for (const answer of answers) await expect(answer).rejects.toBe(failure);
      const retry = serveQuote(cache, vendor.load);
      await flush();
      vendor.answer(103);
      expect((await retry).cache).toBe('miss');
      expect(vendor.load).toHaveBeenCalledTimes(2);
    });

    it('lets a client go away without cancelling the shared call for the others', async () => {
      const { cache } = setup();
      const vendor = controlledVendor();
      const leaving = new AbortController();
      const leader = serveQuote(cache, vendor.load, { clientSignal: () => leaving.signal });
      const waiter = serveQuote(cache, vendor.load);
      await flush();
      expect(vendor.pending[0]?.options.signal).toBeUndefined();
      leaving.abort();
      await expect(leader).rejects.toMatchObject({ code: 'GW_DEADLINE' });
      vendor.answer(101);
      expect(await waiter).toMatchObject({ cache: 'coalesced', data: { price: 101 } });
      expect(vendor.load).toHaveBeenCalledTimes(1);
    });
  });

  describe('Cache-Control: no-cache', () => {
    it('asks the vendor with the client signal, joins no other call, and stores the answer', async () => {
      const { cache } = setup();
      const vendor = controlledVendor();
      const normal = serveQuote(cache, vendor.load);
      const signal = new AbortController().signal;
      const fresh = serveQuote(cache, vendor.load, { noCache: true, clientSignal: () => signal });
      await flush();
      expect(vendor.load).toHaveBeenCalledTimes(2);
      expect(vendor.pending[1]?.options.signal).toBe(signal);
      vendor.answer(101);
      vendor.answer(102);
      expect((await normal).cache).toBe('miss');
      expect(await fresh).toMatchObject({ cache: 'miss', data: { price: 102 } });
      expect(await serveQuote(cache, vendor.load)).toMatchObject({ cache: 'hit', data: { price: 102 } });
    });
  });

  describe('what is not cached', () => {
    it('skips a capability whose TTL is 0, and everything when disabled', async () => {
      for (const overrides of [{ ttlMs: { 'stock-quote': 0 } }, { enabled: false }]) {
        const { cache } = setup(overrides);
        const load = instantVendor();
        expect((await serveQuote(cache, load)).cache).toBe('miss');
        expect((await serveQuote(cache, load)).cache).toBe('miss');
        expect(load).toHaveBeenCalledTimes(2);
      }
    });

    it('keeps no answer larger than an eighth of maxBytes', async () => {
      const { cache } = setup({ maxBytes: 8_000 });
      const load = vi.fn(async () => ({ data: news('x'.repeat(1_200)), provider: 'gnews', attempts: okAttempts }));
      const query = { ...newsQuery, q: 'big' };
      expect((await cache.serve('news-search', query, options(), load)).cache).toBe('miss');
      expect((await cache.serve('news-search', query, options(), load)).cache).toBe('miss');
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('refuses an answer that breaks its model (an adapter bug) and keeps nothing', async () => {
      const { cache } = setup();
      const broken = vi.fn(async () => ({
        data: { ...quote('AAPL'), price: Number.NaN },
        provider: 'polygon',
        attempts: [],
      }));
      await expect(serveQuote(cache, broken)).rejects.toThrow(/stock-quote answer breaks its model at price/);
      await expect(serveQuote(cache, broken)).rejects.toThrow(/breaks its model/);
      expect(broken).toHaveBeenCalledTimes(2);
    });

    it('evicts the least recently used answer beyond maxEntries', async () => {
      const { cache } = setup({ maxEntries: 2 });
      const load = instantVendor();
      const serve = (symbol: string) => cache.serve('stock-quote', { symbol }, options(), load);
      await serve('AAPL');
      await serve('MSFT');
      await serve('AAPL');
      await serve('NVDA');
      expect((await serve('AAPL')).cache).toBe('hit');
      expect((await serve('MSFT')).cache).toBe('miss');
    });
  });

  describe('watchlists', () => {
    function watchlistVendor() {
      return vi.fn(async (symbols: string[]): Promise<QuotesAnswer> => {
        const known = symbols.filter((symbol) => !symbol.startsWith('ZZZ'));
        return {
          data: { quotes: known.map((symbol) => quote(symbol)), missing: symbols.filter((s) => !known.includes(s)) },
          provider: 'polygon',
          attempts: okAttempts,
          answeredBy: new Map(known.map((symbol) => [symbol, 'polygon'])),
        };
      });
    }

    it('answers in the asked order, fetching together only the symbols not cached, and warms single quotes', async () => {
      const { cache } = setup();
      await serveQuote(cache, instantVendor());
      const load = watchlistVendor();
      const answer = await cache.watchlist(['MSFT', 'AAPL', 'NVDA'], options(), load);
      expect(answer.data.quotes.map((entry) => entry.symbol)).toEqual(['MSFT', 'AAPL', 'NVDA']);
      expect(answer).toMatchObject({ cache: 'miss', provider: 'polygon', attempts: okAttempts });
      expect(load).toHaveBeenCalledTimes(1);
      expect(load.mock.calls[0]?.[0]).toEqual(['MSFT', 'NVDA']);
      const single = await cache.serve('stock-quote', { symbol: 'NVDA' }, options(), instantVendor());
      expect(single.cache).toBe('hit');
      const again = await cache.watchlist(['NVDA', 'MSFT'], options(), load);
      expect(again).toMatchObject({ cache: 'hit', attempts: [], ageMs: 0 });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('lists unknown symbols as missing and caches nothing for them', async () => {
      const { cache } = setup();
      const load = watchlistVendor();
      const answer = await cache.watchlist(['AAPL', 'ZZZX'], options(), load);
      expect(answer.data).toMatchObject({ missing: ['ZZZX'] });
      const again = await cache.watchlist(['ZZZX', 'AAPL'], options(), load);
      expect(again.data.missing).toEqual(['ZZZX']);
      expect(load.mock.calls[1]?.[0]).toEqual(['ZZZX']);
    });

    it('makes one call for identical concurrent watchlists', async () => {
      const { cache } = setup();
      const load = watchlistVendor();
      const [a, b] = await Promise.all([
        cache.watchlist(['AAPL', 'MSFT'], options(), load),
        cache.watchlist(['MSFT', 'AAPL'], options(), load),
      ]);
      expect(load).toHaveBeenCalledTimes(1);
      expect([a.cache, b.cache]).toEqual(['miss', 'coalesced']);
      expect(b.data.quotes.map((entry) => entry.symbol)).toEqual(['MSFT', 'AAPL']);
    });

    it('serves cached quotes stale when every vendor fails, and fails only when no symbol can be answered', async () => {
      const { cache, advance } = setup();
      await cache.watchlist(['AAPL'], options(), watchlistVendor());
      advance(20_000);
      const failing = vi.fn(async (): Promise<QuotesAnswer> => {
        throw allFailed();
      });
      const answer = await cache.watchlist(['AAPL', 'MSFT'], options(), failing);
      expect(answer).toMatchObject({ cache: 'stale', ageMs: 20_000, attempts: failedAttempts });
      expect(answer.data).toMatchObject({ quotes: [{ symbol: 'AAPL' }], missing: ['MSFT'] });
      await expect(cache.watchlist(['MSFT'], options(), failing)).rejects.toMatchObject({ code: 'GW_ALL_FAILED' });
    });
  });

  describe('unknown symbols (cache.notFoundTtlMs)', () => {
    const failingWith = (error: unknown) =>
      vi.fn(async (): Promise<Answer<StockQuote>> => {
        throw error;
      });

    it('answers an agreed 404 again from memory, without a vendor call, until notFoundTtlMs has passed', async () => {
      const { cache, advance } = setup();
      const results: string[] = [];
      cache.onResult((_capability, status) => results.push(status));
      const load = failingWith(unknownSymbol());
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND', attempts: notFoundAttempts });
      advance(59_999);
      const again = await serveQuote(cache, load).catch((error: unknown) => error);
      expect(again).toBeInstanceOf(GatewayError);
      expect(again).toMatchObject({ code: 'GW_NOT_FOUND', detail: 'no vendor knows the symbol AAPL (remembered)' });
      expect((again as GatewayError).attempts).toEqual([]);
      expect(load).toHaveBeenCalledTimes(1);
      expect(results).toEqual(['hit']);
      advance(2);
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('remembers nothing with notFoundTtlMs 0, or when caching is off for the capability', async () => {
      for (const overrides of [{ notFoundTtlMs: 0 }, { ttlMs: { 'stock-quote': 0 } }, { enabled: false }]) {
        const { cache } = setup(overrides);
        const load = failingWith(unknownSymbol());
        await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
        await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
        expect(load).toHaveBeenCalledTimes(2);
      }
    });

    it('does not remember a 404 the vendors did not agree on: one not-found while another vendor failed', async () => {
      const { cache } = setup();
      const attempts = [notFoundAttempts[0]!, { provider: 'finnhub', outcome: 'timeout' as const, ms: 1_500 }];
      const load = failingWith(unknownSymbol('AAPL', attempts));
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('remembers the only vendor asked (a pinned one) under the pinned key only', async () => {
      const { cache } = setup();
      const load = failingWith(unknownSymbol('AAPL', [notFoundAttempts[0]!]));
      const pinned = options({ provider: 'polygon' });
      await expect(serveQuote(cache, load, pinned)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      await expect(serveQuote(cache, load, pinned)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      expect(load).toHaveBeenCalledTimes(1);
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('asks the vendors again for Cache-Control: no-cache, and forgets the 404 once the symbol is answered', async () => {
      const { cache } = setup();
      const load = vi.fn(instantVendor());
      load.mockRejectedValueOnce(unknownSymbol());
      await expect(serveQuote(cache, load)).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
      expect((await serveQuote(cache, load, { noCache: true })).cache).toBe('miss');
      expect((await serveQuote(cache, load)).cache).toBe('hit');
      expect(load).toHaveBeenCalledTimes(2);
    });

    function unknownAware(unknownSymbols: (missing: string[]) => NonNullable<QuotesAnswer['unknownSymbols']>) {
      return vi.fn(async (symbols: string[]): Promise<QuotesAnswer> => {
        const known = symbols.filter((symbol) => !symbol.startsWith('ZZZ'));
        const missing = symbols.filter((symbol) => !known.includes(symbol));
        return {
          data: { quotes: known.map((symbol) => quote(symbol)), missing },
          provider: 'polygon',
          attempts: okAttempts,
          answeredBy: new Map(known.map((symbol) => [symbol, 'polygon'])),
          unknownSymbols: unknownSymbols(missing),
        };
      });
    }

    it("remembers a fan-out's agreed unknown symbols per symbol, for watchlists and single quotes", async () => {
      const { cache } = setup();
      const load = unknownAware((missing) => ({ agreed: missing, batchMissing: [] }));
      await cache.watchlist(['AAPL', 'ZZZA', 'ZZZB'], options(), load);
      const again = await cache.watchlist(['ZZZB', 'AAPL', 'ZZZA'], options(), load);
      expect(again).toMatchObject({ cache: 'hit', attempts: [] });
      expect(again.data).toMatchObject({ quotes: [{ symbol: 'AAPL' }], missing: ['ZZZB', 'ZZZA'] });
      expect(load).toHaveBeenCalledTimes(1);
      const single = failingWith(unknownSymbol('ZZZA'));
      const answer = cache.serve('stock-quote', { symbol: 'ZZZA' }, options(), single);
      await expect(answer).rejects.toMatchObject({ code: 'GW_NOT_FOUND', detail: expect.stringMatching(/remembered/) });
      expect(single).not.toHaveBeenCalled();
      const onlyTypos = await cache.watchlist(['ZZZA', 'ZZZB'], options(), load);
      expect(onlyTypos.data).toEqual({ quotes: [], missing: ['ZZZA', 'ZZZB'] });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it("remembers a batch vendor's missing symbols for watchlists only: a single quote still asks", async () => {
      const { cache } = setup();
      const load = unknownAware((missing) => ({ agreed: [], batchMissing: missing }));
      await cache.watchlist(['AAPL', 'ZZZA'], options(), load);
      await cache.watchlist(['AAPL', 'ZZZA'], options(), load);
      expect(load).toHaveBeenCalledTimes(1);
      const single = failingWith(unknownSymbol('ZZZA'));
      await expect(cache.serve('stock-quote', { symbol: 'ZZZA' }, options(), single)).rejects.toMatchObject({
        code: 'GW_NOT_FOUND',
      });
      expect(single).toHaveBeenCalledTimes(1);
    });

    it('remembers no symbol missing because its vendors failed', async () => {
      const { cache } = setup();
      const load = unknownAware(() => ({ agreed: [], batchMissing: [] }));
      await cache.watchlist(['AAPL', 'ZZZA'], options(), load);
      await cache.watchlist(['ZZZA'], options(), load);
      expect(load).toHaveBeenCalledTimes(2);
    });
  });

  describe('refresh-ahead (cache.refreshAheadMs)', () => {
    /** The cache on vitest's fake clock (its refresh timers are real setTimeouts); `refreshes` answers refresh-ahead. */
    function onFakeClock(refreshAheadMs = 1_000) {
      vi.useFakeTimers({ now: start });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      const refreshes = vi.fn(async (): Promise<Answer<StockQuote>> => ({
        data: quote('AAPL', 500),
        provider: 'polygon',
        attempts: okAttempts,
      }));
      const config = testCacheConfig({ refreshAheadMs });
      const cache = new TestCache(config, { now: () => Date.now() }, refreshes);
      onTestFinished(() => cache.cache.close());
      const ask = (vendor: Load) => cache.serve('stock-quote', { symbol: 'AAPL' }, options(), vendor);
      return { cache, refreshes, ask };
    }
    const price = (answer: { data: unknown }) => (answer.data as StockQuote).price;

    it('refreshes an answer asked again while fresh refreshAheadMs before it expires: the next ask is a hit', async () => {
      const { refreshes, ask } = onFakeClock();
      const vendor = instantVendor();
      expect((await ask(vendor)).cache).toBe('miss');
      await vi.advanceTimersByTimeAsync(2_000);
      expect((await ask(vendor)).cache).toBe('hit');
      await vi.advanceTimersByTimeAsync(1_999);
      expect(refreshes).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(refreshes).toHaveBeenCalledTimes(1);
      // Past the first answer's TTL (5 s): the refreshed one, stored at 4 s, answers.
      await vi.advanceTimersByTimeAsync(2_000);
      const later = await ask(vendor);
      expect(later).toMatchObject({ cache: 'hit', ageMs: 2_000 });
      expect(price(later)).toBe(500);
      expect(vendor).toHaveBeenCalledTimes(1);
    });

    it('leaves an answer nobody asks for again to expire', async () => {
      const { refreshes, ask } = onFakeClock();
      await ask(instantVendor());
      await vi.advanceTimersByTimeAsync(60_000);
      expect(refreshes).not.toHaveBeenCalled();
    });

    it('refreshes once per stored answer however often it is asked, and a refreshed answer only when asked again', async () => {
      const { refreshes, ask } = onFakeClock();
      const vendor = instantVendor();
      await ask(vendor);
      for (let second = 1; second <= 3; second += 1) {
        await vi.advanceTimersByTimeAsync(1_000);
        await ask(vendor);
      }
      await vi.advanceTimersByTimeAsync(1_000);
      expect(refreshes).toHaveBeenCalledTimes(1);
      // The refreshed answer (stored at 4 s) is not asked for: nothing more is refreshed.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(refreshes).toHaveBeenCalledTimes(1);
    });

    it('refreshes at most half the TTL early: the lead is at most a quarter TTL, due times snap to its grid', async () => {
      const early = onFakeClock(60_000);
      await early.ask(instantVendor());
      await early.ask(instantVendor());
      // TTL 5 s: a lead of 1.25 s, due on the 1.25 s grid one lead before expiry.
      await vi.advanceTimersByTimeAsync(3_749);
      expect(early.refreshes).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(early.refreshes).toHaveBeenCalledTimes(1);
    });

    it('refreshes answers expiring within one lead of each other at one instant, so they can share a batch', async () => {
      const { cache, refreshes } = onFakeClock();
      for (const [symbol, at] of [
        ['AAPL', 100],
        ['MSFT', 900],
      ] as const) {
        await vi.advanceTimersByTimeAsync(at - (Date.now() - start));
        const ask = () => cache.serve('stock-quote', { symbol }, options(), instantVendor());
        await ask();
        await ask();
      }
      // AAPL expires at 5.1 s, MSFT at 5.9 s: both are due at 4 s.
      await vi.advanceTimersByTimeAsync(3_999 - (Date.now() - start));
      expect(refreshes).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(refreshes).toHaveBeenCalledTimes(2);
    });

    it('never refreshes ahead what the source fetches one by one', async () => {
      const { cache, refreshes } = onFakeClock();
      const headlines = async () => ({ data: news(), provider: 'newsapi', attempts: okAttempts });
      const ask = () => cache.serve('news-latest', newsQuery, options(), headlines);
      await ask();
      await ask();
      expect((await ask()).cache).toBe('hit');
      await vi.advanceTimersByTimeAsync(600_000);
      expect(refreshes).not.toHaveBeenCalled();
    });

    it('never refreshes ahead with refreshAheadMs 0', async () => {
      const { refreshes, ask } = onFakeClock(0);
      await ask(instantVendor());
      await ask(instantVendor());
      await vi.advanceTimersByTimeAsync(60_000);
      expect(refreshes).not.toHaveBeenCalled();
    });
  });
});
