import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  newsSchema,
  type Capability,
  type NewsQuery,
  type ProviderAdapter,
  type QueryOf,
  type VendorReply,
  type VendorRequest,
} from '../../src/core/index.js';
import type { VendorCallOutcome } from '../../src/routing/vendor-call.js';
import { healthyFault, type FaultMode } from '../../sandbox/faults.js';
import { startSimulator, type RunningSimulator, type SimulatorDefinition } from '../../sandbox/simulator.js';
import { newsQueries } from './news.js';
import { roundTrip, sendRequest } from './vendor.js';

export const sandboxKey = 'sandbox-key';

export interface TestSimulator {
  /** The running simulator; started before the file's tests, healthy again after each. */
  readonly sim: RunningSimulator;
  /** One round trip through `adapter` against the simulator, with the sandbox key unless `apiKey` says otherwise. */
  call<C extends Capability>(capability: C, query: QueryOf<C>, apiKey?: string | null): Promise<VendorCallOutcome<C>>;
  /** The raw reply to a request no capability builds (a health check, a usage endpoint), with the sandbox key. */
  send(request: VendorRequest): Promise<VendorReply>;
}

/** A simulator for the tests of one file: started before them, set healthy after each, stopped after all. */
export function useSimulator(adapter: ProviderAdapter, definition: SimulatorDefinition): TestSimulator {
  let running: RunningSimulator | undefined;
  beforeAll(async () => {
    running = await startSimulator(definition);
  });
  afterEach(() => {
    running?.setFault(healthyFault);
  });
  afterAll(async () => {
    await running?.close();
  });
  const sim = () => {
    if (!running) throw new Error(`the ${definition.vendor} simulator is not running`);
    return running;
  };
  return {
    get sim() {
      return sim();
    },
    call: (capability, query, apiKey = sandboxKey) =>
      roundTrip(adapter, capability, query, { baseUrl: sim().url, apiKey }),
    send: (request) => sendRequest(adapter, request, { baseUrl: sim().url, apiKey: sandboxKey }),
  };
}

/** What the shared simulator checks expect where vendors differ. */
export interface SimulatorConformanceCases<C extends Capability> {
  /** A call the simulator serves; each fault is checked on it. */
  capability: C;
  query: QueryOf<C>;
  /** The rest the rate-limited fault's reply asks for: an exact wait, or the window a clock-bound one falls in. */
  rateLimitWaitMs: number | { min: number; max: number };
  /** What a call without a key yields; by default the auth outcome with the simulator's 401. */
  withoutKey?: Partial<VendorCallOutcome<C>>;
  /** The query parameter the vendor also takes the key in, where the adapter sends it in a header. */
  keyAlsoInQuery?: string;
  /** The HTTP status of the simulator's answer for an unknown symbol, where the adapter asks at all. */
  unknownSymbolStatus?: number;
  /** The most articles one call serves, where the vendor's plan caps it below the asked limit (marketaux: 3). */
  articlesPerCall?: number;
  /** Whether articles link to market.ts's story pages, which every dedicated news vendor shares. */
  storyUrls?: boolean;
  /** The vendor is not asked for dates (mediastack's free plan), so a past window only filters the newest page. */
  datesFilterOnlyThePage?: boolean;
}

/** A query per capability for a symbol no simulator knows (market.ts's ZZZ convention). */
const unknownSymbolQueries: { [C in Capability]?: QueryOf<C> } = {
  'stock-quote': { symbol: 'ZZZQ' },
  'crypto-price': { symbol: 'ZZZCOIN', vs: 'USD' },
};

const dayMs = 86_400_000;

/** Monday to Friday of last week: recent enough for every simulator's history, and a full trading week. */
function lastTradingWeek(): string[] {
  const today = Math.floor(Date.now() / dayMs) * dayMs;
  const monday = today - (((new Date(today).getUTCDay() + 6) % 7) + 7) * dayMs;
  return Array.from({ length: 5 }, (_, day) => new Date(monday + day * dayMs).toISOString().slice(0, 10));
}

/**
 * The simulator checks every vendor shares. A healthy simulator serves `cases.query`; the rate-limited fault yields
 * rate-limited with the vendor's wait, malformed yields malformed, error yields unavailable with the vendor's error
 * status; a call without a key yields auth; the adapter's health check, if it has one, passes. For each capability the
 * adapter declares, the sandbox's shared conventions hold: unknown (ZZZ) symbols are not found or missing, a trading
 * week has five daily bars, news pages come newest first with one URL per story. Returns the running simulator for the
 * file's vendor-specific tests.
 */
export function simulatorConformance<C extends Capability>(
  adapter: ProviderAdapter,
  definition: SimulatorDefinition,
  cases: SimulatorConformanceCases<C>,
): TestSimulator {
  const sandbox = useSimulator(adapter, definition);
  const callUnder = async (mode: FaultMode, apiKey?: string | null) => {
    sandbox.sim.setFault({ mode, delayMs: 0 });
    return sandbox.call(cases.capability, cases.query, apiKey);
  };

  describe(`${definition.vendor} simulator conformance`, () => {
    it(`serves ${cases.capability} when healthy`, async () => {
      expect((await callUnder('ok')).outcome).toBe('ok');
    });

    it('yields rate-limited with the vendor wait under the rate-limited fault', async () => {
      const outcome = await callUnder('rate-limited');
      expect(outcome).toMatchObject({
        outcome: 'rate-limited',
        status: definition.rateLimitedReply(Date.now()).status,
      });
      const wait = outcome.outcome === 'rate-limited' ? outcome.retryAfterMs : undefined;
      if (typeof cases.rateLimitWaitMs === 'number') expect(wait).toBe(cases.rateLimitWaitMs);
      else {
        expect(wait).toBeGreaterThanOrEqual(cases.rateLimitWaitMs.min);
        expect(wait).toBeLessThanOrEqual(cases.rateLimitWaitMs.max);
      }
    });

    it('yields malformed under the malformed fault', async () => {
      expect(await callUnder('malformed')).toMatchObject({ outcome: 'malformed', status: 200 });
    });

    it('yields unavailable with the vendor error status under the error fault', async () => {
      expect(await callUnder('error')).toMatchObject({
        outcome: 'unavailable',
        status: definition.errorReply().status,
      });
    });

    it('answers a call without a key as the vendor does', async () => {
      expect(await callUnder('ok', null)).toMatchObject(cases.withoutKey ?? { outcome: 'auth', status: 401 });
    });

    for (const capability of Object.keys(unknownSymbolQueries) as Capability[]) {
      if (!(capability in adapter.capabilities)) continue;
      it(`answers ${capability} for an unknown symbol with not-found`, async () => {
        const outcome = await sandbox.call(capability, unknownSymbolQueries[capability] as QueryOf<Capability>);
        expect(outcome).toMatchObject({ outcome: 'not-found' });
        if (cases.unknownSymbolStatus !== undefined)
          expect(outcome).toMatchObject({ status: cases.unknownSymbolStatus });
      });
    }

    if ('stock-quotes' in adapter.capabilities) {
      it('serves a watchlist in the asked order and lists unknown symbols as missing', async () => {
        const outcome = await sandbox.call('stock-quotes', { symbols: ['MSFT', 'ZZZQ', 'BRK.B'] });
        expect(outcome.outcome === 'ok' && outcome.result.quotes.map((quote) => quote.symbol)).toEqual([
          'MSFT',
          'BRK.B',
        ]);
        expect(outcome.outcome === 'ok' && outcome.result.missing).toEqual(['ZZZQ']);
      });
    }

    if ('stock-candles' in adapter.capabilities) {
      it('serves daily stock candles for a trading week, one a day at 00:00Z, ascending', async () => {
        const week = lastTradingWeek();
        const query = {
          symbol: 'AAPL',
          interval: '1d',
          from: week[0] ?? '',
          to: week[4] ?? '',
          adjusted: true,
        } as const;
        const outcome = await sandbox.call('stock-candles', query);
        expect(outcome.outcome).toBe('ok');
        if (outcome.outcome !== 'ok') return;
        expect(outcome.result.candles.map((candle) => candle.time)).toEqual(
          week.map((date) => `${date}T00:00:00.000Z`),
        );
        expect(outcome.result.candles.every((candle) => candle.low <= candle.high)).toBe(true);
      });
    }

    if ('crypto-candles' in adapter.capabilities) {
      it('serves 4h crypto candles ascending on 4-hour boundaries from the start of `from`', async () => {
        const today = Math.floor(Date.now() / dayMs) * dayMs;
        const from = new Date(today - 5 * dayMs).toISOString().slice(0, 10);
        const to = new Date(today).toISOString().slice(0, 10);
        const outcome = await sandbox.call('crypto-candles', { symbol: 'ETH', vs: 'USD', interval: '4h', from, to });
        expect(outcome.outcome).toBe('ok');
        if (outcome.outcome !== 'ok') return;
        const times = outcome.result.candles.map((candle) => Date.parse(candle.time));
        expect(times.length).toBeGreaterThanOrEqual(30);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times.every((time) => time % (4 * 3_600_000) === 0)).toBe(true);
        expect(times[0]).toBe(Date.parse(`${from}T00:00:00.000Z`));
        const { candles } = outcome.result;
        expect(candles.every((candle) => candle.low <= Math.min(candle.open, candle.close))).toBe(true);
        expect(candles.every((candle) => candle.high >= Math.max(candle.open, candle.close))).toBe(true);
      });
    }

    const newsPage = async (capability: 'news-by-symbol' | 'news-search' | 'news-latest', query: NewsQuery) => {
      const outcome = await sandbox.call(capability, query);
      expect(outcome.outcome).toBe('ok');
      if (outcome.outcome !== 'ok') return [];
      expect(newsSchema.safeParse(outcome.result).success).toBe(true);
      const { articles } = outcome.result;
      const times = articles.map((article) => article.publishedAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(new Set(articles.map((article) => article.url)).size).toBe(articles.length);
      if (cases.storyUrls) {
        expect(articles.every((article) => article.url.startsWith('https://news.example.com/'))).toBe(true);
      }
      return articles;
    };
    const fullPage = (limit: number) => Math.min(limit, cases.articlesPerCall ?? limit);

    if ('news-by-symbol' in adapter.capabilities) {
      const query = { ...newsQueries.bySymbol, limit: 6 };
      it('serves news-by-symbol newest first, one URL per story, each tagged with an asked ticker', async () => {
        const articles = await newsPage('news-by-symbol', query);
        expect(articles).toHaveLength(fullPage(query.limit));
        expect(articles.every(({ symbols }) => symbols.length === 1 && query.symbols.includes(symbols[0] ?? ''))).toBe(
          true,
        );
      });

      it('answers news-by-symbol for an unknown symbol with no articles', async () => {
        expect(await sandbox.call('news-by-symbol', { ...query, symbols: ['ZZZQ'] })).toMatchObject({
          outcome: 'ok',
          result: { articles: [] },
        });
      });
    }

    if ('news-search' in adapter.capabilities) {
      const query = { ...newsQueries.search, limit: 5 };
      it('serves news-search newest first', async () => {
        expect(await newsPage('news-search', query)).toHaveLength(fullPage(query.limit));
      });

      it('keeps news-search inside the asked dates', async () => {
        const articles = await newsPage('news-search', { ...query, from: '2026-11-20', to: '2026-11-24' });
        const days = articles.map(({ publishedAt }) => publishedAt.slice(0, 10));
        expect(days.every((day) => day >= '2026-11-20' && day <= '2026-11-24')).toBe(true);
        if (!cases.datesFilterOnlyThePage) expect(days[0]).toBe('2026-11-24');
      });
    }

    if ('news-latest' in adapter.capabilities) {
      const query = { ...newsQueries.latest, limit: 5 };
      it('serves news-latest newest first', async () => {
        expect(await newsPage('news-latest', query)).toHaveLength(fullPage(query.limit));
      });
    }

    const { keyAlsoInQuery } = cases;
    if (keyAlsoInQuery !== undefined) {
      it(`accepts the key as the ${keyAlsoInQuery} query parameter too`, async () => {
        const queryAuth = { ...adapter, auth: { in: 'query', name: keyAlsoInQuery } as const };
        const options = { baseUrl: sandbox.sim.url, apiKey: sandboxKey };
        expect(await roundTrip(queryAuth, cases.capability, cases.query, options)).toMatchObject({ outcome: 'ok' });
      });
    }

    const { healthCheck } = adapter;
    if (healthCheck !== null) {
      it('answers the health check with a reply that is no failure', async () => {
        const reply = await sandbox.send(healthCheck);
        expect(reply.status).toBe(200);
        expect(adapter.classifyFailure(reply)).toBeNull();
      });
    }
  });

  return sandbox;
}
