import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ResponseCache } from '../../cache/response-cache.js';
import { cryptoCandlesSchema, cryptoPriceSchema } from '../../core/index.js';
import type { Router } from '../../routing/router.js';
import { answerFromCache, isCanonical } from '../../cache/fast-path.js';
import { routeOptionsFrom } from '../plugins/request-context.js';
import { respond } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import {
  candleQueryFields,
  commonQuery,
  currencySchema,
  fromNotAfterTo,
  canonicalSymbol,
  priorityHeaderSchema,
  resolveDateRange,
  symbolSchema,
} from '../schemas/params.js';
import { dataErrorResponses } from '../schemas/problem.js';

const defaultVs = 'USD';
const vsSchema = currencySchema.default(defaultVs).describe('Quote currency (default USD).');

export const cryptoRoutes: FastifyPluginAsyncZod<{ router: Router; cache: ResponseCache }> = async (
  app,
  { router, cache },
) => {
  app.get(
    '/:symbol/price',
    {
      schema: {
        summary: 'Latest price of a crypto asset',
        tags: ['crypto'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'BTC' }) }),
        querystring: z.strictObject({ vs: vsSchema, ...commonQuery }),
        headers: priorityHeaderSchema,
        response: { 200: envelope(cryptoPriceSchema), ...dataErrorResponses },
      },
      // The plain form has no query string: `vs` is its schema's default.
      preParsing: answerFromCache(cache, 'crypto-price', ({ symbol }) =>
        isCanonical(canonicalSymbol, symbol) ? { symbol, vs: defaultVs } : undefined,
      ),
    },
    async (request, reply) => {
      const query = { symbol: request.params.symbol, vs: request.query.vs };
      const options = routeOptionsFrom(request, `${query.symbol}/${query.vs}`);
      const routed = await cache.serve('crypto-price', query, options, (shared) =>
        router.route('crypto-price', query, shared),
      );
      return respond(request, reply, routed);
    },
  );

  app.get(
    '/:symbol/candles',
    {
      schema: {
        summary: 'Price bars for a crypto asset',
        tags: ['crypto'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'BTC' }) }),
        querystring: z.strictObject({ vs: vsSchema, ...candleQueryFields, ...commonQuery }).superRefine(fromNotAfterTo),
        headers: priorityHeaderSchema,
        response: { 200: envelope(cryptoCandlesSchema), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { vs, interval } = request.query;
      const query = {
        symbol: request.params.symbol,
        vs,
        interval,
        ...resolveDateRange(interval, request.query, new Date()),
      };
      const options = routeOptionsFrom(request, `${query.symbol}/${vs}`);
      const routed = await cache.serve('crypto-candles', query, options, (shared) =>
        router.route('crypto-candles', query, shared),
      );
      return respond(request, reply, routed);
    },
  );
};
