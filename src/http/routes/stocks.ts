import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ResponseCache } from '../../cache/response-cache.js';
import { stockCandlesSchema, stockQuoteListSchema, stockQuoteSchema } from '../../core/index.js';
import { routeWatchlist } from '../../data/watchlist.js';
import type { Router } from '../../routing/router.js';
import { answerFromCache, isCanonical } from '../../cache/fast-path.js';
import { routeOptionsFrom } from '../plugins/request-context.js';
import { respond } from '../respond.js';
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
import { dataErrorResponses } from '../schemas/problem.js';

const maxWatchlist = 50;

export const stocksRoutes: FastifyPluginAsyncZod<{
  router: Router;
  cache: ResponseCache;
  watchlistConcurrency: number;
}> = async (app, options) => {
  const { router, cache } = options;

  app.get(
    '/:symbol/quote',
    {
      schema: {
        summary: 'Latest quote for a stock',
        tags: ['stocks'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'AAPL' }) }),
        querystring: z.strictObject(commonQuery),
        headers: priorityHeaderSchema,
        response: { 200: envelope(stockQuoteSchema), ...dataErrorResponses },
      },
      preParsing: answerFromCache(cache, 'stock-quote', ({ symbol }) =>
        isCanonical(canonicalSymbol, symbol) ? { symbol } : undefined,
      ),
    },
    async (request, reply) => {
      const query = { symbol: request.params.symbol };
      const options = routeOptionsFrom(request, query.symbol);
      const routed = await cache.serve('stock-quote', query, options, (shared) =>
        router.route('stock-quote', query, shared),
      );
      return respond(request, reply, routed);
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
        response: { 200: envelope(stockQuoteListSchema), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { symbols } = request.query;
      const routed = await cache.watchlist(symbols, routeOptionsFrom(request, symbols.join(',')), (list, shared) =>
        routeWatchlist(router, list, shared, options.watchlistConcurrency),
      );
      return respond(request, reply, routed);
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
        response: { 200: envelope(stockCandlesSchema), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { symbol } = request.params;
      const { interval, adjusted } = request.query;
      const range = resolveDateRange(interval, request.query, new Date());
      const query = { symbol, interval, adjusted, ...range };
      const routed = await cache.serve('stock-candles', query, routeOptionsFrom(request, symbol), (shared) =>
        router.route('stock-candles', query, shared),
      );
      return respond(request, reply, routed);
    },
  );
};
