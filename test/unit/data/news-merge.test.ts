import { describe, expect, it } from 'vitest';
import type { NewsArticle } from '../../../src/core/index.js';
import { mergeArticles } from '../../../src/data/news-merge.js';

function article(id: string, publishedAt: string, extra: Partial<NewsArticle> = {}): NewsArticle {
  return {
    id,
    title: `Story ${id}`,
    summary: null,
    url: `https://news.example.com/${id}`,
    source: null,
    publishedAt,
    symbols: [],
    imageUrl: null,
    ...extra,
  };
}

describe('mergeArticles', () => {
  it('keeps one article per id, newest first, at most the limit', () => {
    const merged = mergeArticles(
      [
        [article('a', '2026-11-25T10:00:00.000Z'), article('b', '2026-11-25T09:00:00.000Z')],
        [article('b', '2026-11-25T09:00:00.000Z'), article('c', '2026-11-25T11:00:00.000Z')],
      ],
      10,
    );
    expect(merged.map((entry) => entry.id)).toEqual(['c', 'a', 'b']);
    expect(
      mergeArticles([[article('a', '2026-11-25T10:00:00.000Z'), article('c', '2026-11-25T11:00:00.000Z')]], 1),
    ).toHaveLength(1);
  });

  it('combines the copies: tickers from every vendor, and the first summary, source and image found', () => {
    const [merged] = mergeArticles(
      [
        [article('a', '2026-11-25T10:00:00.000Z', { symbols: ['AAPL'], source: 'Market Wire' })],
        [
          article('a', '2026-11-25T10:00:00.000Z', {
            symbols: ['MSFT', 'AAPL'],
            summary: 'Both rally.',
            imageUrl: 'https://news.example.com/a.jpg',
            source: 'Other name',
          }),
        ],
      ],
      5,
    );
    expect(merged).toMatchObject({
      symbols: ['AAPL', 'MSFT'],
      summary: 'Both rally.',
      imageUrl: 'https://news.example.com/a.jpg',
      source: 'Market Wire',
    });
  });

  it('does not change its inputs', () => {
    const first = article('a', '2026-11-25T10:00:00.000Z', { symbols: ['AAPL'] });
    mergeArticles([[first], [article('a', '2026-11-25T10:00:00.000Z', { symbols: ['MSFT'] })]], 5);
    expect(first.symbols).toEqual(['AAPL']);
  });
});
