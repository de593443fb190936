import { z } from 'zod';
import { isoTimestampSchema } from './common.js';

export const newsArticleSchema = z
  .object({
    id: z.string().describe('Stable id derived from the article URL.'),
    title: z.string(),
    summary: z.string().nullable(),
    url: z.url(),
    source: z.string().nullable().describe('Publisher name.'),
    publishedAt: isoTimestampSchema,
    symbols: z.array(z.string()).describe('Tickers the vendor tagged; empty when it does not tag.'),
    imageUrl: z.string().nullable(),
  })
  .meta({ id: 'NewsArticle' });
export type NewsArticle = z.infer<typeof newsArticleSchema>;

export const newsSchema = z
  .object({ articles: z.array(newsArticleSchema).describe('Newest first, without duplicate URLs.') })
  .meta({
    id: 'News',
    example: {
      articles: [
        {
          id: '5f1c9a0e3b7d2c41',
          title: 'Apple shares rise after earnings',
          summary: 'Apple beat estimates for the quarter.',
          url: 'https://example.com/apple-earnings',
          source: 'Example News',
          publishedAt: '2026-11-25T08:00:00.000Z',
          symbols: ['AAPL'],
          imageUrl: null,
        },
      ],
    },
  });
export type News = z.infer<typeof newsSchema>;
