import { describe, expect, it } from 'vitest';
import {
  newsSchema,
  type CapabilityHandler,
  type News,
  type NewsArticle,
  type NewsQuery,
  type ProviderAdapter,
} from '../../src/core/index.js';
import { articleId } from '../../providers/common/news.js';
import { fixtureNow, normalizeFixture } from './fixtures.js';

/** The news queries the adapter and simulator tests start from; each file adjusts limit, dates or language. */
export const newsQueries: Readonly<Record<'bySymbol' | 'search' | 'latest', NewsQuery>> = {
  bySymbol: { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 10, language: 'en' },
  search: { symbols: [], q: 'interest rates', from: null, to: null, limit: 10, language: 'en' },
  latest: { symbols: [], q: null, from: null, to: null, limit: 10, language: 'en' },
};

const newsCapabilities = { 'news-by-symbol': 'bySymbol', 'news-search': 'search', 'news-latest': 'latest' } as const;

/**
 * The request rules every news adapter shares: each news builder declines a language its vendor does not serve
 * (`unservedLanguage`, where there is one) rather than send it, and a search without words is declined, not sent.
 */
export function newsRequestConformance(adapter: ProviderAdapter, options: { unservedLanguage?: string } = {}): void {
  const { unservedLanguage } = options;
  describe(`${adapter.name} news requests`, () => {
    for (const [capability, queryName] of Object.entries(newsCapabilities)) {
      const handler = adapter.capabilities[capability as keyof typeof newsCapabilities];
      if (handler === undefined || unservedLanguage === undefined) continue;
      it(`declines ${capability} in ${unservedLanguage}, a language it does not serve`, () => {
        const query = { ...newsQueries[queryName], language: unservedLanguage };
        expect(handler.buildRequest(query, { now: fixtureNow })).toEqual({
          unsupported: true,
          detail: `language ${unservedLanguage} not supported`,
        });
      });
    }

    const search = adapter.capabilities['news-search'];
    if (search !== undefined) {
      it.each([null, '', '  '])('declines a news-search with q %j', (q) => {
        expect(search.buildRequest({ ...newsQueries.search, q }, { now: fixtureNow })).toEqual({
          unsupported: true,
          detail: 'empty q not supported',
        });
      });
    }
  });
}

type NewsHandler<Raw> = CapabilityHandler<'news-by-symbol' | 'news-search' | 'news-latest', Raw>;

/**
 * The page checks every news normalizer shares, on its vendor's news-by-symbol fixtures: `.ok` passes the canonical
 * model and trims to the asked limit from the newest; `.empty` is an empty page, not not-found; `.broken-items` drops
 * every item without an http(s) URL, a title or a readable date.
 */
export function newsPageConformance<Raw>(vendor: string, handler: NewsHandler<Raw>, query: NewsQuery): void {
  const page = (fixture: string, asked = query) => normalizeFixture(vendor, handler, fixture, asked);

  describe(`${vendor} news page`, () => {
    it('produces articles that pass the canonical model', () => {
      expect(newsSchema.safeParse(page('news-by-symbol.ok')).success).toBe(true);
    });

    it('trims to the asked limit, newest first', () => {
      const all = page('news-by-symbol.ok');
      expect('articles' in all && all.articles.length).toBeGreaterThan(1);
      expect(page('news-by-symbol.ok', { ...query, limit: 1 })).toEqual({
        articles: 'articles' in all ? all.articles.slice(0, 1) : [],
      });
    });

    it('returns no articles, not not-found, for an empty page', () => {
      expect(page('news-by-symbol.empty')).toEqual({ articles: [] });
    });

    it('drops items without an http(s) URL, a title or a readable date', () => {
      expect(page('news-by-symbol.broken-items')).toEqual({ articles: [] });
    });
  });
}

/**
 * Stories the news-by-symbol.ok fixtures of the vendors that tag no tickers record, each in its vendor's format, as
 * canonical articles for AAPL and MSFT; a vendor's test adjusts what its format says differently.
 */
export const untaggedBySymbolStories = {
  msftOptions: {
    id: articleId('https://www.globenewswire.com/news-release/2026/11/24/msft-options.html'),
    title: 'Why MSFT options traders are betting on a breakout',
    summary: 'Options volume in MSFT and $NVDA jumped ahead of the Fed minutes.',
    url: 'https://www.globenewswire.com/news-release/2026/11/24/msft-options.html',
    source: 'GlobeNewswire',
    publishedAt: '2026-11-24T20:47:00.000Z',
    symbols: ['MSFT'],
    imageUrl: null,
  },
  appleShares: {
    id: articleId('https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html'),
    title: 'Apple (AAPL) shares climb as iPhone demand holds up',
    summary: 'Apple stock rose 1.2% on Tuesday after analysts raised iPhone estimates.',
    url: 'https://finance.yahoo.com/news/apple-aapl-shares-climb-182241.html',
    source: 'Yahoo Finance',
    publishedAt: '2026-11-24T18:22:41.000Z',
    symbols: ['AAPL'],
    imageUrl: 'https://s.yimg.com/ny/api/res/1.2/apple.jpg',
  },
  techRebound: {
    id: articleId('https://www.businessinsider.com/tech-rebound-msft-aapl-2026-11'),
    title: 'Microsoft and Apple lead a tech rebound',
    summary: null,
    url: 'https://www.businessinsider.com/tech-rebound-msft-aapl-2026-11',
    source: 'Business Insider',
    publishedAt: '2026-11-24T15:05:09.000Z',
    symbols: [],
    imageUrl: null,
  },
} satisfies Record<string, NewsArticle>;

/**
 * The stories recorded in the news-search.ok fixtures of every vendor that tags no tickers (gnews, mediastack,
 * newsapi), each in its vendor's format, as the canonical page: empty strings and nulls become null.
 */
const untaggedSearchPage: News = {
  articles: [
    {
      id: articleId('https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/'),
      title: 'Fed signals patience on interest rates as inflation cools',
      summary: 'Federal Reserve officials said they can wait before cutting rates again.',
      url: 'https://www.reuters.com/markets/us/fed-signals-patience-2026-11-25/',
      source: 'Reuters',
      publishedAt: '2026-11-25T08:00:00.000Z',
      symbols: [],
      imageUrl: 'https://www.reuters.com/resizer/fed.jpg',
    },
    {
      id: articleId('https://www.example-finance.com/fed-minutes-mortgages'),
      title: 'Interest rates: what the Fed minutes mean for mortgages',
      summary: null,
      url: 'https://www.example-finance.com/fed-minutes-mortgages',
      source: null,
      publishedAt: '2026-11-24T22:15:30.000Z',
      symbols: [],
      imageUrl: null,
    },
  ],
};

/** Likewise the business headlines of their news-latest.ok fixtures (mediastack's repeats one with a #fragment). */
const untaggedLatestPage: News = {
  articles: [
    {
      id: articleId('https://www.cnbc.com/2026/11/24/stock-market-today-live-updates.html'),
      title: 'Stock futures are little changed after the S&P 500 hits a record',
      summary: 'Stock futures were flat Tuesday night after the S&P 500 closed at an all-time high.',
      url: 'https://www.cnbc.com/2026/11/24/stock-market-today-live-updates.html',
      source: 'CNBC',
      publishedAt: '2026-11-25T01:02:03.000Z',
      symbols: [],
      imageUrl: 'https://image.cnbcfm.com/api/v1/image/futures.jpg',
    },
    {
      id: articleId('https://www.wsj.com/business/energy-oil/oil-prices-slip-9b1c2a7e'),
      title: 'Oil prices slip as supply worries ease',
      summary: null,
      url: 'https://www.wsj.com/business/energy-oil/oil-prices-slip-9b1c2a7e',
      source: 'The Wall Street Journal',
      publishedAt: '2026-11-24T21:30:00.000Z',
      symbols: [],
      imageUrl: null,
    },
  ],
};

/**
 * The checks every vendor that tags no tickers shares on its news-search.ok and news-latest.ok fixtures, which record
 * the same stories: each maps field by field to the same canonical page with no tickers, and the headlines, which no
 * such vendor filters by date, keep only the asked from..to.
 */
export function untaggedNewsConformance<SearchRaw, LatestRaw>(
  vendor: string,
  handlers: { search: NewsHandler<SearchRaw>; latest: NewsHandler<LatestRaw> },
): void {
  describe(`${vendor} untagged news`, () => {
    it('maps a search page field by field, empty strings and nulls to null, and tags no tickers', () => {
      expect(normalizeFixture(vendor, handlers.search, 'news-search.ok', newsQueries.search)).toEqual(
        untaggedSearchPage,
      );
    });

    it('maps the business headlines field by field, one article per URL', () => {
      expect(normalizeFixture(vendor, handlers.latest, 'news-latest.ok', newsQueries.latest)).toEqual(
        untaggedLatestPage,
      );
    });

    it('keeps only headlines inside from/to', () => {
      const dated = { ...newsQueries.latest, from: '2026-11-24', to: '2026-11-24' };
      const result = normalizeFixture(vendor, handlers.latest, 'news-latest.ok', dated);
      expect('articles' in result && result.articles.map((article) => article.publishedAt)).toEqual([
        '2026-11-24T21:30:00.000Z',
      ]);
    });
  });
}
