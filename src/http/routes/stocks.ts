import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isCanonical } from '../../cache/fast-path.js';
import { stockCandlesSchema, stockQuoteListSchema, stockQuoteSchema } from '../../core/index.js';
import type { DataService } from '../../data/data-service.js';
import { answerFreshHits, answerWith } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import {
  adjustedSchema,
  candleQueryFields,
  canonicalSymbol,
  commonQuery,
  fromNotAfterTo,
  priorityHeaderSchema,
  resolveDateRange,
  symbolListSchema,
  symbolSchema,
} from '../schemas/params.js';
import { dataAnswer, dataErrorResponses } from '../schemas/responses.js';

const maxWatchlist = 50;

export const stocksRoutes: FastifyPluginAsyncZod<{ data: DataService }> = async (app, { data }) => {
  app.get(
    '/:symbol/quote',
    {
      schema: {
        summary: 'Latest quote for a stock',
        tags: ['stocks'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'AAPL' }) }),
        querystring: z.strictObject(commonQuery),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(stockQuoteSchema)), ...dataErrorResponses },
      },
      preParsing: answerFreshHits(data, 'stock-quote', ({ symbol }) =>
        isCanonical(canonicalSymbol, symbol) ? { symbol } : undefined,
      ),
    },
    async (request, reply) => {
      const query = { symbol: request.params.symbol };
      return answerWith(data, request, reply, 'stock-quote', query);
    },
  );

  app.get(
    '/quotes',
    {
      schema: {
        summary: 'Quotes for a watchlist (one batch call where the vendor allows)',
        tags: ['stocks'],
        querystring: z.strictObject({
          symbols: symbolListSchema(maxWatchlist).meta({ example: 'AAPL,MSFT,BRK.B' }),
          ...commonQuery,
        }),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(stockQuoteListSchema)), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const query = { symbols: request.query.symbols };
      return answerWith(data, request, reply, 'stock-quotes', query);
    },
  );

  app.get(
    '/:symbol/candles',
    {
      schema: {
        summary: 'Price bars for a stock',
        tags: ['stocks'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'AAPL' }) }),
        querystring: z
          .strictObject({ ...candleQueryFields, adjusted: adjustedSchema, ...commonQuery })
          .superRefine(fromNotAfterTo),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(stockCandlesSchema)), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { symbol } = request.params;
      const { interval, adjusted } = request.query;
      const range = resolveDateRange(interval, request.query, new Date());
      const query = { symbol, interval, adjusted, ...range };
      return answerWith(data, request, reply, 'stock-candles', query);
    },
  );
};
