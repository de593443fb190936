import { describe, expect, it } from 'vitest';
import type { NewsQuery } from '../../../src/core/index.js';
import {
  englishOnly,
  mentionedTickers,
  newsPage,
  untaggedNews,
  vendorLanguage,
  type VendorArticle,
} from '../../../providers/common/news.js';

describe('mentionedTickers', () => {
  it('finds tickers standing as whole words, cashtags included', () => {
    expect(mentionedTickers(['AAPL', 'MSFT', 'NVDA'], 'Apple (AAPL) and $NVDA rally; MSFT.')).toEqual([
      'AAPL',
      'MSFT',
      'NVDA',
    ]);
  });

  it('ignores tickers inside longer words and in lower case', () => {
    expect(mentionedTickers(['AAPL', 'MSFT'], 'AAPLX fund buys msft')).toEqual([]);
  });

  it('tells BRK.B from BRK.A', () => {
    expect(mentionedTickers(['BRK.B', 'BRK'], 'Berkshire BRK.A slips')).toEqual([]);
    expect(mentionedTickers(['BRK.B'], 'Berkshire (BRK.B) slips')).toEqual(['BRK.B']);
  });

  it('counts one-letter tickers only as cashtags', () => {
    expect(mentionedTickers(['A', 'F'], 'A rally lifts $F shares')).toEqual(['F']);
  });
});

const query: NewsQuery = { symbols: ['AAPL', 'MSFT'], q: null, from: null, to: null, limit: 10, language: 'en' };
const item = (
  publishedAt: string | null,
  title: string,
  url = `https://example.com/${title.length}`,
): VendorArticle => ({
  url,
  title,
  publishedAt,
});

describe('newsPage', () => {
  it('keeps usable items, newest first, one per URL, at most the limit', () => {
    const page = newsPage(
      [
        item('2026-11-23T10:00:00.000Z', 'oldest', 'https://example.com/e'),
        item('2026-11-24T10:00:00.000Z', 'older', 'https://example.com/a'),
        item('2026-11-25T10:00:00.000Z', 'newer', 'https://example.com/b'),
        item('2026-11-25T11:00:00.000Z', 'same story again', 'https://example.com/b#comments'),
        item(null, 'no time', 'https://example.com/c'),
        item('2026-11-25T12:00:00.000Z', 'no http url', 'ftp://example.com/d'),
      ],
      { ...query, limit: 2 },
    );
    expect(page.articles.map((article) => article.title)).toEqual(['same story again', 'older']);
  });

  it('drops what falls outside from..to only when asked to', () => {
    const items = [item('2026-11-23T10:00:00.000Z', 'before'), item('2026-11-24T23:59:59.000Z', 'inside the day')];
    const dated = { ...query, from: '2026-11-24', to: '2026-11-24' };
    expect(newsPage(items, dated).articles).toHaveLength(2);
    expect(newsPage(items, dated, { filterDates: true }).articles.map((article) => article.title)).toEqual([
      'inside the day',
    ]);
  });
});

describe('untaggedNews', () => {
  it('tags each article with the asked tickers its title or summary names', () => {
    const page = untaggedNews(
      [
        { ...item('2026-11-25T10:00:00.000Z', 'Apple (AAPL) climbs', 'https://example.com/a'), summary: 'MSFT too' },
        item('2026-11-25T09:00:00.000Z', 'Markets drift', 'https://example.com/b'),
      ],
      query,
    );
    expect(page.articles.map((article) => article.symbols)).toEqual([['AAPL', 'MSFT'], []]);
  });

  it('tags nothing when the query asks no tickers, and keeps only from..to', () => {
    const page = untaggedNews(
      [item('2026-11-25T10:00:00.000Z', 'AAPL climbs'), item('2026-11-20T10:00:00.000Z', 'MSFT slips, earlier')],
      { ...query, symbols: [], from: '2026-11-25' },
    );
    expect(page.articles.map((article) => [article.title, article.symbols])).toEqual([['AAPL climbs', []]]);
  });
});

describe('vendorLanguage', () => {
  const served = new Set(['en', 'sv']);

  it('sends a served language as its ISO code, or as the vendor spells it', () => {
    expect(vendorLanguage('en', served)).toBe('en');
    expect(vendorLanguage('sv', served, { sv: 'se' })).toBe('se');
  });

  it('declines a language the vendor does not serve', () => {
    expect(vendorLanguage('ja', served, { ja: 'jp' })).toEqual({
      unsupported: true,
      detail: 'language ja not supported',
    });
    expect(vendorLanguage('de', englishOnly)).toEqual({ unsupported: true, detail: 'language de not supported' });
  });
});
