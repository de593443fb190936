import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newsSchema, type NewsQuery } from '../../core/index.js';
import type { DataService } from '../../data/data-service.js';
import { answerWith } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import { commonQuery, dateSchema, fromNotAfterTo, priorityHeaderSchema, symbolListSchema } from '../schemas/params.js';
import { dataAnswer, dataErrorResponses } from '../schemas/responses.js';

const newsQuerySchema = z
  .strictObject({
    symbols: symbolListSchema(20).optional().meta({ example: 'AAPL,MSFT' }),
    q: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      // Control characters mean nothing to a news search and only travel to vendors to be logged there.
      .regex(/^\P{Cc}*$/u, 'may not contain control characters')
      .optional(),
    from: dateSchema.optional().describe('Earliest publication day, inclusive.'),
    to: dateSchema.optional().describe('Latest publication day, inclusive.'),
    limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(20),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'must be a 2-letter ISO-639-1 code such as en')
      .default('en'),
    ...commonQuery,
  })
  .superRefine(fromNotAfterTo)
  .superRefine((value, context) => {
    if (value.symbols && value.q) {
      context.addIssue({ code: 'custom', path: ['q'], message: 'use either symbols or q, not both' });
    }
  });

export const newsRoutes: FastifyPluginAsyncZod<{ data: DataService }> = async (app, { data }) => {
  app.get(
    '',
    {
      schema: {
        summary: 'News by symbols (symbols=), by keyword (q=), or the latest business headlines (neither)',
        tags: ['news'],
        querystring: newsQuerySchema,
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(newsSchema)), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { symbols, q, from, to, limit, language } = request.query;
      const query: NewsQuery = {
        symbols: symbols ?? [],
        q: q ?? null,
        from: from ?? null,
        to: to ?? null,
        limit,
        language,
      };
      const capability = symbols ? 'news-by-symbol' : q ? 'news-search' : 'news-latest';
      return answerWith(data, request, reply, capability, query);
    },
  );
};
